package io.orchwf.internal.engine.statemachine;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import io.orchwf.FailurePolicy;
import io.orchwf.RetryPolicy;
import io.orchwf.StepDefinition;
import io.orchwf.StepStatus;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.internal.engine.attempt.Attempt;
import io.orchwf.internal.engine.attempt.StepFailure;
import io.orchwf.internal.plan.WorkflowPlan;
import org.jspecify.annotations.Nullable;

/**
 * What a failure does: a step's failure is retried after its backoff or fails the step; a
 * required step's failure fails the workflow and, under {@link FailurePolicy#FAIL_FAST},
 * stops everything else, as a cancellation does. Guarded by the owning run.
 */
final class StepFailures {

	/** The error type of a step the instance stopped: a failure elsewhere, a cancel. */
	private static final String INTERRUPTED = "interrupted";

	private final WorkflowPlan plan;

	private final StepBook steps;

	private final RunEvents events;

	private final WaitingSteps waits;

	private final ForEachSteps forEach;

	private final RunState run;

	StepFailures(WorkflowPlan plan, StepBook steps, RunEvents events, WaitingSteps waits, ForEachSteps forEach,
			RunState run) {
		this.plan = plan;
		this.steps = steps;
		this.events = events;
		this.waits = waits;
		this.forEach = forEach;
		this.run = run;
	}

	/**
	 * A step's attempt failed: retry it after its backoff, or fail the step.
	 */
	void fail(Transition transition, int index, StepFailure failure, Instant now) {
		StepState step = this.steps.at(index);
		long durationMs = step.millisUntil(now);
		RetryPolicy policy = this.plan.retryPolicy(index);
		if (failure.retryable() && policy.isRetryable(failure.type()) && step.attempts < policy.maxAttempts()
				&& this.run.retriesAllowed()) {
			Duration delay = policy.delayBeforeRetry(step.attempts);
			Instant due = now.plus(delay);
			step.awaitRetry(failure.type(), failure.message(), due);
			transition.step(step.toRecord());
			transition.event(this.events.step(WorkflowEventType.STEP_RETRYING, step.stepId, step.attempts, now,
					Map.of("error", failure.message(), "errorType", failure.type(), "delayMs", delay.toMillis(),
							"durationMs", durationMs)));
			if (!delay.isZero()) {
				transition.afterCommit(new FollowUp.WakeAt(due));
			}
			return;
		}
		step.fail(failure.type(), failure.message(), now);
		transition.step(step.toRecord());
		transition.event(this.events.step(WorkflowEventType.STEP_FAILED, step.stepId, step.attempts, now,
				Map.of("error", failure.message(), "errorType", failure.type(), "durationMs", durationMs)));
		if (this.plan.step(index).required() && this.run.error == null) {
			this.run.fail("step " + step.stepId + " failed after " + step.attempts
					+ ((step.attempts == 1) ? " attempt: " : " attempts: ") + failure.message());
			if (this.plan.definition().failurePolicy() == FailurePolicy.FAIL_FAST) {
				stopAll(transition, now, "workflow failed because step " + step.stepId + " failed");
			}
		}
	}

	/**
	 * A forEach step's attempt ended: a failure is handled as any other.
	 * @param ended how it ended, or {@code null} if it has not
	 */
	void forEachEnded(Transition transition, int index, ForEachSteps.@Nullable Ended ended, Instant now) {
		if (ended != null && ended.failure() != null) {
			fail(transition, index, ended.failure(), now);
		}
	}

	/**
	 * The instance is cancelled: stop everything, then compensate.
	 */
	void cancel(Transition transition, Instant now, String reason) {
		this.run.cancel(reason);
		stopAll(transition, now, "workflow cancelled: " + reason);
	}

	/**
	 * Interrupt running attempts and drop pending retries. An attempt that runs the
	 * step's code stays in flight until it reports how it ended (bounded by its timeout),
	 * so that compensation never runs beside it and a success that races the interrupt is
	 * recorded, and compensated; the others fail at once.
	 */
	private void stopAll(Transition transition, Instant now, String reason) {
		this.run.stopReason = reason;
		for (int i = 0; i < this.steps.size(); i++) {
			StepState step = this.steps.at(i);
			Attempt attempt = step.attempt;
			if (step.forEach != null) {
				forEachEnded(transition, i, this.forEach.stop(transition, i, now, reason), now);
				continue;
			}
			if (attempt != null) {
				if (attempt.interrupt()) {
					continue;
				}
				// its code never began: the attempt is withdrawn, as if never started
				step.attempt = null;
				this.run.attemptDone(!this.plan.step(i).async());
				step.withdrawAttempt();
				if (step.attempts == 0) {
					transition.step(step.toRecord());
					continue;
				}
				// it was a retry of earlier attempts: that retry is dropped
				step.fail(INTERRUPTED, "not retried: " + reason, now);
			}
			else if (step.status == StepStatus.WAITING) {
				boolean waiting = this.waits.handles(i) && step.attempts > 0 && !isRetryWait(i);
				this.waits.stopped(transition, i, reason);
				step.fail(INTERRUPTED, (waiting ? "stopped waiting: " : "not retried: ") + reason, now);
			}
			else {
				continue;
			}
			transition.step(step.toRecord());
			transition.event(this.events.step(WorkflowEventType.STEP_FAILED, step.stepId, step.attempts, now,
					Map.of("error", Objects.requireNonNull(step.error), "errorType", INTERRUPTED)));
		}
	}

	/**
	 * Whether a waiting child step waits for its retry rather than for its child.
	 */
	private boolean isRetryWait(int index) {
		return this.plan.step(index).kind() == StepDefinition.Kind.CHILD_WORKFLOW
				&& !this.steps.at(index).output.containsKey(WaitingSteps.CHILD_INSTANCE_ID);
	}

}
