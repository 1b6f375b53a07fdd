package io.orchwf.acceptance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.Orchestrator;
import io.orchwf.RetryPolicy;
import io.orchwf.StartOptions;
import io.orchwf.StepExecutor;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.store.memory.InMemoryStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract, "Running" and "Semantics": many instances at once, the worker pool,
 * waiting without threads, idempotent starts under contention, graceful close and
 * take-over by another orchestrator on the same store.
 */
class ConcurrencyAcceptanceTests extends AcceptanceSupport {

	private final ExecutorService callers = Executors.newFixedThreadPool(16);

	@AfterEach
	void stopCallers() {
		this.callers.shutdownNow();
	}

	@Test
	void manyInstancesRunConcurrentlyAndEveryStepRunsExactlyOnce() throws Exception {
		Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
		StepExecutor counting = (ctx) -> {
			runs.computeIfAbsent(ctx.instanceId() + ":" + ctx.stepId(), (k) -> new AtomicInteger()).incrementAndGet();
			sleep(2);
			return Map.of(ctx.stepId(), ctx.input().get("n"));
		};
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("many", step("a", counting), step("b", counting).dependsOn("a").async(true),
				step("c", counting).dependsOn("a").async(true), step("d", counting).dependsOn("b", "c")));
		List<Future<String>> started = new ArrayList<>();
		for (int i = 0; i < 80; i++) {
			int n = i;
			started.add(this.callers.submit(() -> orchestrator.startAsync("many", Map.of("n", n))));
		}
		List<String> ids = new ArrayList<>();
		for (Future<String> future : started) {
			ids.add(future.get(5, TimeUnit.SECONDS));
		}
		assertThat(Set.copyOf(ids)).hasSize(80);
		for (String id : ids) {
			WorkflowResult result = awaitResult(orchestrator, id);
			assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
			Object n = result.instance().input().get("n");
			assertThat(result.output()).containsEntry("a", n).containsEntry("d", n);
		}
		assertThat(runs).hasSize(80 * 4);
		assertThat(runs.values()).allSatisfy((count) -> assertThat(count.get()).isEqualTo(1));
	}

	@Test
	void concurrentStartsWithOneIdempotencyKeyCreateOneInstance() throws Exception {
		AtomicInteger runs = new AtomicInteger();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("once", step("a", (ctx) -> {
			runs.incrementAndGet();
			return Map.of();
		})));
		CountDownLatch go = new CountDownLatch(1);
		List<Future<String>> started = new ArrayList<>();
		for (int i = 0; i < 16; i++) {
			started.add(this.callers.submit(() -> {
				go.await();
				return orchestrator.startAsync("once", Map.of(),
						StartOptions.builder().idempotencyKey("order-123").build());
			}));
		}
		go.countDown();
		Set<String> ids = ConcurrentHashMap.newKeySet();
		for (Future<String> future : started) {
			ids.add(future.get(5, TimeUnit.SECONDS));
		}
		assertThat(ids).hasSize(1);
		assertThat(awaitResult(orchestrator, ids.iterator().next()).success()).isTrue();
		await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> runs.get() == 1);
	}

	@Test
	void theWorkerPoolBoundsHowManyAsyncStepsRunAtOnce() {
		AtomicInteger running = new AtomicInteger();
		AtomicInteger maxRunning = new AtomicInteger();
		StepExecutor busy = (ctx) -> {
			maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
			sleep(20);
			running.decrementAndGet();
			return Map.of();
		};
		Orchestrator orchestrator = orchestrator((builder) -> builder.workers(2));
		orchestrator.register(workflow("pool", step("s1", busy).async(true), step("s2", busy).async(true),
				step("s3", busy).async(true), step("s4", busy).async(true), step("s5", busy).async(true),
				step("s6", busy).async(true)));
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			ids.add(orchestrator.startAsync("pool", Map.of()));
		}
		for (String id : ids) {
			assertThat(awaitResult(orchestrator, id).status()).isEqualTo(WorkflowStatus.COMPLETED);
		}
		assertThat(maxRunning.get()).isBetween(1, 2);
	}

	@Test
	void aWorkflowWaitingForARetryHoldsNoWorker() {
		AtomicInteger firstAttempts = new AtomicInteger();
		Orchestrator orchestrator = orchestrator((builder) -> builder.workers(1));
		orchestrator.register(workflow("patient", step("a", (ctx) -> {
			firstAttempts.incrementAndGet();
			throw new IllegalStateException("later");
		}).async(true)
			.retryPolicy(RetryPolicy.builder()
				.maxAttempts(2)
				.initialInterval(Duration.ofSeconds(3))
				.maxInterval(Duration.ofSeconds(3))
				.build())));
		orchestrator.register(workflow("quick", step("b", (ctx) -> Map.of("quick", true)).async(true)));
		String waiting = orchestrator.startAsync("patient", Map.of());
		await().atMost(WAIT)
			.pollInterval(Duration.ofMillis(5))
			.until(() -> orchestrator.status(waiting).orElseThrow().status() == WorkflowStatus.WAITING);
		String quick = orchestrator.startAsync("quick", Map.of());
		WorkflowResult result = orchestrator.awaitCompletion(quick, Duration.ofSeconds(2))
			.orElseThrow(() -> new AssertionError("the only worker is held by a workflow waiting for a retry"));
		assertThat(result.output()).containsEntry("quick", true);
		assertThat(firstAttempts.get()).isEqualTo(1);
		orchestrator.cancel(waiting, "done with the test");
	}

	@Test
	void waitingWorkflowsHoldNoThreads() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("sleepy", step("a", (ctx) -> {
			throw new IllegalStateException("later");
		}).async(true)
			.retryPolicy(RetryPolicy.builder()
				.maxAttempts(2)
				.initialInterval(Duration.ofSeconds(30))
				.maxInterval(Duration.ofSeconds(30))
				.build())));
		// warm up the pools
		String warm = orchestrator.startAsync("sleepy", Map.of());
		await().atMost(WAIT).until(() -> orchestrator.status(warm).orElseThrow().status() == WorkflowStatus.WAITING);
		int threadsBefore = Thread.activeCount();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			ids.add(orchestrator.startAsync("sleepy", Map.of("i", i)));
		}
		await().atMost(WAIT)
			.untilAsserted(
					() -> assertThat(ids).allSatisfy((id) -> assertThat(orchestrator.status(id).orElseThrow().status())
						.isEqualTo(WorkflowStatus.WAITING)));
		assertThat(Thread.activeCount()).isLessThan(threadsBefore + 40);
	}

	@Test
	void anOrchestratorBuiltWithoutAutoStartClaimsNothingUntilLaunched() {
		InMemoryStateStore store = new InMemoryStateStore();
		AtomicInteger runs = new AtomicInteger();
		StepExecutor counting = (ctx) -> {
			runs.incrementAndGet();
			return Map.of("ran", true);
		};
		// a node writes an instance due shortly, then leaves before it is due
		Orchestrator writer = orchestrator(store, (builder) -> builder.nodeId("writer"));
		writer.register(workflow("deferred", step("a", counting)));
		String id = writer.startAsync("deferred", Map.of(),
				StartOptions.builder().startAt(java.time.Instant.now().plusMillis(150)).build());
		writer.close();

		Orchestrator container = orchestrator(store, (builder) -> builder.nodeId("container").autoStart(false));
		container.register(workflow("deferred", step("a", counting)));
		await().during(Duration.ofMillis(400))
			.atMost(Duration.ofSeconds(2))
			.until(() -> runs.get() == 0 && !container.status(id).orElseThrow().status().isTerminal());
		container.launch();
		WorkflowResult result = awaitResult(container, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(runs.get()).isEqualTo(1);
	}

	@Test
	void closeLetsRunningStepsFinish() throws Exception {
		InMemoryStateStore store = new InMemoryStateStore();
		CountDownLatch started = new CountDownLatch(1);
		AtomicBoolean finished = new AtomicBoolean();
		AtomicBoolean interrupted = new AtomicBoolean();
		Orchestrator orchestrator = orchestrator(store, (builder) -> builder.shutdownTimeout(Duration.ofSeconds(3)));
		orchestrator.register(workflow("graceful", step("work", (ctx) -> {
			started.countDown();
			try {
				Thread.sleep(150);
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
				throw ex;
			}
			finished.set(true);
			return Map.of("done", true);
		})));
		String id = orchestrator.startAsync("graceful", Map.of());
		assertThat(started.await(3, TimeUnit.SECONDS)).isTrue();
		orchestrator.close();
		assertThat(finished).isTrue();
		assertThat(interrupted).isFalse();
		Orchestrator reader = orchestrator(store, (builder) -> builder.autoStart(false));
		assertThat(reader.status(id).orElseThrow().step("work").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
	}

	@Test
	void closeDoesNotWaitBeyondTheShutdownTimeout() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		Orchestrator orchestrator = orchestrator((builder) -> builder.shutdownTimeout(Duration.ofMillis(100)));
		orchestrator.register(workflow("stubborn", step("work", (ctx) -> {
			started.countDown();
			Thread.sleep(10_000);
			return Map.of();
		})));
		orchestrator.startAsync("stubborn", Map.of());
		assertThat(started.await(3, TimeUnit.SECONDS)).isTrue();
		long before = System.nanoTime();
		orchestrator.close();
		assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
	}

	@Test
	void anotherOrchestratorOnTheSameStoreFinishesWhatAClosedOneLeftAtOnce() throws Exception {
		InMemoryStateStore store = new InMemoryStateStore();
		AtomicInteger holdCalls = new AtomicInteger();
		CountDownLatch holding = new CountDownLatch(1);
		StepExecutor hold = (ctx) -> {
			if (holdCalls.incrementAndGet() == 1) {
				holding.countDown();
				Thread.sleep(10_000);
			}
			return Map.of("held", true);
		};
		Orchestrator first = orchestrator(store,
				(builder) -> builder.nodeId("node-1").shutdownTimeout(Duration.ofMillis(100)));
		first.register(workflow("redeploy", step("before", (ctx) -> Map.of("before", true)),
				step("hold", hold).dependsOn("before"),
				step("after", (ctx) -> Map.of("after", true)).dependsOn("hold")));
		String id = first.startAsync("redeploy", Map.of());
		assertThat(holding.await(3, TimeUnit.SECONDS)).isTrue();
		first.close();

		Orchestrator second = orchestrator(store, (builder) -> builder.nodeId("node-2"));
		second.register(workflow("redeploy", step("before", (ctx) -> Map.of("before", true)),
				step("hold", hold).dependsOn("before"),
				step("after", (ctx) -> Map.of("after", true)).dependsOn("hold")));
		WorkflowResult result = second.awaitCompletion(id, Duration.ofSeconds(5))
			.orElseThrow(() -> new AssertionError("the second node did not take over: " + second.status(id)));
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.output()).containsEntry("before", true)
			.containsEntry("held", true)
			.containsEntry("after", true);
	}

	@Test
	void syncStepsOfDifferentInstancesRunConcurrently() {
		java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(2);
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("meet", step("sync", (ctx) -> {
			barrier.await(3, TimeUnit.SECONDS);
			return Map.of("met", true);
		})));
		String first = orchestrator.startAsync("meet", Map.of());
		String second = orchestrator.startAsync("meet", Map.of());
		assertThat(awaitResult(orchestrator, first).output()).containsEntry("met", true);
		assertThat(awaitResult(orchestrator, second).output()).containsEntry("met", true);
	}

}
