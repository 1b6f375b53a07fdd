package io.orchwf.scenario;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.FailurePolicy;
import io.orchwf.NonRetryableStepException;
import io.orchwf.Orchestrator;
import io.orchwf.StepCompensator;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.store.InstanceUpdate;
import io.orchwf.store.StepRecord;
import io.orchwf.store.StoreException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailureScenarioTests extends ScenarioSupport {

	private final List<String> compensated = Collections.synchronizedList(new ArrayList<>());

	private StepCompensator undo(String stepId) {
		return (context) -> this.compensated.add(stepId + ":" + context.get("ref", String.class));
	}

	@Test
	void requiredStepFailureFailsTheWorkflowWithItsAttemptsAndMessage() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("fails", noop("a"), step("b", (context) -> {
			throw new IllegalStateException("card declined");
		}).dependsOn("a"), noop("c").dependsOn("b")));
		WorkflowResult result = orchestrator.start("fails", null);
		assertThat(result.success()).isFalse();
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.error()).contains("step b failed after 1 attempt: card declined");
		assertThat(result.instance().step("b").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
		assertThat(result.instance().step("b").orElseThrow().error()).contains("card declined");
		assertThat(result.instance().step("c").orElseThrow().status()).isEqualTo(StepStatus.PENDING);
		assertThat(eventTypes(result.instanceId())).endsWith(WorkflowEventType.STEP_FAILED,
				WorkflowEventType.WORKFLOW_FAILED);
	}

	@Test
	void optionalStepFailureLetsDependentsRunWithoutItsOutput() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("optional", step("recommend", (context) -> {
			throw new IllegalStateException("service down");
		}).required(false).async(true), step("confirm", (context) -> Map.of("saw", context.input().containsKey("recs")))
			.dependsOn("recommend")));
		WorkflowResult result = orchestrator.start("optional", null);
		assertThat(result.success()).isTrue();
		assertThat(result.output()).containsEntry("saw", false);
		assertThat(result.instance().step("recommend").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
	}

	@Test
	void failFastInterruptsRunningStepsAndCompensatesInReverseCompletionOrder() throws InterruptedException {
		Orchestrator orchestrator = orchestrator();
		CountDownLatch slowStarted = new CountDownLatch(1);
		AtomicBoolean slowInterrupted = new AtomicBoolean();
		orchestrator.register(WorkflowDefinition.builder("saga", "Saga")
			.steps(step("reserve", (context) -> Map.of("ref", "r1")).compensateWith(undo("reserve")).build(),
					step("charge", (context) -> Map.of("ref", "c1")).dependsOn("reserve")
						.compensateWith(undo("charge"))
						.build(),
					step("slow", (context) -> {
						slowStarted.countDown();
						try {
							Thread.sleep(10_000);
						}
						catch (InterruptedException ex) {
							slowInterrupted.set(true);
							throw ex;
						}
						return Map.of();
					}).dependsOn("charge").async(true).compensateWith(undo("slow")).build(), step("ship", (context) -> {
						assertThat(slowStarted.await(5, TimeUnit.SECONDS)).isTrue();
						throw new NonRetryableStepException("no carrier");
					}).dependsOn("charge").async(true).build())
			.build());
		WorkflowResult result = orchestrator.start("saga", null);
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.error()).contains("step ship failed after 1 attempt: no carrier");
		assertThat(slowInterrupted).isTrue();
		assertThat(this.compensated).containsExactly("charge:c1", "reserve:r1");
		assertThat(result.instance().step("reserve").orElseThrow().status()).isEqualTo(StepStatus.COMPENSATED);
		assertThat(result.instance().step("charge").orElseThrow().status()).isEqualTo(StepStatus.COMPENSATED);
		assertThat(result.instance().step("slow").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
		assertThat(result.instance().step("slow").orElseThrow().error()).hasValueSatisfying(
				(error) -> assertThat(error).startsWith("interrupted: workflow failed because step ship failed"));
		assertThat(eventsOf(result.instanceId(), WorkflowEventType.STEP_COMPENSATED)).containsExactly("charge",
				"reserve");
		assertThat(eventTypes(result.instanceId())).last().isEqualTo(WorkflowEventType.WORKFLOW_FAILED);
	}

	@Test
	void completeAllLetsIndependentBranchesFinishBeforeCompensating() {
		Orchestrator orchestrator = orchestrator();
		CountDownLatch failed = new CountDownLatch(1);
		orchestrator.register(WorkflowDefinition.builder("complete_all", "Complete all")
			.failurePolicy(FailurePolicy.COMPLETE_ALL)
			.steps(step("sms", (context) -> {
				failed.countDown();
				throw new IllegalStateException("sms gateway down");
			}).async(true).build(), noop("after_sms").dependsOn("sms").build(), step("email", (context) -> {
				assertThat(failed.await(5, TimeUnit.SECONDS)).isTrue();
				return Map.of("ref", "e1");
			}).async(true).compensateWith(undo("email")).build(),
					noop("after_email").dependsOn("email").compensateWith(undo("after_email")).build())
			.build());
		WorkflowResult result = orchestrator.start("complete_all", null);
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.error()).contains("step sms failed after 1 attempt: sms gateway down");
		assertThat(result.instance().step("after_sms").orElseThrow().status()).isEqualTo(StepStatus.PENDING);
		assertThat(result.instance().step("email").orElseThrow().status()).isEqualTo(StepStatus.COMPENSATED);
		assertThat(result.instance().step("after_email").orElseThrow().status()).isEqualTo(StepStatus.COMPENSATED);
		assertThat(this.compensated).containsExactly("after_email:e1", "email:e1");
	}

	@Test
	void aFailingCompensatorIsRecordedAndTheOthersStillRun() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(WorkflowDefinition.builder("bad_undo", "Bad undo")
			.steps(step("a", (context) -> Map.of("ref", "a1")).compensateWith(undo("a")).build(),
					step("b", (context) -> Map.of()).dependsOn("a").compensateWith((context) -> {
						throw new IllegalStateException("refund api down");
					}).build(), step("c", (context) -> {
						throw new NonRetryableStepException("boom");
					}).dependsOn("b").build())
			.build());
		WorkflowResult result = orchestrator.start("bad_undo", null);
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(this.compensated).containsExactly("a:a1");
		assertThat(result.instance().step("b").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(this.events).anySatisfy((event) -> {
			assertThat(event.type()).isEqualTo(WorkflowEventType.STEP_FAILED);
			assertThat(event.stepId()).isEqualTo("b");
			assertThat(event.data()).containsEntry("compensation", true);
		});
	}

	@Test
	void outputThatCannotBeStoredFailsTheStepWithoutRetry() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("bad_output", step("a", (context) -> Map.of("ratio", Double.NaN))
			.retryPolicy(io.orchwf.RetryPolicy.builder().maxAttempts(3).build())));
		WorkflowResult result = orchestrator.start("bad_output", null);
		assertThat(result.success()).isFalse();
		assertThat(result.error()).hasValueSatisfying((error) -> assertThat(error).contains("output of step a.ratio"));
		assertThat(result.instance().step("a").orElseThrow().attempts()).isEqualTo(1);
	}

	@Test
	void aStepErrorWithTheNulCharacterIsStoredAndReported() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("nul_error", step("a", (context) -> {
			throw new NonRetryableStepException("bad\u0000byte");
		})));
		WorkflowResult result = orchestrator.start("nul_error", null);
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.error()).hasValueSatisfying((error) -> assertThat(error).contains("bad").contains("byte"));
		assertThat(orchestrator.status(result.instanceId()).orElseThrow().step("a").orElseThrow().error())
			.hasValueSatisfying((error) -> assertThat(error).contains("bad").contains("byte"));
	}

	@Test
	void aTransitionTheStoreRefusesForGoodIsHandedBackAndRetriedWithoutStoppingTheOthers() {
		AtomicBoolean faulty = new AtomicBoolean(true);
		AtomicInteger refusals = new AtomicInteger();
		this.store = StoreInterceptor.wrap(this.store, (method, args, call) -> {
			if (method.getName().equals("apply") && faulty.get() && completes(args[0], "charge")) {
				refusals.incrementAndGet();
				throw new StoreException("value too long for type character varying(255) (test)", null, false);
			}
			if (method.getName().equals("releaseLeases")) {
				// the fault passes while the instance waits to be retried
				faulty.set(false);
			}
			return call.proceed();
		});
		Orchestrator orchestrator = orchestrator();
		AtomicInteger charges = new AtomicInteger();
		orchestrator
			.register(workflow("refused", step("charge", (context) -> Map.of("charge", charges.incrementAndGet()))));
		orchestrator.register(workflow("fine", noop("ok")));
		List<String> fine = new ArrayList<>();
		String refused = orchestrator.startAsync("refused", null);
		for (int i = 0; i < 20; i++) {
			fine.add(orchestrator.startAsync("fine", null));
		}
		for (String id : fine) {
			assertThat(orchestrator.awaitCompletion(id, WAIT).orElseThrow().status())
				.isEqualTo(WorkflowStatus.COMPLETED);
		}
		WorkflowResult result = orchestrator.awaitCompletion(refused, WAIT).orElseThrow();
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(refusals).hasPositiveValue();
		assertThat(charges).as("the step whose completion was refused runs again").hasValue(2);
		assertThat(result.output()).containsEntry("charge", 2);
	}

	private static boolean completes(Object updates, String stepId) {
		for (Object update : (List<?>) updates) {
			for (StepRecord step : ((InstanceUpdate) update).steps()) {
				if (step.stepId().equals(stepId) && step.status() == StepStatus.COMPLETED) {
					return true;
				}
			}
		}
		return false;
	}

	@Test
	void failFastWaitsForAnInterruptedStepAndCompensatesItIfItCompletedAnyway() {
		CountDownLatch reserveRunning = new CountDownLatch(1);
		CountDownLatch payFailed = new CountDownLatch(1);
		Orchestrator orchestrator = orchestrator((builder) -> builder.listener((event) -> {
			if (event.type() == WorkflowEventType.STEP_FAILED && "pay".equals(event.stepId())) {
				payFailed.countDown();
			}
		}));
		orchestrator.register(workflow("zombie", step("done", (context) -> Map.of()).async(true)
			.compensateWith((context) -> this.compensated.add("done")), step("reserve", (context) -> {
				reserveRunning.countDown();
				// ignores interrupts, like a blocking client call, and finishes after the
				// failure
				boolean failed = false;
				while (!failed) {
					try {
						failed = payFailed.await(5, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						// swallowed on purpose
					}
				}
				this.compensated.add("reserved");
				return Map.of("ref", "r1");
			}).dependsOn("done").async(true).compensateWith(undo("reserve")), step("pay", (context) -> {
				assertThat(reserveRunning.await(5, TimeUnit.SECONDS)).isTrue();
				throw new NonRetryableStepException("card declined");
			}).dependsOn("done").async(true)));
		WorkflowResult result = orchestrator.start("zombie", null);
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(this.compensated).containsExactly("reserved", "reserve:r1", "done");
		assertThat(result.instance().step("reserve").orElseThrow().status()).isEqualTo(StepStatus.COMPENSATED);
	}

	@Test
	void anInterruptedStepThatStopsFailsWithTheReason() throws InterruptedException {
		Orchestrator orchestrator = orchestrator();
		CountDownLatch slowStarted = new CountDownLatch(1);
		orchestrator.register(workflow("stops", step("slow", (context) -> {
			slowStarted.countDown();
			Thread.sleep(10_000);
			return Map.of();
		}).async(true), step("boom", (context) -> {
			assertThat(slowStarted.await(5, TimeUnit.SECONDS)).isTrue();
			throw new NonRetryableStepException("boom");
		}).async(true)));
		WorkflowResult result = orchestrator.start("stops", null);
		assertThat(result.instance().step("slow").orElseThrow().error()).hasValueSatisfying(
				(error) -> assertThat(error).isEqualTo("interrupted: workflow failed because step boom failed"));
	}

}
