package io.orchwf.benchmarks;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.Orchestrator;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.store.jdbc.JdbcStateStore;

/**
 * orchwf's durable throughput: workflows of sequential no-op steps on PostgreSQL, started
 * by concurrent clients on one node and run to completion, every transition committed
 * before it is acted on. Measured from the first start to the last completion, after a
 * warm-up of a tenth as many workflows (at least 500) on the same node and database.
 *
 * <p>
 * The clients either start every workflow without waiting (a burn-down of a backlog: the
 * node drives them all at once), or keep a bound of workflows in flight, each client
 * starting the next as one ends, which is how the peers' burn-downs run.
 */
final class OrchwfBurnDown {

	static final String WORKFLOW = "burn_down";

	/** The number of workflows in flight that means no bound. */
	static final int UNBOUNDED = Integer.MAX_VALUE;

	private OrchwfBurnDown() {
	}

	/**
	 * Run the burn-down.
	 * @param workflows how many workflows
	 * @param steps steps per workflow
	 * @param concurrency client threads, workers and database connections
	 * @param inFlight the most workflows started and not yet completed, or
	 * {@link #UNBOUNDED}
	 * @return what was measured
	 */
	static Throughput run(int workflows, int steps, int concurrency, int inFlight) throws Exception {
		try (BenchmarkDatabase database = BenchmarkDatabase.withOrchwf("orchwf", concurrency)) {
			AtomicInteger completed = new AtomicInteger();
			Semaphore slots = new Semaphore(inFlight);
			CountDownLatch[] allDone = { new CountDownLatch(0) };
			try (Orchestrator orchestrator = Orchestrator.builder(JdbcStateStore.builder(database.dataSource()).build())
				.workers(concurrency)
				.maxActiveInstances(workflows + 1000)
				.listener((event) -> {
					if (event.type() == WorkflowEventType.WORKFLOW_COMPLETED) {
						completed.incrementAndGet();
						slots.release();
						allDone[0].countDown();
					}
				})
				.build()) {
				orchestrator.register(chain(WORKFLOW, steps));
				// warm up the JIT, the pool and the database's caches
				burn(orchestrator, Math.max(500, workflows / 10), concurrency, slots, allDone);
				completed.set(0);
				Meter meter = Meter.start(database);
				burn(orchestrator, workflows, concurrency, slots, allDone);
				Throughput throughput = meter.stop("orchwf", workflows, (long) workflows * steps);
				long done = orchestrator
					.list(io.orchwf.WorkflowFilter.builder().status(WorkflowStatus.COMPLETED).build(), 1, 0)
					.total();
				if (completed.get() != workflows || done < workflows) {
					throw new IllegalStateException("only " + completed.get() + " of " + workflows + " completed");
				}
				return throughput;
			}
		}
	}

	static WorkflowDefinition chain(String id, int steps) {
		WorkflowDefinition.Builder builder = WorkflowDefinition.builder(id, id);
		for (int i = 0; i < steps; i++) {
			StepDefinition.Builder step = StepDefinition.builder("s" + i, "Step " + i, (context) -> Map.of());
			if (i > 0) {
				step.dependsOn("s" + (i - 1));
			}
			builder.step(step.build());
		}
		return builder.build();
	}

	private static void burn(Orchestrator orchestrator, int workflows, int clients, Semaphore slots,
			CountDownLatch[] allDone) throws Exception {
		allDone[0] = new CountDownLatch(workflows);
		ClientThreads.run(clients, workflows, (i) -> {
			slots.acquire();
			orchestrator.startAsync(WORKFLOW, null);
			return null;
		});
		if (!allDone[0].await(Duration.ofMinutes(10).toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException(allDone[0].getCount() + " workflows did not complete");
		}
	}

	/**
	 * Start a backlog of workflows from client threads without waiting, then wait for all
	 * to complete.
	 * @param done replaced by a latch of {@code workflows}, which the caller's listener
	 * counts down at each completion
	 */
	static void backlog(Orchestrator orchestrator, int workflows, int clients, CountDownLatch[] done) throws Exception {
		done[0] = new CountDownLatch(workflows);
		ClientThreads.run(clients, workflows, (i) -> {
			orchestrator.startAsync(WORKFLOW, null);
			return null;
		});
		if (!done[0].await(Duration.ofMinutes(10).toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException(done[0].getCount() + " workflows did not complete");
		}
	}

}
