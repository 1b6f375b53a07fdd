package io.orchwf.scenario;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.Orchestrator;
import io.orchwf.RetryPolicy;
import io.orchwf.StepException;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.store.StateStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What {@code close()} does to the instances a node drives: running steps finish (and
 * keep their leases while they do), failures are still retried, late writes are fenced
 * out, and no instance is left without an owner or a way to be claimed.
 */
class ShutdownScenarioTests extends ScenarioSupport {

	private Orchestrator node(String nodeId, StateStore store, Duration shutdownTimeout) {
		return orchestrator((builder) -> Orchestrator.builder(store)
			.nodeId(nodeId)
			.pollInterval(Duration.ofMillis(50))
			.heartbeatInterval(Duration.ofMillis(100))
			.leaseDuration(Duration.ofMillis(600))
			.shutdownTimeout(shutdownTimeout));
	}

	@Test
	void aFailureDuringShutdownIsStillRetriedNotTurnedIntoAWorkflowFailure() {
		Orchestrator a = node("node-a", this.store, Duration.ofSeconds(5));
		Orchestrator b = node("node-b", this.store, Duration.ofSeconds(5));
		AtomicInteger attempts = new AtomicInteger();
		var definition = workflow("flaky", step("call", (context) -> {
			if (attempts.incrementAndGet() == 1) {
				await().atMost(WAIT).until(() -> isClosed(a));
				throw new StepException("connection_refused", "shutting down");
			}
			return Map.of("attempt", context.attempt());
		}).async(true)
			.retryPolicy(RetryPolicy.builder().maxAttempts(3).initialInterval(Duration.ofMillis(20)).build()));
		a.register(definition);
		b.register(definition);
		String id = a.startAsync("flaky", null);
		a.close();
		WorkflowResult result = b.awaitCompletion(id, WAIT).orElseThrow();
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.output()).containsEntry("attempt", 2);
	}

	@Test
	void aStepOutlivingTheLeaseDuringShutdownKeepsItsLeaseAndRunsOnce() throws InterruptedException {
		Orchestrator a = node("node-a", this.store, Duration.ofSeconds(5));
		Orchestrator b = node("node-b", this.store, Duration.ofSeconds(5));
		AtomicInteger executions = new AtomicInteger();
		CountDownLatch started = new CountDownLatch(1);
		var definition = workflow("long", step("work", (context) -> {
			executions.incrementAndGet();
			started.countDown();
			await().atMost(WAIT).until(() -> isClosed(a));
			Thread.sleep(1500); // more than twice the lease
			return Map.of("done", true);
		}).async(true));
		a.register(definition);
		b.register(definition);
		String id = a.startAsync("long", null);
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		a.close();
		WorkflowResult result = b.awaitCompletion(id, WAIT).orElseThrow();
		assertThat(result.success()).isTrue();
		assertThat(executions).hasValue(1);
	}

	@Test
	void aStartBlockedWhenTheNodeClosesIsReleasedPromptly() throws Exception {
		Orchestrator a = node("node-a", this.store, Duration.ofMillis(200));
		CountDownLatch running = new CountDownLatch(1);
		a.register(workflow("slow", step("wait", (context) -> {
			running.countDown();
			Thread.sleep(60_000);
			return Map.of();
		})));
		CompletableFuture<Object> blocked = CompletableFuture.supplyAsync(() -> {
			try {
				return a.start("slow", null);
			}
			catch (RuntimeException ex) {
				return ex;
			}
		});
		assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
		a.close();
		assertThat(blocked.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
	}

	@Test
	void aStartRacingCloseIsEitherRefusedOrLeftForAnotherNode() throws Exception {
		CountDownLatch creating = new CountDownLatch(1);
		StateStore slowCreate = StoreInterceptor.wrap(this.store, (method, args, call) -> {
			if (method.getName().equals("create")) {
				creating.countDown();
				Thread.sleep(300);
			}
			return call.proceed();
		});
		Orchestrator a = node("node-a", slowCreate, Duration.ofSeconds(2));
		var definition = workflow("quick", noop("a"));
		a.register(definition);
		CompletableFuture<Object> start = CompletableFuture.supplyAsync(() -> {
			try {
				return a.startAsync("quick", null);
			}
			catch (RuntimeException ex) {
				return ex;
			}
		});
		assertThat(creating.await(5, TimeUnit.SECONDS)).isTrue();
		a.close();
		Object outcome = start.get(5, TimeUnit.SECONDS);
		if (outcome instanceof String id) {
			Orchestrator b = node("node-b", this.store, Duration.ofSeconds(2));
			b.register(definition);
			assertThat(b.awaitCompletion(id, WAIT))
				.hasValueSatisfying((result) -> assertThat(result.success()).isTrue());
		}
		else {
			assertThat(outcome).isInstanceOf(IllegalStateException.class);
		}
	}

	@Test
	void aWriteStillOnItsWayWhenTheLeaseIsHandedBackIsFencedOut() {
		AtomicBoolean slowWrites = new AtomicBoolean();
		StateStore slowApply = StoreInterceptor.wrap(this.store, (method, args, call) -> {
			if (method.getName().equals("apply") && slowWrites.get()) {
				Thread.sleep(800);
			}
			return call.proceed();
		});
		Orchestrator a = node("node-a", slowApply, Duration.ofMillis(200));
		var definition = workflow("stale", step("a", (context) -> {
			slowWrites.set(true);
			return Map.of();
		}).async(true), step("b", (context) -> {
			Thread.sleep(200);
			return Map.of();
		}).async(true));
		a.register(definition);
		String id = a.startAsync("stale", null);
		await().atMost(WAIT).untilTrue(slowWrites);
		a.close();
		Orchestrator b = node("node-b", this.store, Duration.ofSeconds(2));
		b.register(definition);
		assertThat(b.awaitCompletion(id, WAIT)).hasValueSatisfying((result) -> assertThat(result.success()).isTrue());
	}

}
