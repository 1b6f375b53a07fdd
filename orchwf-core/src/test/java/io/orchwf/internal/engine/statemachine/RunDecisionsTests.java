package io.orchwf.internal.engine.statemachine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.FailurePolicy;
import io.orchwf.RetryPolicy;
import io.orchwf.StepDefinition;
import io.orchwf.StepException;
import io.orchwf.StepResult;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.internal.engine.attempt.Attempt;
import io.orchwf.internal.engine.attempt.StepFailure;
import io.orchwf.store.StepRecord;
import org.junit.jupiter.api.Test;

import static io.orchwf.internal.engine.statemachine.DecisionsUnderTest.T0;
import static io.orchwf.internal.engine.statemachine.DecisionsUnderTest.event;
import static io.orchwf.internal.engine.statemachine.DecisionsUnderTest.events;
import static io.orchwf.internal.engine.statemachine.DecisionsUnderTest.followUps;
import static io.orchwf.internal.engine.statemachine.DecisionsUnderTest.launched;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The instance state machine alone: given states in, decisions out.
 */
class RunDecisionsTests {

	@Test
	void aStepStartsOnceItsDependenciesHaveFinishedAndNeverWaitsForOthers() {
		DecisionsUnderTest run = DecisionsUnderTest.newInstance(workflow(step("a"), step("b", "a").async(true),
				step("c", "a").async(true), step("d", "b", "c"), step("e", "b").async(true)));
		Transition started = run.begin();
		assertThat(events(started)).containsExactly("WORKFLOW_STARTED", "STEP_STARTED a");
		assertThat(run.workflowStatus()).isEqualTo(WorkflowStatus.RUNNING);

		List<Attempt> branches = launched(run.completes(launched(started).get(0), Map.of("a", 1)));
		assertThat(branches).extracting(run::stepId).containsExactly("b", "c");
		assertThat(branches).allSatisfy((attempt) -> assertThat(attempt.input()).containsEntry("a", 1));

		Transition bDone = run.completes(branches.get(0), Map.of("b", 2));
		assertThat(run.launchedSteps(bDone)).as("e needs only b; d waits for c").containsExactly("e");
		Attempt e = launched(bDone).get(0);
		Transition cDone = run.completes(branches.get(1), Map.of("c", 3));
		List<Attempt> join = launched(cDone);
		assertThat(join).extracting(run::stepId).containsExactly("d");
		assertThat(join.get(0).input()).containsEntry("a", 1).containsEntry("b", 2).containsEntry("c", 3);
		run.completes(e, Map.of());

		Transition finished = run.completes(join.get(0), Map.of("d", 4));
		assertThat(events(finished)).containsExactly("STEP_COMPLETED d", "WORKFLOW_COMPLETED");
		assertThat(run.workflowStatus()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(followUps(finished, FollowUp.Ended.class)).singleElement()
			.satisfies((ended) -> assertThat(ended.ending()).isEqualTo(RunEnding.FINISHED));
	}

	@Test
	void syncStepsOfOneInstanceRunOneAtATimeInPriorityOrder() {
		DecisionsUnderTest run = DecisionsUnderTest
			.newInstance(workflow(step("low"), step("high").priority(5), step("parallel").async(true)));
		Transition started = run.begin();
		assertThat(run.launchedSteps(started)).containsExactly("high", "parallel");
		Attempt high = launched(started).get(0);
		assertThat(run.launchedSteps(run.completes(high, Map.of()))).containsExactly("low");
	}

	@Test
	void aFailedRequiredStepFailsTheWorkflowAndCompensatesInReverseCompletionOrder() {
		DecisionsUnderTest run = DecisionsUnderTest.newInstance(workflow(compensable("reserve"),
				compensable("charge", "reserve"), step("ship", "charge"), compensable("notify", "ship")));
		Attempt reserve = launched(run.begin()).get(0);
		Attempt charge = launched(run.completes(reserve, Map.of("reservation", "r-1"))).get(0);
		Attempt ship = launched(run.completes(charge, Map.of("payment", "p-1"))).get(0);

		Transition failed = run.fails(ship, StepFailure.permanent("no_carrier", "no carrier"));

		assertThat(events(failed)).startsWith("STEP_FAILED ship");
		assertThat(run.workflowStatus()).isEqualTo(WorkflowStatus.COMPENSATING);
		assertThat(run.error()).isEqualTo("step ship failed after 1 attempt: no carrier");
		Attempt undoCharge = launched(failed).get(0);
		assertThat(undoCharge.compensation()).isTrue();
		assertThat(run.stepId(undoCharge)).isEqualTo("charge");
		assertThat(undoCharge.input()).as("a compensator sees its step's output").containsEntry("payment", "p-1");
		Transition next = run.compensated(undoCharge);
		assertThat(events(next)).containsExactly("STEP_COMPENSATED charge");
		Attempt undoReserve = launched(next).get(0);
		assertThat(run.stepId(undoReserve)).isEqualTo("reserve");
		Transition done = run.compensated(undoReserve);
		assertThat(events(done)).containsExactly("STEP_COMPENSATED reserve", "WORKFLOW_FAILED");
		assertThat(run.workflowStatus()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(run.status("notify")).isEqualTo(StepStatus.PENDING);
	}

	@Test
	void failFastStopsSchedulingWhileCompleteAllLetsIndependentBranchesFinish() {
		for (FailurePolicy policy : FailurePolicy.values()) {
			DecisionsUnderTest run = DecisionsUnderTest.newInstance(WorkflowDefinition.builder("w", "w")
				.failurePolicy(policy)
				.step(step("broken").async(true).build())
				.step(step("slow").async(true).build())
				.step(step("after_slow", "slow").build())
				.build());
			List<Attempt> started = launched(run.begin());
			Transition failed = run.fails(started.get(0), StepFailure.permanent("bad", "bad"));
			assertThat(started.get(1).isInterrupted()).as(policy.name()).isEqualTo(policy == FailurePolicy.FAIL_FAST);
			Transition slowDone = run.completes(started.get(1), Map.of());
			if (policy == FailurePolicy.FAIL_FAST) {
				assertThat(launched(failed)).isEmpty();
				assertThat(run.status("after_slow")).isEqualTo(StepStatus.PENDING);
				assertThat(run.status("slow")).as("its code never began: the attempt is withdrawn")
					.isEqualTo(StepStatus.PENDING);
				assertThat(run.step("slow").attempts).isZero();
				assertThat(events(slowDone)).as("what it reports later is ignored").isEmpty();
				assertThat(run.workflowStatus()).isEqualTo(WorkflowStatus.FAILED);
			}
			else {
				assertThat(run.launchedSteps(slowDone)).containsExactly("after_slow");
			}
		}
	}

	@Test
	void aRetryableFailureWaitsForItsBackoffHoldingNothingThenRunsAgain() {
		RetryPolicy retry = RetryPolicy.builder()
			.maxAttempts(3)
			.initialInterval(Duration.ofMinutes(10))
			.multiplier(2)
			.maxInterval(Duration.ofHours(1))
			.jitter(0)
			.retryableErrors("unavailable")
			.build();
		DecisionsUnderTest run = DecisionsUnderTest.newInstance(workflow(step("call").retryPolicy(retry)));
		Attempt first = launched(run.begin()).get(0);

		Transition retrying = run.fails(first, new StepFailure("unavailable", "down", true));

		assertThat(events(retrying)).containsExactly("STEP_RETRYING call");
		assertThat(event(retrying, WorkflowEventType.STEP_RETRYING).data()).containsEntry("delayMs", 600_000);
		assertThat(run.status("call")).isEqualTo(StepStatus.WAITING);
		assertThat(run.step("call").wakeAt).isEqualTo(T0.plus(Duration.ofMinutes(10)));
		assertThat(followUps(retrying, FollowUp.WakeAt.class)).extracting(FollowUp.WakeAt::at)
			.containsExactly(T0.plus(Duration.ofMinutes(10)));
		assertThat(followUps(retrying, FollowUp.Ended.class)).singleElement()
			.satisfies((ended) -> assertThat(ended.ending()).isEqualTo(RunEnding.PARKED));
		assertThat(run.workflowStatus()).isEqualTo(WorkflowStatus.WAITING);

		run.advanceTime(Duration.ofMinutes(9));
		assertThat(launched(run.reclaim())).as("not due yet").isEmpty();
		run.advanceTime(Duration.ofMinutes(1));
		Attempt second = launched(run.reclaim()).get(0);
		assertThat(second.number()).isEqualTo(2);
		run.fails(second, new StepFailure("unavailable", "down", true));
		assertThat(run.step("call").wakeAt).as("the second delay doubles")
			.isEqualTo(run.now().plus(Duration.ofMinutes(20)));

		run.advanceTime(Duration.ofMinutes(20));
		Attempt third = launched(run.reclaim()).get(0);
		Transition exhausted = run.fails(third, new StepFailure("unavailable", "down", true));
		assertThat(events(exhausted)).containsExactly("STEP_FAILED call", "WORKFLOW_FAILED");
		assertThat(run.error()).isEqualTo("step call failed after 3 attempts: down");
	}

	@Test
	void aFailureOfAnotherTypeThanTheRetryableOnesIsNotRetried() {
		RetryPolicy retry = RetryPolicy.builder().maxAttempts(3).retryableErrors("unavailable").build();
		DecisionsUnderTest run = DecisionsUnderTest.newInstance(workflow(step("call").retryPolicy(retry)));
		Attempt first = launched(run.begin()).get(0);
		assertThat(events(run.fails(first, new StepFailure("validation", "bad", true))))
			.containsExactly("STEP_FAILED call", "WORKFLOW_FAILED");
	}

	@Test
	void aFalseConditionSkipsAStepAndSkippingSpreadsToStepsWhoseDependenciesWereAllSkipped() {
		DecisionsUnderTest run = DecisionsUnderTest.newInstance(workflow(step("check"),
				step("express", "check").when((context) -> Boolean.TRUE.equals(context.input().get("express"))),
				step("label", "express"), step("standard", "check"), step("ship", "label", "standard")));
		Transition checked = run.completes(launched(run.begin()).get(0), Map.of("express", false));
		assertThat(events(checked)).contains("STEP_SKIPPED express", "STEP_SKIPPED label");
		assertThat(run.launchedSteps(checked)).containsExactly("standard");
		Transition joined = run.completes(launched(checked).get(0), Map.of());
		assertThat(run.launchedSteps(joined)).as("a join with one completed dependency runs").containsExactly("ship");
	}

	@Test
	void anOptionalStepThatFailsLetsItsDependentsRunWithoutItsOutput() {
		DecisionsUnderTest run = DecisionsUnderTest
			.newInstance(workflow(step("recommend").required(false), step("reserve", "recommend")));
		Transition failed = run.fails(launched(run.begin()).get(0), StepFailure.permanent("down", "down"));
		assertThat(run.status("recommend")).isEqualTo(StepStatus.FAILED);
		assertThat(run.launchedSteps(failed)).containsExactly("reserve");
		assertThat(run.error()).isNull();
	}

	@Test
	void aSignalWaitParksTheInstanceAndASignalAlreadyThereEndsItAtOnce() {
		WorkflowDefinition approval = workflow(step("reserve"),
				StepDefinition.awaitSignal("approval", "approve").dependsOn("reserve").timeout(Duration.ofHours(24)),
				step("pay", "approval"));
		DecisionsUnderTest waiting = DecisionsUnderTest.newInstance(approval);
		Transition parked = waiting.completes(launched(waiting.begin()).get(0), Map.of());
		assertThat(events(parked)).containsExactly("STEP_COMPLETED reserve", "STEP_STARTED approval");
		assertThat(waiting.workflowStatus()).isEqualTo(WorkflowStatus.WAITING);
		assertThat(followUps(parked, FollowUp.WakeAt.class)).extracting(FollowUp.WakeAt::at)
			.containsExactly(T0.plus(Duration.ofHours(24)));
		assertThat(followUps(parked, FollowUp.Ended.class)).singleElement()
			.satisfies((ended) -> assertThat(ended.ending()).isEqualTo(RunEnding.PARKED));

		waiting.signal("approve", Map.of("by", "ann"));
		Transition resumed = waiting.recover();
		assertThat(events(resumed)).contains("STEP_COMPLETED approval");
		assertThat(launched(resumed)).singleElement()
			.satisfies((pay) -> assertThat(pay.input()).containsEntry("by", "ann"));
	}

	@Test
	void aSignalWaitWhoseDeadlinePassesFailsWithTypeTimeout() {
		DecisionsUnderTest run = DecisionsUnderTest
			.newInstance(workflow(StepDefinition.awaitSignal("approval", "approve").timeout(Duration.ofHours(24))));
		run.begin();
		run.advanceTime(Duration.ofHours(24));
		Transition timedOut = run.reclaim();
		assertThat(event(timedOut, WorkflowEventType.STEP_FAILED).data()).containsEntry("errorType", "timeout");
		assertThat(run.workflowStatus()).isEqualTo(WorkflowStatus.FAILED);
	}

	@Test
	void aTimerWakesTheInstanceAtItsEnd() {
		DecisionsUnderTest run = DecisionsUnderTest
			.newInstance(workflow(StepDefinition.timer("cool_off", Duration.ofDays(2)), step("after", "cool_off")));
		Transition parked = run.begin();
		assertThat(followUps(parked, FollowUp.WakeAt.class)).extracting(FollowUp.WakeAt::at)
			.containsExactly(T0.plus(Duration.ofDays(2)));
		run.advanceTime(Duration.ofDays(2));
		assertThat(run.launchedSteps(run.reclaim())).containsExactly("after");
	}

	@Test
	void aTimerUntilWaitsForTheInstantItsFunctionComputedOnceWhenItStarted() {
		AtomicInteger calls = new AtomicInteger();
		DecisionsUnderTest run = DecisionsUnderTest
			.newInstance(workflow(step("schedule"), StepDefinition.timerUntil("window", (context) -> {
				calls.incrementAndGet();
				return Instant.parse((String) context.stepOutput("schedule").get("opens"));
			}).dependsOn("schedule"), step("deliver", "window")));
		Transition parked = run.completes(launched(run.begin()).get(0), Map.of("opens", "2030-01-01T06:00:00Z"));

		Instant opens = Instant.parse("2030-01-01T06:00:00Z");
		assertThat(run.status("window")).isEqualTo(StepStatus.WAITING);
		assertThat(run.step("window").wakeAt).isEqualTo(opens);
		assertThat(event(parked, WorkflowEventType.STEP_STARTED).data()).containsEntry("until", opens.toString());
		assertThat(followUps(parked, FollowUp.WakeAt.class)).extracting(FollowUp.WakeAt::at).containsExactly(opens);
		assertThat(run.workflowStatus()).isEqualTo(WorkflowStatus.WAITING);

		run.advanceTime(Duration.ofHours(5));
		assertThat(launched(run.reclaim())).as("not due yet, whatever the function would say now").isEmpty();
		run.advanceTime(Duration.ofHours(1));
		assertThat(run.launchedSteps(run.reclaim())).containsExactly("deliver");
		assertThat(run.status("window")).isEqualTo(StepStatus.COMPLETED);
		assertThat(calls).as("computed once, when the step started").hasValue(1);
	}

	@Test
	void aTimerUntilAnInstantThatHasPassedCompletesAtOnceWithoutAWakeUp() {
		DecisionsUnderTest run = DecisionsUnderTest.newInstance(workflow(
				StepDefinition.timerUntil("late", (context) -> T0.minus(Duration.ofDays(1))), step("after", "late")));
		Transition started = run.begin();
		assertThat(events(started)).containsExactly("WORKFLOW_STARTED", "STEP_STARTED late", "STEP_COMPLETED late",
				"STEP_STARTED after");
		assertThat(followUps(started, FollowUp.WakeAt.class)).isEmpty();
	}

	@Test
	void aTimerUntilFunctionThatThrowsOrAnswersNullFailsTheStepWithoutRetry() {
		RetryPolicy retries = RetryPolicy.builder().maxAttempts(3).build();
		DecisionsUnderTest throwing = DecisionsUnderTest
			.newInstance(workflow(StepDefinition.timerUntil("window", (context) -> {
				throw new StepException("no_window", "no delivery window yet");
			}).retryPolicy(retries)));
		Transition failed = throwing.begin();
		assertThat(events(failed)).containsExactly("WORKFLOW_STARTED", "STEP_STARTED window", "STEP_FAILED window",
				"WORKFLOW_FAILED");
		assertThat(event(failed, WorkflowEventType.STEP_FAILED).data()).containsEntry("errorType", "no_window")
			.containsEntry("error", "the until function of timer step window threw: no delivery window yet");
		assertThat(throwing.step("window").errorType).isEqualTo("no_window");

		DecisionsUnderTest answeringNull = DecisionsUnderTest
			.newInstance(workflow(StepDefinition.timerUntil("window", (context) -> null).retryPolicy(retries)));
		answeringNull.begin();
		assertThat(answeringNull.status("window")).isEqualTo(StepStatus.FAILED);
		assertThat(answeringNull.step("window").errorType).isEqualTo("invalid_timer");
		assertThat(answeringNull.step("window").error).isEqualTo(
				"the until function of timer step window returned null; it must return the Instant the step waits until");
		assertThat(answeringNull.step("window").attempts).isEqualTo(1);
	}

	@Test
	void aConditionSeesHowAnOptionalDependencyFailedAndWhy() {
		DecisionsUnderTest run = DecisionsUnderTest.newInstance(workflow(step("primary").required(false),
				step("fallback", "primary").when((context) -> context.stepResult("primary")
					.map((result) -> result.failed() && result.errorType().orElse("").equals("gateway_down"))
					.orElse(false)),
				step("summary", "fallback")));
		Transition failed = run.fails(launched(run.begin()).get(0),
				StepFailure.permanent("gateway_down", "the gateway is down"));
		assertThat(run.launchedSteps(failed)).containsExactly("fallback");
		assertThat(run.step("primary").errorType).isEqualTo("gateway_down");

		DecisionsUnderTest healthy = DecisionsUnderTest.newInstance(workflow(step("primary").required(false),
				step("fallback", "primary")
					.when((context) -> context.stepResult("primary").map(StepResult::failed).orElse(true)),
				step("summary", "fallback")));
		Transition completed = healthy.completes(launched(healthy.begin()).get(0), Map.of("paid", true));
		assertThat(events(completed)).contains("STEP_SKIPPED fallback", "STEP_SKIPPED summary");
	}

	@Test
	void aRetriedStepKeepsItsLastFailuresTypeUntilItCompletes() {
		RetryPolicy retry = RetryPolicy.builder()
			.maxAttempts(2)
			.initialInterval(Duration.ofMinutes(1))
			.maxInterval(Duration.ofMinutes(1))
			.jitter(0)
			.build();
		DecisionsUnderTest run = DecisionsUnderTest.newInstance(workflow(step("call").retryPolicy(retry)));
		run.fails(launched(run.begin()).get(0), new StepFailure("unavailable", "down", true));
		assertThat(run.step("call").toRecord().errorType()).isEqualTo("unavailable");
		assertThat(run.step("call").toRecord().error()).isEqualTo("down");
		run.advanceTime(Duration.ofMinutes(1));
		Attempt second = launched(run.reclaim()).get(0);
		assertThat(run.step("call").errorType).as("read back from the stored row").isEqualTo("unavailable");
		run.completes(second, Map.of());
		assertThat(run.step("call").toRecord().errorType()).isNull();
		assertThat(run.step("call").toRecord().error()).isNull();
	}

	@Test
	void cancellingCompensatesWhatCompletedAndEndsCancelled() {
		DecisionsUnderTest run = DecisionsUnderTest.newInstance(workflow(compensable("reserve"),
				StepDefinition.awaitSignal("approval", "approve").dependsOn("reserve")));
		run.completes(launched(run.begin()).get(0), Map.of());
		run.reclaim();
		Transition cancelled = run.cancel("customer asked");
		assertThat(events(cancelled)).containsExactly("STEP_FAILED approval");
		Attempt undo = launched(cancelled).get(0);
		Transition done = run.compensated(undo);
		assertThat(events(done)).containsExactly("STEP_COMPENSATED reserve", "WORKFLOW_CANCELLED");
		assertThat(run.workflowStatus()).isEqualTo(WorkflowStatus.CANCELLED);
	}

	@Test
	void aResumedStepRunsOnlyOnceEveryAncestorRanAgain() {
		WorkflowDefinition order = workflow(compensable("validate"), step("check", "validate"),
				compensable("reserve", "check"), StepDefinition.awaitSignal("approval", "approve").dependsOn("reserve"),
				step("pay", "approval").async(true));
		DecisionsUnderTest run = DecisionsUnderTest.stored(order, WorkflowStatus.FAILED,
				stored("validate", 0, StepStatus.COMPENSATED, Map.of("valid", true), 1),
				stored("check", 1, StepStatus.COMPLETED, Map.of("in_stock", true), 2),
				stored("reserve", 2, StepStatus.COMPENSATED, Map.of("reservation", "r-1"), 3),
				stored("approval", 3, StepStatus.COMPLETED, Map.of("by", "ann"), 4),
				stored("pay", 4, StepStatus.FAILED, Map.of(), 0));

		Transition resumed = run.resumeFailed();

		assertThat(events(resumed)).containsExactly("WORKFLOW_RESUMED", "STEP_STARTED validate");
		assertThat(run.status("pay")).isEqualTo(StepStatus.PENDING);
		Transition validated = run.completes(launched(resumed).get(0), Map.of("valid", true));
		assertThat(run.launchedSteps(validated)).as("check is kept; reserve runs again").containsExactly("reserve");
		Transition reserved = run.completes(launched(validated).get(0), Map.of("reservation", "r-2"));
		assertThat(launched(reserved)).singleElement()
			.satisfies((pay) -> assertThat(pay.input()).containsEntry("reservation", "r-2").containsEntry("by", "ann"));
	}

	private static WorkflowDefinition workflow(StepDefinition.Builder... steps) {
		WorkflowDefinition.Builder builder = WorkflowDefinition.builder("w", "w");
		for (StepDefinition.Builder step : steps) {
			builder.step(step.build());
		}
		return builder.build();
	}

	private static StepDefinition.Builder step(String id, String... dependsOn) {
		return StepDefinition.builder(id, id, (context) -> Map.of()).dependsOn(dependsOn);
	}

	private static StepDefinition.Builder compensable(String id, String... dependsOn) {
		return step(id, dependsOn).compensateWith((context) -> {
		});
	}

	private static StepRecord stored(String id, int position, StepStatus status, Map<String, Object> output,
			long completionOrder) {
		return new StepRecord(id, position, status, 1, output, (status == StepStatus.FAILED) ? "declined" : null, T0,
				T0, null, completionOrder);
	}

}
