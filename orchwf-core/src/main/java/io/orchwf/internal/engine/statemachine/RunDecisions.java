package io.orchwf.internal.engine.statemachine;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.internal.engine.attempt.Attempt;
import io.orchwf.internal.engine.attempt.StepFailure;
import io.orchwf.internal.engine.statemachine.RunState.Phase;
import io.orchwf.internal.engine.statemachine.WaitingSteps.WaitOutcome;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.internal.plan.WorkflowPlan;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.InstanceState;
import io.orchwf.store.SignalRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows from the state of one instance: the workflow semantics. Given an input (an
 * attempt ended, timed out, the instance is cancelled, recovered, resumed), it changes
 * the instance and its steps and decides what comes next, through its parts: the
 * {@link Scheduler} starts what is ready, {@link StepFailures} decides what a failure
 * does, {@link WaitingSteps} and {@link ForEachSteps} follow the steps the engine runs
 * itself, and the {@link Settlement} parks, completes or compensates the instance once
 * nothing runs. Every change goes into the given {@link Transition}; what follows a
 * commit is a {@link FollowUp} of it. It holds no lock and does no I/O: the run that owns
 * it calls it under its lock.
 */
public final class RunDecisions {

	private static final Logger logger = LoggerFactory.getLogger(RunDecisions.class);

	private final RunScope scope;

	private final WorkflowPlan plan;

	private final StepBook steps;

	private final RunEvents events;

	private final SignalBox signals;

	private final RunState run;

	private final WaitingSteps waits;

	private final Compensation compensation;

	private final ForEachSteps forEach;

	private final StepFailures failures;

	private final Scheduler scheduler;

	private final Settlement settlement;

	/**
	 * Take up the decisions of one instance.
	 * @param scope what the decisions may ask of the node
	 * @param plan the instance's workflow version
	 * @param record the instance row as claimed or created
	 * @param metadata the instance's metadata, normalized
	 * @param steps its steps
	 * @param signals the signals it received
	 */
	public RunDecisions(RunScope scope, WorkflowPlan plan, InstanceRecord record, JsonObject metadata, StepBook steps,
			SignalBox signals) {
		this.scope = scope;
		this.plan = plan;
		this.steps = steps;
		this.signals = signals;
		this.events = new RunEvents(record.id(), record.workflowId());
		this.run = new RunState(record, plan.definition().failurePolicy(), scope::isNodeClosing);
		this.waits = new WaitingSteps(scope, plan, steps, this.events, signals);
		this.compensation = new Compensation(steps, this.events);
		this.forEach = new ForEachSteps(plan, steps, this.events, this.run);
		this.failures = new StepFailures(plan, steps, this.events, this.waits, this.forEach, this.run);
		this.scheduler = new Scheduler(scope, plan, steps, this.events, this.waits, this.forEach, this.failures,
				this.run);
		this.settlement = new Settlement(steps, this.events, this.waits, this.compensation, this.run, metadata);
	}

	public @Nullable Instant wakeAt() {
		return this.run.wakeAt;
	}

	public boolean leaseReleased() {
		return this.run.leaseReleased();
	}

	public boolean isEnded() {
		return this.run.isEnded();
	}

	/**
	 * How many signals the decisions took into account.
	 * @return the count, or {@link io.orchwf.store.InstanceUpdate#SIGNALS_IGNORED}
	 */
	public long signalsSeen() {
		return this.signals.seen();
	}

	public boolean tracksSignals() {
		return this.signals.isTracked();
	}

	public InstanceState state() {
		return this.run.state();
	}

	// ---- inputs -------------------------------------------------------------------

	/**
	 * A new instance starts.
	 */
	public void begin(Transition transition, Instant now) {
		start(transition, now);
	}

	/**
	 * This node claimed the instance: start it if it was pending, rerun the attempts a
	 * lost node left unfinished, carry on with a failure, a compensation or a
	 * cancellation.
	 * @param stored completed once the transition of the recovery is stored
	 */
	public void recover(Transition transition, Instant now, CompletableFuture<Void> stored) {
		recover(transition, now);
		transition.afterCommit(new FollowUp.Stored(stored));
	}

	private void recover(Transition transition, Instant now) {
		if (this.run.status == WorkflowStatus.PENDING) {
			if (this.run.cancelReason == null) {
				start(transition, now);
			}
		}
		else {
			this.steps.restartInterrupted(transition);
			this.waits.recovered(transition);
			for (Instant due : this.steps.wakesAfter(now)) {
				transition.afterCommit(new FollowUp.WakeAt(due));
			}
			if (this.run.status == WorkflowStatus.RUNNING || this.run.status == WorkflowStatus.COMPENSATING) {
				transition.event(this.events.workflow(WorkflowEventType.WORKFLOW_RESUMED, now,
						Map.of("reason", "recovered by node " + this.scope.nodeId())));
			}
			if (this.run.status == WorkflowStatus.COMPENSATING) {
				this.run.phase = Phase.COMPENSATING;
				this.compensation.plan();
			}
			else if (this.run.error != null) {
				this.run.phase = Phase.DRAINING;
			}
		}
		String cancelReason = this.run.cancelReason;
		if (cancelReason != null && this.run.phase != Phase.COMPENSATING) {
			this.failures.cancel(transition, now, cancelReason);
		}
	}

	/**
	 * A failed instance runs again: what did not complete starts over.
	 */
	public void resumeFailed(Transition transition, Instant now, CompletableFuture<Void> stored) {
		this.run.resume();
		this.steps.resetUnfinished(transition);
		transition.event(this.events.workflow(WorkflowEventType.WORKFLOW_RESUMED, now, Map.of("reason", "resumed")));
		transition.afterCommit(new FollowUp.Stored(stored));
	}

