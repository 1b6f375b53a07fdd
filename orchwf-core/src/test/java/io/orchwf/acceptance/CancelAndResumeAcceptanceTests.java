package io.orchwf.acceptance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.orchwf.Orchestrator;
import io.orchwf.RetryPolicy;
import io.orchwf.StartOptions;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract, "Semantics / Cancel" and "Semantics / Resume".
 */
class CancelAndResumeAcceptanceTests extends AcceptanceSupport {

	private final AtomicInteger aRuns = new AtomicInteger();

	private final AtomicInteger bRuns = new AtomicInteger();

	@Test
	void cancelInterruptsRunningStepsCompensatesAndEndsCancelled() throws Exception {
		CountDownLatch blockerStarted = new CountDownLatch(1);
		AtomicBoolean interrupted = new AtomicBoolean();
		AtomicBoolean sawCancelled = new AtomicBoolean();
		List<String> compensated = new CopyOnWriteArrayList<>();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("cancellable",
				step("reserve", (ctx) -> Map.of("reserved", true)).compensateWith((ctx) -> compensated.add("reserve")),
				step("blocker", (ctx) -> {
					blockerStarted.countDown();
					try {
						Thread.sleep(10_000);
					}
					catch (InterruptedException ex) {
						interrupted.set(true);
						sawCancelled.set(ctx.isCancelled());
						throw ex;
					}
					return Map.of();
				}).dependsOn("reserve"), step("after", (ctx) -> {
					this.bRuns.incrementAndGet();
					return Map.of();
				}).dependsOn("blocker")));
		String id = orchestrator.startAsync("cancellable", Map.of());
		assertThat(blockerStarted.await(3, TimeUnit.SECONDS)).isTrue();
		orchestrator.cancel(id, "customer asked");
		WorkflowResult result = awaitResult(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.CANCELLED);
		assertThat(result.success()).isFalse();
		assertThat(interrupted).isTrue();
		assertThat(sawCancelled).isTrue();
		assertThat(compensated).containsExactly("reserve");
		assertThat(result.instance().step("reserve").orElseThrow().status()).isEqualTo(StepStatus.COMPENSATED);
		assertThat(result.instance().step("blocker").orElseThrow().status()).isNotEqualTo(StepStatus.COMPLETED);
		assertThat(this.bRuns.get()).isZero();
		assertThat(orchestrator.status(id).orElseThrow().status()).isEqualTo(WorkflowStatus.CANCELLED);
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.events).anySatisfy((e) -> {
			assertThat(e.type()).isEqualTo(WorkflowEventType.WORKFLOW_CANCELLED);
			assertThat(e.instanceId()).isEqualTo(id);
		}));
	}

	@Test
	void cancellingAFinishedInstanceChangesNothing() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("done", step("a", (ctx) -> Map.of("a", 1)).compensateWith((ctx) -> {
			throw new AssertionError("must not compensate a completed workflow");
		})));
		WorkflowResult done = orchestrator.start("done", Map.of());
		orchestrator.cancel(done.instanceId(), "too late");
		var after = orchestrator.status(done.instanceId()).orElseThrow();
		assertThat(after.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(after.output()).containsEntry("a", 1);
		assertThat(after.error()).isEmpty();
		assertThat(after.step("a").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
	}

	@Test
	void cancellingAFailedInstanceChangesNothing() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("failed", step("a", (ctx) -> {
			throw new IllegalStateException("x");
		})));
		WorkflowResult failed = orchestrator.start("failed", Map.of());
		orchestrator.cancel(failed.instanceId(), "too late");
		assertThat(orchestrator.status(failed.instanceId()).orElseThrow().status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(orchestrator.status(failed.instanceId()).orElseThrow().error()).isEqualTo(failed.error());
	}

	@Test
	void cancellingAnInstanceThatHasNotStartedMeansItNeverRuns() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("later", step("a", (ctx) -> {
			this.aRuns.incrementAndGet();
			return Map.of();
		})));
		String id = orchestrator.startAsync("later", Map.of(),
				StartOptions.builder().startAt(Instant.now().plusMillis(400)).build());
		orchestrator.cancel(id, "changed my mind");
		WorkflowResult result = awaitResult(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.CANCELLED);
		await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(() -> this.aRuns.get() == 0);
	}

	@Test
	void cancellingAnInstanceWaitingForARetryStopsTheRetries() {
		CountDownLatch failedOnce = new CountDownLatch(1);
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("retrying", step("a", (ctx) -> {
			this.aRuns.incrementAndGet();
			failedOnce.countDown();
			throw new IllegalStateException("again");
		}).retryPolicy(RetryPolicy.builder()
			.maxAttempts(5)
			.initialInterval(Duration.ofMillis(300))
			.maxInterval(Duration.ofMillis(300))
			.build())));
		String id = orchestrator.startAsync("retrying", Map.of());
		await().atMost(WAIT)
			.pollInterval(Duration.ofMillis(5))
			.until(() -> orchestrator.status(id).orElseThrow().status() == WorkflowStatus.WAITING);
		orchestrator.cancel(id, "stop");
		WorkflowResult result = awaitResult(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.CANCELLED);
		int runs = this.aRuns.get();
		await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> this.aRuns.get() == runs);
	}

	@Test
	void resumeReRunsWhatFailedWithFreshAttemptsAndKeepsCompletedOutputs() {
		AtomicBoolean broken = new AtomicBoolean(true);
		AtomicReference<Object> bSawFromA = new AtomicReference<>();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("resumable", step("a", (ctx) -> {
			this.aRuns.incrementAndGet();
			return Map.of("fromA", "kept");
		}), step("b", (ctx) -> {
			this.bRuns.incrementAndGet();
			bSawFromA.set(ctx.input().get("fromA"));
			// after the resume: fail once more, then succeed; a budget of 2 attempts is
			// enough only if the resume gives fresh attempts
			if (broken.get() || this.bRuns.get() == 3) {
				throw new IllegalStateException("downstream unavailable");
			}
			return Map.of("fromB", "new");
		}).dependsOn("a").retryPolicy(fastRetries(2))));
		WorkflowResult failed = orchestrator.start("resumable", Map.of("order", "o-1"));
		assertThat(failed.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(this.bRuns.get()).isEqualTo(2);

		broken.set(false);
		WorkflowResult resumed = orchestrator.resume(failed.instanceId());
		if (!resumed.status().isTerminal()) {
			resumed = awaitResult(orchestrator, failed.instanceId());
		}
		assertThat(resumed.instanceId()).isEqualTo(failed.instanceId());
		assertThat(resumed.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(resumed.success()).isTrue();
		assertThat(resumed.error()).isEmpty();
		assertThat(this.aRuns.get()).isEqualTo(1);
		assertThat(this.bRuns.get()).isEqualTo(4);
		assertThat(bSawFromA.get()).isEqualTo("kept");
		assertThat(resumed.output()).containsEntry("fromA", "kept").containsEntry("fromB", "new");
		assertThat(resumed.instance().steps()).extracting((s) -> s.status())
			.containsExactly(StepStatus.COMPLETED, StepStatus.COMPLETED);
	}

	@Test
	void theIdempotencyKeyIsStableAcrossResumes() {
		AtomicBoolean broken = new AtomicBoolean(true);
		List<String> keys = new CopyOnWriteArrayList<>();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("keyed", step("a", (ctx) -> {
			keys.add(ctx.idempotencyKey());
			if (broken.get()) {
				throw new IllegalStateException("x");
			}
			return Map.of();
		})));
		WorkflowResult failed = orchestrator.start("keyed", Map.of());
		broken.set(false);
		orchestrator.resume(failed.instanceId());
		assertThat(awaitResult(orchestrator, failed.instanceId()).success()).isTrue();
		assertThat(keys).hasSize(2).containsOnly(keys.get(0));
	}

	@Test
	void resumingACompletedInstanceReturnsItsResultWithoutRunningAnything() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("complete", step("a", (ctx) -> {
			this.aRuns.incrementAndGet();
			return Map.of("a", 1);
		})));
		WorkflowResult done = orchestrator.start("complete", Map.of());
		WorkflowResult again = orchestrator.resume(done.instanceId());
		assertThat(again.instanceId()).isEqualTo(done.instanceId());
		assertThat(again.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(again.success()).isTrue();
		assertThat(again.output()).isEqualTo(done.output());
		assertThat(this.aRuns.get()).isEqualTo(1);
	}

	@Test
	void resumeEmitsWorkflowResumed() {
		AtomicBoolean broken = new AtomicBoolean(true);
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("resumedevent", step("a", (ctx) -> {
			if (broken.get()) {
				throw new IllegalStateException("x");
			}
			return Map.of();
		})));
		WorkflowResult failed = orchestrator.start("resumedevent", Map.of());
		broken.set(false);
		orchestrator.resume(failed.instanceId());
		awaitResult(orchestrator, failed.instanceId());
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.events).anySatisfy((e) -> {
			assertThat(e.type()).isEqualTo(WorkflowEventType.WORKFLOW_RESUMED);
			assertThat(e.instanceId()).isEqualTo(failed.instanceId());
		}));
	}

	@Test
	void resumeAfterAFailureWithCompensationReRunsTheWholeSagaOrTheFailedPart() {
		// a compensated step is not COMPLETED any more, so resume re-runs it too
		AtomicBoolean broken = new AtomicBoolean(true);
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("saga", step("reserve", (ctx) -> {
			this.aRuns.incrementAndGet();
			return Map.of("reserved", true);
		}).compensateWith((ctx) -> {
		}), step("charge", (ctx) -> {
			if (broken.get()) {
				throw new IllegalStateException("declined");
			}
			return Map.of("charged", true);
		}).dependsOn("reserve")));
		WorkflowResult failed = orchestrator.start("saga", Map.of());
		assertThat(failed.instance().step("reserve").orElseThrow().status()).isEqualTo(StepStatus.COMPENSATED);
		broken.set(false);
		orchestrator.resume(failed.instanceId());
		WorkflowResult resumed = awaitResult(orchestrator, failed.instanceId());
		assertThat(resumed.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(resumed.output()).containsEntry("reserved", true).containsEntry("charged", true);
		assertThat(this.aRuns.get()).isEqualTo(2);
	}

	@Test
	void resumeReRunsStepsThatWereInterruptedByAFailFast() {
		AtomicBoolean broken = new AtomicBoolean(true);
		CountDownLatch slowStarted = new CountDownLatch(1);
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("interrupted", step("slow", (ctx) -> {
			if (this.aRuns.incrementAndGet() == 1) {
				slowStarted.countDown();
				Thread.sleep(10_000);
			}
			return Map.of("slow", true);
		}).async(true), step("breaker", (ctx) -> {
			slowStarted.await(3, TimeUnit.SECONDS);
			if (broken.get()) {
				throw new IllegalStateException("broken");
			}
			return Map.of("breaker", true);
		}).async(true)));
		WorkflowResult failed = orchestrator.start("interrupted", Map.of());
		assertThat(failed.status()).isEqualTo(WorkflowStatus.FAILED);
		broken.set(false);
		orchestrator.resume(failed.instanceId());
		WorkflowResult resumed = awaitResult(orchestrator, failed.instanceId());
		assertThat(resumed.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(resumed.output()).containsEntry("slow", true).containsEntry("breaker", true);
		assertThat(this.aRuns.get()).isEqualTo(2);
	}

}
