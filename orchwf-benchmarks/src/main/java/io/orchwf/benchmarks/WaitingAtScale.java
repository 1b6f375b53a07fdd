package io.orchwf.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import io.orchwf.Orchestrator;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.store.StateStore;
import io.orchwf.store.jdbc.JdbcStateStore;

/**
 * Parks many workflows waiting for a signal on PostgreSQL, on one node with the default
 * heap, then signals every one and waits for all to complete. Reports the time to park
 * them, the heap they cost while parked, the time to wake them all, and the latency from
 * each signal to its workflow's completion.
 *
 * <p>
 * Arguments: the number of workflows (default 100,000) and of client threads that start
 * and signal them (default 16).
 */
public final class WaitingAtScale {

	private static final String WORKFLOW = "approval";

	private WaitingAtScale() {
	}

	public static void main(String[] args) throws Exception {
		int count = (args.length > 0) ? Integer.parseInt(args[0]) : 100_000;
		int clients = (args.length > 1) ? Integer.parseInt(args[1]) : 16;
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		try (BenchmarkDatabase database = BenchmarkDatabase.withOrchwf("waiting", clients + 8)) {
			StateStore store = JdbcStateStore.builder(database.dataSource()).build();
			String[] ids = new String[count];
			Map<String, Integer> indexes = new ConcurrentHashMap<>(count * 2);
			long[] signalledAt = new long[count];
			long[] latencies = new long[count];
			AtomicInteger completions = new AtomicInteger();
			CountDownLatch allCompleted = new CountDownLatch(count);
			try (Orchestrator orchestrator = Orchestrator.builder(store).listener((event) -> {
				if (event.type() == WorkflowEventType.WORKFLOW_COMPLETED) {
					Integer index = indexes.get(event.instanceId());
					if (index != null) {
						latencies[completions.getAndIncrement()] = System.nanoTime() - signalledAt[index];
						allCompleted.countDown();
					}
				}
			}).build()) {
				orchestrator.register(WorkflowDefinition.builder(WORKFLOW, "Approval")
					.step(StepDefinition.awaitSignal("approval", "approve").build())
					.step(StepDefinition.builder("record", "Record", (context) -> Map.of("recorded", true))
						.dependsOn("approval")
						.build())
					.build());
				long heapBefore = usedHeapAfterGc(memory);

				long commitsBeforePark = database.commits();
				long parkStart = System.nanoTime();
				inParallel(count, clients, (i) -> {
					ids[i] = orchestrator.startAsync(WORKFLOW, Map.of("n", i));
					indexes.put(ids[i], i);
				});
				double parkSeconds = seconds(System.nanoTime() - parkStart);
				long parkCommits = database.commits() - commitsBeforePark;
				long waiting = store.countByStatus(WORKFLOW).getOrDefault(WorkflowStatus.WAITING, 0L);
				if (waiting != count) {
					throw new IllegalStateException(waiting + " of " + count + " workflows wait");
				}
				long heapParked = usedHeapAfterGc(memory);
				int threadsParked = Thread.activeCount();

				long commitsBeforeWake = database.commits();
				long wakeStart = System.nanoTime();
				inParallel(count, clients, (i) -> {
					signalledAt[i] = System.nanoTime();
					orchestrator.signal(ids[i], "approve", Map.of("by", "benchmark"));
				});
				if (!allCompleted.await(30, TimeUnit.MINUTES)) {
					throw new IllegalStateException(allCompleted.getCount() + " workflows did not complete");
				}
				double wakeSeconds = seconds(System.nanoTime() - wakeStart);
				long wakeCommits = database.commits() - commitsBeforeWake;
				long completed = store.countByStatus(WORKFLOW).getOrDefault(WorkflowStatus.COMPLETED, 0L);
				long[] sorted = Report.sorted(latencies, completions.get());
				long maxHeap = memory.getHeapMemoryUsage().getMax();

				Report report = new Report("Waiting at scale: " + count + " workflows parked on a signal, " + clients
						+ " clients, PostgreSQL, one node, default heap");
				report.add("waiting.park.rate", count / parkSeconds, "workflows/s", Double.NaN, "");
				report.add("waiting.park.time", parkSeconds, "s", Double.NaN, "");
				report.add("waiting.park.commits_per_workflow", (double) parkCommits / count, "commits", Double.NaN,
						"");
				report.add("waiting.heap.parked", mib(heapParked), "MiB", (double) heapParked / maxHeap,
						"max heap " + Math.round(mib(maxHeap)) + " MiB");
				// includes this benchmark's own id of each workflow (about 200 bytes)
				report.add("waiting.heap.per_workflow", (double) Math.max(0, heapParked - heapBefore) / count, "bytes",
						Double.NaN, "");
				report.add("waiting.threads.parked", threadsParked, "threads", (double) threadsParked / count,
						"parked workflows");
				report.add("waiting.wake.time", wakeSeconds, "s", Double.NaN, "");
				report.add("waiting.wake.rate", count / wakeSeconds, "workflows/s", parkSeconds / wakeSeconds,
						String.format(Locale.ROOT, "the park rate (%.0f workflows/s)", count / parkSeconds));
				report.add("waiting.wake.commits_per_workflow", (double) wakeCommits / count, "commits", Double.NaN,
						"");
				report.add("waiting.signal_to_completion.p50", millis(Report.percentile(sorted, 50)), "ms", Double.NaN,
						"");
				report.add("waiting.signal_to_completion.p99", millis(Report.percentile(sorted, 99)), "ms", Double.NaN,
						"");
				report.add("waiting.completed", completed, "workflows", (double) completed / count, "started");
				report.print();
			}
		}
	}

	private static void inParallel(int count, int clients, IntConsumer work) throws Exception {
		ExecutorService pool = Executors.newFixedThreadPool(clients);
		try {
			AtomicInteger next = new AtomicInteger();
			Future<?>[] futures = new Future<?>[clients];
			for (int c = 0; c < clients; c++) {
				futures[c] = pool.submit(() -> {
					int i;
					while ((i = next.getAndIncrement()) < count) {
						work.accept(i);
					}
				});
			}
			for (Future<?> future : futures) {
				future.get();
			}
		}
		finally {
			pool.shutdown();
		}
	}

	private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(Duration.ofMillis(200).toMillis());
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

	private static double seconds(long nanos) {
		return nanos / 1e9;
	}

	private static double millis(long nanos) {
		return nanos / 1e6;
	}

	private static double mib(long bytes) {
		return bytes / (1024.0 * 1024.0);
	}

}