	/**
	 * A newer read of the instance's signals.
	 * @return {@code false} if it holds nothing new
	 */
	public boolean signalsArrived(List<SignalRecord> received) {
		return !this.run.isEnded() && this.signals.update(received);
	}

	/**
	 * The node tried to start the child of a child step.
	 * @return {@code false} if the run was not waiting for that
	 */
	public boolean childCreated(Transition transition, int index, String childId, @Nullable StepFailure failure,
			Instant now) {
		if (this.run.isEnded()) {
			return false;
		}
		WaitOutcome outcome = this.waits.childCreated(transition, index, childId, failure);
		if (outcome == null) {
			return false;
		}
		this.scheduler.apply(transition, index, outcome, now);
		return true;
	}

	/**
	 * Whether a cancellation would change anything.
	 */
	public boolean acceptsCancel() {
		return !this.run.isEnded() && this.run.phase != Phase.COMPENSATING && this.run.cancelReason == null;
	}

	/**
	 * The instance is cancelled.
	 */
	public void cancel(Transition transition, Instant now, String reason) {
		this.failures.cancel(transition, now, reason);
	}

	/**
	 * The node shuts down.
	 * @return {@code true} if nothing runs, so the instance can be handed back now
	 */
	public boolean drain() {
		return this.run.drain() && isIdle();
	}

	/**
	 * An attempt ended.
	 * @return {@code false} if the run no longer waits for that attempt
	 */
	public boolean finished(Transition transition, Attempt attempt, @Nullable JsonObject output,
			@Nullable StepFailure failure, Instant now) {
		if (!isCurrent(attempt)) {
			return false;
		}
		record(transition, attempt, output, failure, now);
		return true;
	}

	/**
	 * An attempt ran out of time.
	 * @return {@code false} if the run no longer waits for that attempt
	 */
	public boolean timedOut(Transition transition, Attempt attempt, Instant now) {
		if (!isCurrent(attempt)) {
			return false;
		}
		boolean stopping = attempt.isInterrupted();
		attempt.abandon();
		String stepId = this.plan.step(attempt.step()).id();
		Duration timeout = this.plan.timeout(attempt.step());
		logger.warn(
				"Attempt {} of step {} of instance {} {} after {}; it was interrupted and its result will be "
						+ "ignored",
				attempt.number(), stepId, this.run.record.id(), stopping ? "did not stop when asked" : "timed out",
				timeout);
		record(transition, attempt, null, StepFailure.timeout(stepId, timeout), now);
		return true;
	}

	/**
	 * The node lets the instance go without writing anything more.
	 */
	public void abandon() {
		this.run.phase = Phase.ENDED;
		for (int i = 0; i < this.steps.size(); i++) {
			StepState step = this.steps.at(i);
			if (step.attempt != null) {
				step.attempt.abandon();
			}
			if (step.forEach != null) {
				step.forEach.running().forEach(Attempt::abandon);
			}
		}
		this.compensation.abandon();
	}

	/**
	 * Decide what follows the current state: start what is ready, then, if nothing runs,
	 * park, finish or compensate.
	 */
	public void advance(Transition transition, Instant now) {
		if (this.run.isEnded()) {
			return;
		}
		if (this.run.phase == Phase.COMPENSATING) {
			this.settlement.compensateNext(transition, now);
			return;
		}
		this.scheduler.startReady(transition, now);
		if (isIdle()) {
			this.settlement.settle(transition, now);
		}
	}

	// ---- decisions ----------------------------------------------------------------

	private boolean isCurrent(Attempt attempt) {
		if (this.run.isEnded()) {
			return false;
		}
		if (attempt.compensation()) {
			return this.compensation.isRunning(attempt);
		}
		StepState step = this.steps.at(attempt.step());
		if (attempt.element() != Attempt.NO_ELEMENT) {
			return step.forEach != null && step.forEach.isRunning(attempt);
		}
		return step.attempt == attempt;
	}

	/**
	 * Whether nothing runs that the instance must not park or end without: no attempt, no
	 * child being started.
	 */
	private boolean isIdle() {
		return this.run.inFlight == 0 && !this.waits.isCreatingChild();
	}

	private void record(Transition transition, Attempt attempt, @Nullable JsonObject output,
			@Nullable StepFailure failure, Instant now) {
		int index = attempt.step();
		if (attempt.compensation()) {
			this.run.attemptDone(false);
			this.compensation.ended(transition, attempt, failure, now);
			return;
		}
		if (attempt.element() != Attempt.NO_ELEMENT) {
			this.run.attemptDone(false);
			this.failures.forEachEnded(transition, index,
					this.forEach.elementEnded(transition, attempt, output, failure, now), now);
			return;
		}
		StepState step = this.steps.at(index);
		step.attempt = null;
		step.ranFrom(attempt.startedAt());
		this.run.attemptDone(!this.plan.step(index).async());
		StepFailure outcome = failure;
		if (outcome != null && attempt.isInterrupted() && this.run.stopReason != null) {
			outcome = StepFailure.permanent("interrupted", "interrupted: " + this.run.stopReason);
		}
		if (outcome == null) {
			step.complete(Objects.requireNonNull(output), now, this.steps.nextCompletionOrder());
			transition.step(step.toRecord());
			transition.event(this.events.step(WorkflowEventType.STEP_COMPLETED, step.stepId, attempt.number(), now,
					RunEvents.duration(step.millisUntil(now))));
			return;
		}
		this.failures.fail(transition, index, outcome, now);
	}

	private void start(Transition transition, Instant now) {
		this.run.start(now);
		transition.event(this.events.workflow(WorkflowEventType.WORKFLOW_STARTED, now, Map.of()));
	}

}
