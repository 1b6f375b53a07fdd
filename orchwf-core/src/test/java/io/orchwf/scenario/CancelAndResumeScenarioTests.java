package io.orchwf.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.InstanceNotFoundException;
import io.orchwf.Orchestrator;
import io.orchwf.NonRetryableStepException;
import io.orchwf.RetryPolicy;
import io.orchwf.StepDefinition;
import io.orchwf.StepExecutor;
import io.orchwf.StepInstance;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class CancelAndResumeScenarioTests extends ScenarioSupport {

	private final List<String> compensated = Collections.synchronizedList(new ArrayList<>());

	@Test
	void cancelInterruptsRunningStepsCompensatesAndEndsCancelled() throws InterruptedException {
		Orchestrator orchestrator = orchestrator();
		CountDownLatch running = new CountDownLatch(1);
		AtomicBoolean interrupted = new AtomicBoolean();
		orchestrator.register(
				workflow("cancellable", noop("reserve").compensateWith((context) -> this.compensated.add("reserve")),
						step("wait_for_payment", (context) -> {
							running.countDown();
							try {
								Thread.sleep(10_000);
							}
							catch (InterruptedException ex) {
								interrupted.set(true);
								throw ex;
							}
							return Map.of();
						}).dependsOn("reserve").compensateWith((context) -> this.compensated.add("wait_for_payment")),
						noop("ship").dependsOn("wait_for_payment")));
		String id = orchestrator.startAsync("cancellable", null);
		assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
		WorkflowResult result = orchestrator.cancel(id, "customer asked");
		assertThat(result.status()).isEqualTo(WorkflowStatus.CANCELLED);
		assertThat(result.error()).contains("cancelled: customer asked");
		assertThat(interrupted).isTrue();
		assertThat(this.compensated).containsExactly("reserve");
		assertThat(result.instance().step("reserve").orElseThrow().status()).isEqualTo(StepStatus.COMPENSATED);
		assertThat(result.instance().step("wait_for_payment").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
		assertThat(result.instance().step("ship").orElseThrow().status()).isEqualTo(StepStatus.PENDING);
		assertThat(this.events).filteredOn((event) -> event.type() == WorkflowEventType.WORKFLOW_CANCELLED)
			.singleElement()
			.satisfies((event) -> assertThat(event.data()).containsEntry("reason", "customer asked"));
	}

	@Test
	void cancellingAFinishedInstanceChangesNothing() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("quick", noop("a")));
		WorkflowResult done = orchestrator.start("quick", null);
		WorkflowResult afterCancel = orchestrator.cancel(done.instanceId(), "too late");
		assertThat(afterCancel.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(afterCancel.instance()).isEqualTo(done.instance());
	}

	@Test
	void cancelsAnInstanceWaitingForARetry() {
		Orchestrator orchestrator = orchestrator();
		orchestrator
			.register(workflow("retrying", noop("reserve").compensateWith((context) -> this.compensated.add("reserve")),
					step("call", (context) -> {
						throw new IllegalStateException("down");
					}).dependsOn("reserve")
						.retryPolicy(
								RetryPolicy.builder().maxAttempts(5).initialInterval(Duration.ofMinutes(5)).build())));
		String id = orchestrator.startAsync("retrying", null);
		await().atMost(WAIT).until(() -> orchestrator.status(id).orElseThrow().status() == WorkflowStatus.WAITING);
		WorkflowResult result = orchestrator.cancel(id, "give up");
		assertThat(result.status()).isEqualTo(WorkflowStatus.CANCELLED);
		assertThat(result.instance().step("call").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
		assertThat(this.compensated).containsExactly("reserve");
	}

	@Test
	void cancelsAPendingInstanceBeforeItStarts() {
		Orchestrator orchestrator = orchestrator();
		AtomicInteger calls = new AtomicInteger();
		orchestrator.register(workflow("later", step("a", (context) -> Map.of("n", calls.incrementAndGet()))));
		String id = orchestrator.startAsync("later", null,
				io.orchwf.StartOptions.builder().startAt(java.time.Instant.now().plus(Duration.ofHours(1))).build());
		WorkflowResult result = orchestrator.cancel(id, "not needed");
		assertThat(result.status()).isEqualTo(WorkflowStatus.CANCELLED);
		assertThat(calls).hasValue(0);
		assertThat(eventTypes(id)).doesNotContain(WorkflowEventType.WORKFLOW_STARTED);
	}

	@Test
	void resumeRerunsFailedStepsWithFreshAttemptsAndKeepsCompletedOutputs() {
		Orchestrator orchestrator = orchestrator();
		AtomicInteger firstRuns = new AtomicInteger();
		AtomicBoolean broken = new AtomicBoolean(true);
		orchestrator.register(workflow("resumable",
				step("first", (context) -> Map.of("n", firstRuns.incrementAndGet())), step("second", (context) -> {
					if (broken.get()) {
						throw new IllegalStateException("dependency down");
					}
					return Map.of("seen", context.get("n", Integer.class), "attempt", context.attempt());
				}).dependsOn("first")
					.retryPolicy(RetryPolicy.builder().maxAttempts(2).initialInterval(Duration.ZERO).build())));
		WorkflowResult failed = orchestrator.start("resumable", null);
		assertThat(failed.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(failed.instance().step("second").orElseThrow().attempts()).isEqualTo(2);
		broken.set(false);
		WorkflowResult resumed = orchestrator.resume(failed.instanceId());
		assertThat(resumed.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(resumed.instanceId()).isEqualTo(failed.instanceId());
		assertThat(resumed.error()).isEmpty();
		assertThat(resumed.output()).containsEntry("seen", 1).containsEntry("attempt", 1);
		assertThat(firstRuns).hasValue(1);
		assertThat(eventTypes(failed.instanceId())).contains(WorkflowEventType.WORKFLOW_RESUMED);
	}

	@Test
	void resumeRerunsCompensatedSteps() {
		Orchestrator orchestrator = orchestrator();
		AtomicInteger reserves = new AtomicInteger();
		AtomicBoolean broken = new AtomicBoolean(true);
		orchestrator.register(workflow("saga", step("reserve", (context) -> Map.of("r", reserves.incrementAndGet()))
			.compensateWith((context) -> this.compensated.add("reserve")), step("pay", (context) -> {
				if (broken.get()) {
					throw new IllegalStateException("declined");
				}
				return Map.of();
			}).dependsOn("reserve")));
		WorkflowResult failed = orchestrator.start("saga", null);
		assertThat(failed.instance().step("reserve").orElseThrow().status()).isEqualTo(StepStatus.COMPENSATED);
		broken.set(false);
		WorkflowResult resumed = orchestrator.resume(failed.instanceId());
		assertThat(resumed.success()).isTrue();
		assertThat(reserves).hasValue(2);
		assertThat(resumed.output()).containsEntry("r", 2);
	}

	@Test
	void resumeRunsAStepOnlyOnceEveryAncestorHasRunAgain() {
		Orchestrator orchestrator = orchestrator();
		List<String> ran = Collections.synchronizedList(new ArrayList<>());
		List<Map<String, Object>> paymentInputs = Collections.synchronizedList(new ArrayList<>());
		AtomicBoolean declined = new AtomicBoolean(true);
		AtomicInteger reservations = new AtomicInteger();
		orchestrator.register(workflow("order",
				step("validate", (context) -> ran("validate", ran, Map.of("valid", true)))
					.compensateWith((context) -> this.compensated.add("validate")),
				step("check", (context) -> ran("check", ran, Map.of("in_stock", true))).dependsOn("validate"),
				step("reserve",
						(context) -> ran("reserve", ran, Map.of("reservation", "r-" + reservations.incrementAndGet())))
					.dependsOn("check")
					.compensateWith((context) -> this.compensated.add("reserve")),
				StepDefinition.awaitSignal("approval", "approve").dependsOn("reserve"), step("pay", (context) -> {
					ran.add("pay");
					paymentInputs.add(context.input());
					if (declined.getAndSet(false)) {
						throw new NonRetryableStepException("card_declined", "declined");
					}
					return Map.of("paid", true);
				}).dependsOn("approval").async(true)));
		String id = orchestrator.startAsync("order", null);
		orchestrator.signal(id, "approve", Map.of("by", "ann"));
		WorkflowResult failed = orchestrator.awaitCompletion(id, WAIT).orElseThrow();
		assertThat(failed.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(this.compensated).containsExactly("reserve", "validate");
		assertThat(failed.instance().step("approval").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
		ran.clear();
		paymentInputs.clear();
		this.compensated.clear();

		WorkflowResult resumed = orchestrator.resume(id);

		assertThat(resumed.status()).isEqualTo(WorkflowStatus.COMPLETED);
		// the undone steps run again, in order; the kept check and approval do not
		assertThat(ran).containsExactly("validate", "reserve", "pay");
		assertThat(paymentInputs).singleElement()
			.satisfies((input) -> assertThat(input).containsEntry("reservation", "r-2")
				.containsEntry("valid", true)
				.containsEntry("in_stock", true)
				.containsEntry("by", "ann"));
		assertThat(this.compensated).isEmpty();
		assertThat(resumed.instance().step("reserve").orElseThrow().attempts()).isEqualTo(1);
		List<WorkflowEvent> afterResume = this.events.stream()
			.filter((event) -> event.instanceId().equals(id))
			.dropWhile((event) -> event.type() != WorkflowEventType.WORKFLOW_RESUMED)
			.toList();
		assertThat(afterResume).extracting((event) -> event.type() + " " + event.stepId())
			.containsExactly("WORKFLOW_RESUMED null", "STEP_STARTED validate", "STEP_COMPLETED validate",
					"STEP_STARTED reserve", "STEP_COMPLETED reserve", "STEP_STARTED pay", "STEP_COMPLETED pay",
					"WORKFLOW_COMPLETED null");
	}

	@Test
	void resumeOfAFailedInstanceWhoseUndoneAncestorFailsAgainNeverRunsItsDependents() {
		Orchestrator orchestrator = orchestrator();
		List<String> ran = Collections.synchronizedList(new ArrayList<>());
		AtomicInteger reserveRuns = new AtomicInteger();
		orchestrator.register(workflow("order", step("reserve", (context) -> {
			if (reserveRuns.incrementAndGet() > 1) {
				throw new NonRetryableStepException("out_of_stock", "sold out meanwhile");
			}
			return ran("reserve", ran, Map.of("reservation", "r-1"));
		}).compensateWith((context) -> this.compensated.add("reserve")),
				StepDefinition.awaitSignal("approval", "approve").dependsOn("reserve"), step("pay", (context) -> {
					ran.add("pay");
					throw new NonRetryableStepException("card_declined", "declined");
				}).dependsOn("approval").async(true)));
		String id = orchestrator.startAsync("order", null);
		orchestrator.signal(id, "approve", Map.of());
		assertThat(orchestrator.awaitCompletion(id, WAIT).orElseThrow().status()).isEqualTo(WorkflowStatus.FAILED);
		ran.clear();

		WorkflowResult resumed = orchestrator.resume(id);

		assertThat(resumed.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(resumed.error()).hasValueSatisfying((error) -> assertThat(error).contains("step reserve failed"));
		assertThat(ran).as("pay never runs without its reservation").isEmpty();
		assertThat(resumed.instance().step("pay").orElseThrow().status()).isEqualTo(StepStatus.PENDING);
		assertThat(resumed.instance().step("pay").orElseThrow().attempts()).isZero();
	}

	@Test
	void anAttemptStoppedBeforeItsCodeBeganDoesNotCountAndLeavesItsStepPending() throws InterruptedException {
		// one worker: of the two async steps, one runs and the other waits in the pool
		Orchestrator orchestrator = orchestrator((builder) -> builder.workers(1));
		CountDownLatch oneRuns = new CountDownLatch(1);
		StepExecutor blocking = (context) -> {
			oneRuns.countDown();
			Thread.sleep(10_000);
			return Map.of();
		};
		orchestrator.register(workflow("stopped", step("left", blocking).async(true),
				step("right", blocking).async(true), step("fails", (context) -> {
					oneRuns.await(5, TimeUnit.SECONDS);
					throw new NonRetryableStepException("broken", "broken");
				})));
		WorkflowResult result = orchestrator.start("stopped", null);
		assertThat(oneRuns.getCount()).isZero();
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		List<StepInstance> branches = List.of(result.instance().step("left").orElseThrow(),
				result.instance().step("right").orElseThrow());
		assertThat(branches).filteredOn((step) -> step.status() == StepStatus.FAILED)
			.singleElement()
			.satisfies((step) -> assertThat(step.attempts()).isEqualTo(1));
		StepInstance withdrawn = branches.stream()
			.filter((step) -> step.status() != StepStatus.FAILED)
			.findFirst()
			.orElseThrow();
		assertThat(withdrawn.status()).isEqualTo(StepStatus.PENDING);
		assertThat(withdrawn.attempts()).isZero();
		assertThat(withdrawn.error()).isEmpty();
		assertThat(eventsOf(result.instanceId(), WorkflowEventType.STEP_FAILED)).containsExactlyInAnyOrder("fails",
				(withdrawn.stepId().equals("left") ? "right" : "left"));
	}

	private static Map<String, Object> ran(String stepId, List<String> ran, Map<String, Object> output) {
		ran.add(stepId);
		return output;
	}

	@Test
	void resumingACompletedInstanceReturnsItsResult() {
		Orchestrator orchestrator = orchestrator();
		AtomicInteger calls = new AtomicInteger();
		orchestrator.register(workflow("once", step("a", (context) -> Map.of("n", calls.incrementAndGet()))));
		WorkflowResult done = orchestrator.start("once", null);
		assertThat(orchestrator.resume(done.instanceId()).instance()).isEqualTo(done.instance());
		assertThat(calls).hasValue(1);
	}

	@Test
	void unknownInstancesAreReportedAsSuch() {
		Orchestrator orchestrator = orchestrator();
		assertThat(orchestrator.status("nope")).isEmpty();
		assertThatExceptionOfType(InstanceNotFoundException.class).isThrownBy(() -> orchestrator.resume("nope"))
			.withMessageContaining("nope")
			.satisfies((ex) -> assertThat(ex.getInstanceId()).isEqualTo("nope"));
		assertThatExceptionOfType(InstanceNotFoundException.class).isThrownBy(() -> orchestrator.cancel("nope", "x"));
		assertThatExceptionOfType(InstanceNotFoundException.class).isThrownBy(() -> orchestrator.history("nope"));
		assertThatExceptionOfType(InstanceNotFoundException.class)
			.isThrownBy(() -> orchestrator.awaitCompletion("nope", Duration.ofMillis(10)));
		assertThatExceptionOfType(InstanceNotFoundException.class)
			.isThrownBy(() -> orchestrator.signal("nope", "approve", Map.of()));
	}

	@Test
	void aCancellationHandedOverMidCompensationStillEndsCancelled() throws InterruptedException {
		CountDownLatch compensating = new CountDownLatch(1);
		CountDownLatch releaseCompensator = new CountDownLatch(1);
		CountDownLatch running = new CountDownLatch(1);
		var definition = workflow("handover_cancel", noop("a").compensateWith((context) -> {
			compensating.countDown();
			releaseCompensator.await(10, TimeUnit.SECONDS);
			this.compensated.add("a");
		}), step("c", (context) -> {
			running.countDown();
			Thread.sleep(60_000);
			return Map.of();
		}).dependsOn("a"));
		Orchestrator first = orchestrator(
				(builder) -> builder.nodeId("node-a").shutdownTimeout(Duration.ofMillis(100)));
		first.register(definition);
		String id = first.startAsync("handover_cancel", null);
		assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
		java.util.concurrent.CompletableFuture.runAsync(() -> {
			try {
				first.cancel(id, "customer asked");
			}
			catch (IllegalStateException ex) {
				// the node closed before the cancellation finished
			}
		});
		assertThat(compensating.await(5, TimeUnit.SECONDS)).isTrue();
		first.close();
		releaseCompensator.countDown();
		Orchestrator second = orchestrator((builder) -> builder.nodeId("node-b"));
		second.register(definition);
		WorkflowResult result = second.awaitCompletion(id, WAIT).orElseThrow();
		assertThat(result.status()).isEqualTo(WorkflowStatus.CANCELLED);
		assertThat(result.error()).contains("cancelled: customer asked");
		assertThat(result.instance().step("a").orElseThrow().status()).isEqualTo(StepStatus.COMPENSATED);
	}

	@Test
	void aCancellationThatArrivesDuringCompensationDoesNotBlockALaterResume() throws InterruptedException {
		CountDownLatch compensating = new CountDownLatch(1);
		CountDownLatch releaseCompensator = new CountDownLatch(1);
		AtomicBoolean broken = new AtomicBoolean(true);
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("late_cancel", noop("book").compensateWith((context) -> {
			compensating.countDown();
			releaseCompensator.await(10, TimeUnit.SECONDS);
		}), step("pay", (context) -> {
			if (broken.get()) {
				throw new IllegalStateException("down");
			}
			return Map.of("paid", true);
		}).dependsOn("book")));
		String id = orchestrator.startAsync("late_cancel", null);
		assertThat(compensating.await(5, TimeUnit.SECONDS)).isTrue();
		var cancel = java.util.concurrent.CompletableFuture.supplyAsync(() -> orchestrator.cancel(id, "ops"));
		await().atMost(WAIT).until(() -> this.store.load(id).orElseThrow().instance().cancelReason() != null);
		releaseCompensator.countDown();
		assertThat(cancel.join().status()).isEqualTo(WorkflowStatus.FAILED);
		broken.set(false);
		WorkflowResult resumed = orchestrator.resume(id);
		assertThat(resumed.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(resumed.output()).containsEntry("paid", true);
	}

}
