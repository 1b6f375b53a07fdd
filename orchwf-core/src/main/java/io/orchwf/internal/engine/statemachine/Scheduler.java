package io.orchwf.internal.engine.statemachine;

import java.time.Instant;
import java.util.Map;

import io.orchwf.StepDefinition;
import io.orchwf.StepStatus;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.internal.engine.attempt.Attempt;
import io.orchwf.internal.engine.attempt.StepFailure;
import io.orchwf.internal.engine.statemachine.StepBook.Readiness;
import io.orchwf.internal.engine.statemachine.WaitingSteps.WaitOutcome;
import io.orchwf.internal.plan.WorkflowPlan;

/**
 * Which steps of one instance start now: every step whose ancestors have all finished,
 * highest priority first, async ones at once, sync ones one at a time on the instance's
 * lane; a step whose condition is false, or whose dependencies were all skipped, is
 * skipped; due retries start again; waiting steps whose wait is over end. Guarded by the
 * owning run.
 */
final class Scheduler {

	private final RunScope scope;

	private final WorkflowPlan plan;

	private final StepBook steps;

	private final RunEvents events;

	private final WaitingSteps waits;

	private final ForEachSteps forEach;

	private final StepFailures failures;

	private final RunState run;

	Scheduler(RunScope scope, WorkflowPlan plan, StepBook steps, RunEvents events, WaitingSteps waits,
			ForEachSteps forEach, StepFailures failures, RunState run) {
		this.scope = scope;
		this.plan = plan;
		this.steps = steps;
		this.events = events;
		this.waits = waits;
		this.forEach = forEach;
		this.failures = failures;
		this.run = run;
	}

	/**
	 * Start what is ready, again and again while a step that ended at once (skipped,
	 * failed, a wait already over) makes others ready.
	 */
	void startReady(Transition transition, Instant now) {
		boolean progress = this.run.schedulingAllowed();
		while (progress) {
			progress = false;
			for (int index : this.plan.schedulingOrder()) {
				if (!this.run.schedulingAllowed()) {
					progress = false;
					break;
				}
				progress |= consider(transition, index, now);
			}
		}
	}

	/**
	 * Act on what became of a waiting step: it began waiting (the instance runs), or
	 * failed (its wait timed out, its child failed).
	 * @return whether the step ended
	 */
	boolean apply(Transition transition, int index, WaitOutcome outcome, Instant now) {
		if (outcome.began()) {
			this.run.markRunning();
		}
		StepFailure failure = outcome.failure();
		if (failure != null) {
			this.failures.fail(transition, index, failure, now);
		}
		return outcome.ended();
	}

	/**
	 * Start, skip or leave one step.
	 * @return {@code true} if the step was skipped or ended, which may make others ready
	 */
	private boolean consider(Transition transition, int index, Instant now) {
		StepState step = this.steps.at(index);
		boolean waitingStep = this.waits.handles(index);
		if (step.status == StepStatus.WAITING && waitingStep) {
			return apply(transition, index, this.waits.resolve(transition, index, now), now);
		}
		boolean startable = waitingStep || this.plan.step(index).async() || !this.run.laneBusy;
		if (step.status == StepStatus.WAITING) {
			if (startable && step.wakeAt != null && !step.wakeAt.isAfter(now)) {
				return start(transition, index, now);
			}
			return false;
		}
		if (step.status != StepStatus.PENDING || !startable) {
			return false;
		}
		Readiness readiness = this.steps.readiness(index);
		if (readiness == Readiness.ALL_SKIPPED) {
			skip(transition, index, now, "all its dependencies were skipped");
			return true;
		}
		if (readiness != Readiness.READY) {
			return false;
		}
		var condition = this.plan.step(index).condition();
		if (condition.isPresent()) {
			boolean runs;
			try {
				Attempt probe = new Attempt(index, step.attempts + 1, false, this.steps.inputOf(index), now);
				runs = condition.get().test(this.scope.contextOf(probe));
			}
			catch (Exception | Error ex) {
				step.attempts++;
				this.failures.fail(transition, index, StepFailure.permanent(ex.getClass().getSimpleName(),
						"condition of step " + step.stepId + " threw: " + ex.getMessage()), now);
				return true;
			}
			if (!runs) {
				skip(transition, index, now, "its condition is false");
				return true;
			}
		}
		if (waitingStep) {
			return apply(transition, index, this.waits.begin(transition, index, now), now);
		}
		return start(transition, index, now);
	}

	/**
	 * Start an attempt of a step that runs code.
	 * @return {@code true} if the step ended at once
	 */
	private boolean start(Transition transition, int index, Instant now) {
		if (this.plan.step(index).kind() == StepDefinition.Kind.FOR_EACH) {
			ForEachSteps.Ended ended = this.forEach.start(transition, index, now);
			this.failures.forEachEnded(transition, index, ended, now);
			return ended != null;
		}
		StepState step = this.steps.at(index);
		step.begin(StepStatus.RUNNING, now);
		Attempt attempt = new Attempt(index, step.attempts, false, this.steps.inputOf(index), now);
		step.attempt = attempt;
		this.run.attemptLaunched(!this.plan.step(index).async());
		this.run.markRunning();
		transition.step(step.toRecord());
		transition.event(this.events.step(WorkflowEventType.STEP_STARTED, step.stepId, step.attempts, now, Map.of()));
		transition.afterCommit(new FollowUp.Launch(attempt));
		return false;
	}

	private void skip(Transition transition, int index, Instant now, String why) {
		StepState step = this.steps.at(index);
		step.skip(now);
		transition.step(step.toRecord());
		transition.event(this.events.step(WorkflowEventType.STEP_SKIPPED, step.stepId, 0, now, Map.of("reason", why)));
	}

}
