package io.orchwf.internal.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import io.orchwf.FailurePolicy;
import io.orchwf.RetryPolicy;
import io.orchwf.StepDefinition;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.internal.engine.RunHost.RunEnding;
import io.orchwf.internal.engine.WaitingSteps.WaitOutcome;
import io.orchwf.internal.engine.StepBook.Readiness;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.internal.json.JsonValues;
import io.orchwf.internal.plan.WorkflowPlan;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.InstanceState;
import io.orchwf.store.SignalDelivery;
import io.orchwf.store.SignalRecord;
import io.orchwf.store.StoredInstance;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows from the state of one instance: the workflow semantics. Given an input (an
 * attempt ended, timed out, the instance is cancelled, recovered, resumed), it changes
 * the instance and its steps and decides what comes next: which steps start or are
 * skipped, whether a failure is retried or fails the workflow, when compensation runs,
 * when the instance completes, parks or is handed back. Every change goes into the given
 * {@link Transition}; every follow-up is an after-commit action. It holds no lock and
 * does no I/O: {@link InstanceRun} calls it under the run's lock.
 */
final class RunDecisions {

	private static final Logger logger = LoggerFactory.getLogger(RunDecisions.class);

	private enum Phase {

		/** Scheduling steps. */
		ACTIVE,

		/** A required step failed or the instance was cancelled; letting work end. */
		DRAINING,

		/** Running compensators. */
		COMPENSATING,

		/** No longer driven here. */
		ENDED

	}

	private final RunScope scope;

	private final WorkflowPlan plan;

	private final String instanceId;

	private final JsonObject metadata;

	private final StepBook steps;

	private final RunEvents events;

	private WorkflowStatus status;

	private JsonObject output;

	private @Nullable String error;

	private @Nullable Instant startedAt;

	private @Nullable Instant completedAt;

	private @Nullable Instant wakeAt;

	private @Nullable String cancelReason;

	private @Nullable String stopReason;

	private Phase phase = Phase.ACTIVE;

	private boolean draining;

	private boolean leaseReleased;

	private int inFlight;

	private boolean laneBusy;

	private final Compensation compensation;

	private final SignalBox signals;

	/** The instance row as claimed; {@link #state()} is what changed since. */
	private final InstanceRecord record;

	private final WaitingSteps waits;

	/**
	 * Take up the decisions of one instance.
	 * @param scope what the decisions may ask of the node
	 * @param plan the instance's workflow version
	 * @param record the instance row as claimed or created
	 * @param metadata the instance's metadata, normalized
	 * @param steps its steps
	 * @param signals the signals it received
	 */
	RunDecisions(RunScope scope, WorkflowPlan plan, InstanceRecord record, JsonObject metadata, StepBook steps,
			SignalBox signals) {
		this.scope = scope;
		this.plan = plan;
		this.instanceId = record.id();
		this.metadata = metadata;
		this.steps = steps;
		this.signals = signals;
		this.record = record;
		this.events = new RunEvents(record.id(), record.workflowId());
		this.waits = new WaitingSteps(plan, steps, this.events, signals);
		this.compensation = new Compensation(steps, this.events);
		this.status = record.status();
		this.output = JsonValues.object(record.output(), "output");
		this.error = record.error();
		this.startedAt = record.startedAt();
		this.completedAt = record.completedAt();
		this.wakeAt = record.wakeAt();
		this.cancelReason = record.cancelReason();
	}

	@Nullable Instant wakeAt() {
		return this.wakeAt;
	}

	boolean leaseReleased() {
		return this.leaseReleased;
	}

	boolean isEnded() {
		return this.phase == Phase.ENDED;
	}

	/**
	 * How many signals the decisions took into account.
	 * @return the count, or {@link io.orchwf.store.InstanceUpdate#SIGNALS_IGNORED}
	 */
	long signalsSeen() {
		return this.signals.seen();
	}

	boolean tracksSignals() {
		return this.signals.isTracked();
	}

	// ---- inputs -------------------------------------------------------------------

	/**
	 * A new instance starts.
	 */
	void begin(Transition transition, Instant now) {
		start(transition, now);
	}

	/**
	 * This node claimed the instance: start it if it was pending, rerun the attempts a
	 * lost node left unfinished, carry on with a failure, a compensation or a
	 * cancellation.
	 */
	void recover(Transition transition, Instant now) {
		if (this.status == WorkflowStatus.PENDING) {
			if (this.cancelReason == null) {
				start(transition, now);
			}
		}
		else {
			this.steps.restartInterrupted(transition);
			this.waits.recovered(transition);
			for (Instant due : this.steps.wakesAfter(now)) {
				transition.afterCommit(new FollowUp.WakeAt(due));
			}
			if (this.status == WorkflowStatus.RUNNING || this.status == WorkflowStatus.COMPENSATING) {
				transition.event(this.events.workflow(WorkflowEventType.WORKFLOW_RESUMED, now,
						Map.of("reason", "recovered by node " + this.scope.nodeId())));
			}
			if (this.status == WorkflowStatus.COMPENSATING) {
				this.phase = Phase.COMPENSATING;
				this.compensation.plan();
			}
			else if (this.error != null) {
				this.phase = Phase.DRAINING;
			}
		}
		if (this.cancelReason != null && this.phase != Phase.COMPENSATING) {
			applyCancel(transition, now, this.cancelReason);
		}
	}

	/**
	 * A failed instance runs again: what did not complete starts over.
	 */
	void resumeFailed(Transition transition, Instant now, CompletableFuture<Void> stored) {
		this.status = WorkflowStatus.RUNNING;
		this.error = null;
		this.cancelReason = null;
		this.completedAt = null;
		this.wakeAt = null;
		this.output = JsonObject.empty();
		this.steps.resetUnfinished(transition);
		transition.event(this.events.workflow(WorkflowEventType.WORKFLOW_RESUMED, now, Map.of("reason", "resumed")));
		transition.afterCommit(new FollowUp.Stored(stored));
	}

	/**
	 * A newer read of the instance's signals.
	 * @return {@code false} if it holds nothing new
	 */
	boolean signalsArrived(List<SignalRecord> received) {
		return this.phase != Phase.ENDED && this.signals.update(received);
	}

	/**
	 * The node tried to start the child of a child step.
	 * @return {@code false} if the run was not waiting for that
	 */
	boolean childCreated(Transition transition, int index, String childId, @Nullable StepFailure failure, Instant now) {
		if (this.phase == Phase.ENDED) {
			return false;
		}
		WaitOutcome outcome = this.waits.childCreated(transition, index, childId, failure);
		if (outcome == null) {
			return false;
		}
		apply(transition, index, outcome, now);
		return true;
	}

	/**
	 * Whether a cancellation would change anything.
	 */
	boolean acceptsCancel() {
		return this.phase != Phase.ENDED && this.phase != Phase.COMPENSATING && this.cancelReason == null;
	}

	/**
	 * The instance is cancelled.
	 */
	void cancel(Transition transition, Instant now, String reason) {
		applyCancel(transition, now, reason);
	}

	/**
	 * The node shuts down.
	 * @return {@code true} if nothing runs, so the instance can be handed back now
	 */
	boolean drain() {
		if (this.phase == Phase.ENDED || this.draining) {
			return false;
		}
		this.draining = true;
		return isIdle();
	}

	/**
	 * An attempt ended.
	 * @return {@code false} if the run no longer waits for that attempt
	 */
	boolean finished(Transition transition, Attempt attempt, @Nullable JsonObject output, @Nullable StepFailure failure,
			Instant now) {
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
	boolean timedOut(Transition transition, Attempt attempt, Instant now) {
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
				attempt.number(), stepId, this.instanceId, stopping ? "did not stop when asked" : "timed out", timeout);
		record(transition, attempt, null, StepFailure.timeout(stepId, timeout), now);
		return true;
	}

	/**
	 * The node lets the instance go without writing anything more.
	 */
	void abandon() {
		this.phase = Phase.ENDED;
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

	private boolean isCurrent(Attempt attempt) {
		if (this.phase == Phase.ENDED) {
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

	// ---- decisions ----------------------------------------------------------------

	private void record(Transition transition, Attempt attempt, @Nullable JsonObject output,
			@Nullable StepFailure failure, Instant now) {
		int index = attempt.step();
		StepState step = this.steps.at(index);
		long durationMs = attempt.elapsedMillis();
		this.inFlight--;
		if (attempt.compensation()) {
			this.compensation.ended(transition, attempt, failure, now);
			return;
		}
		if (attempt.element() != Attempt.NO_ELEMENT) {
			elementEnded(transition, attempt, output, failure, now);
			return;
		}
		step.attempt = null;
		if (!this.plan.step(index).async()) {
			this.laneBusy = false;
		}
		StepFailure outcome = failure;
		if (outcome != null && attempt.isInterrupted() && this.stopReason != null) {
			outcome = StepFailure.permanent("interrupted", "interrupted: " + this.stopReason);
		}
		if (outcome == null) {
			step.complete(Objects.requireNonNull(output), now, this.steps.nextCompletionOrder());
			transition.step(step.toRecord());
			transition.event(this.events.step(WorkflowEventType.STEP_COMPLETED, step.stepId, attempt.number(), now,
					Map.of("durationMs", durationMs)));
			return;
		}
		fail(transition, index, outcome, now, durationMs);
	}

	/**
	 * Act on what became of a waiting step: it began waiting (the instance runs), or
	 * failed (its wait timed out, its child failed).
	 * @return whether the step ended
	 */
	private boolean apply(Transition transition, int index, WaitOutcome outcome, Instant now) {
		if (outcome.began()) {
			markRunning();
		}
		StepFailure failure = outcome.failure();
		if (failure != null) {
			Instant startedAt = this.steps.at(index).startedAt;
			fail(transition, index, failure, now,
					(startedAt != null) ? Duration.between(startedAt, now).toMillis() : 0);
		}
		return outcome.ended();
	}

	/**
	 * A step started: the instance runs.
	 */
	private void markRunning() {
		if (this.status == WorkflowStatus.WAITING || this.status == WorkflowStatus.PENDING) {
			this.status = WorkflowStatus.RUNNING;
		}
	}

	/**
	 * Whether nothing runs that the instance must not park or end without: no attempt, no
	 * child being started.
	 */
	private boolean isIdle() {
		return this.inFlight == 0 && !this.waits.isCreatingChild();
	}

	private void fail(Transition transition, int index, StepFailure failure, Instant now, long durationMs) {
		StepState step = this.steps.at(index);
		RetryPolicy policy = this.plan.retryPolicy(index);
		if (failure.retryable() && policy.isRetryable(failure.type()) && step.attempts < policy.maxAttempts()
				&& retriesAllowed()) {
			Duration delay = policy.delayBeforeRetry(step.attempts);
			Instant due = now.plus(delay);
			step.awaitRetry(failure.message(), due);
			transition.step(step.toRecord());
			transition.event(this.events.step(WorkflowEventType.STEP_RETRYING, step.stepId, step.attempts, now,
					Map.of("error", failure.message(), "errorType", failure.type(), "delayMs", delay.toMillis(),
							"durationMs", durationMs)));
			if (!delay.isZero()) {
				transition.afterCommit(new FollowUp.WakeAt(due));
			}
			return;
		}
		step.fail(failure.message(), now);
		transition.step(step.toRecord());
		transition.event(this.events.step(WorkflowEventType.STEP_FAILED, step.stepId, step.attempts, now,
				Map.of("error", failure.message(), "errorType", failure.type(), "durationMs", durationMs)));
		if (this.plan.step(index).required() && this.error == null) {
			this.error = "step " + step.stepId + " failed after " + step.attempts + " attempts: " + failure.message();
			this.phase = Phase.DRAINING;
			if (this.plan.definition().failurePolicy() == FailurePolicy.FAIL_FAST) {
				stopAll(transition, now, "workflow failed because step " + step.stepId + " failed");
			}
		}
	}

	private void applyCancel(Transition transition, Instant now, String reason) {
		this.cancelReason = reason;
		this.error = "cancelled: " + reason;
		this.phase = Phase.DRAINING;
		stopAll(transition, now, "workflow cancelled: " + reason);
	}

	/**
	 * Interrupt running attempts and drop pending retries. An attempt that runs the
	 * step's code stays in flight until it reports how it ended (bounded by its timeout),
	 * so that compensation never runs beside it and a success that races the interrupt is
	 * recorded, and compensated; the others fail at once.
	 */
	private void stopAll(Transition transition, Instant now, String reason) {
		this.stopReason = reason;
		for (int i = 0; i < this.steps.size(); i++) {
			StepState step = this.steps.at(i);
			Attempt attempt = step.attempt;
			if (step.forEach != null) {
				stopElements(transition, i, now, reason);
				continue;
			}
			if (attempt != null) {
				if (attempt.interrupt()) {
					continue;
				}
				// its code never began: the attempt is withdrawn, as if never started
				step.attempt = null;
				this.inFlight--;
				if (!this.plan.step(i).async()) {
					this.laneBusy = false;
				}
				step.withdrawAttempt();
				if (step.attempts == 0) {
					transition.step(step.toRecord());
					continue;
				}
				// it was a retry of earlier attempts: that retry is dropped
				step.fail("not retried: " + reason, now);
			}
			else if (step.status == StepStatus.WAITING) {
				boolean waiting = this.waits.handles(i) && step.attempts > 0 && !isRetryWait(i);
				this.waits.stopped(transition, i, reason);
				step.fail((waiting ? "stopped waiting: " : "not retried: ") + reason, now);
			}
			else {
				continue;
			}
			transition.step(step.toRecord());
			transition.event(this.events.step(WorkflowEventType.STEP_FAILED, step.stepId, step.attempts, now,
					Map.of("error", Objects.requireNonNull(step.error), "errorType", "interrupted")));
		}
	}

	/**
	 * Whether a waiting child step waits for its retry rather than for its child.
	 */
	private boolean isRetryWait(int index) {
		return this.plan.step(index).kind() == StepDefinition.Kind.CHILD_WORKFLOW
				&& !this.steps.at(index).output.containsKey(WaitingSteps.CHILD_INSTANCE_ID);
	}

	private boolean retriesAllowed() {
		return this.cancelReason == null && (this.phase == Phase.ACTIVE || (this.phase == Phase.DRAINING
				&& this.plan.definition().failurePolicy() == FailurePolicy.COMPLETE_ALL));
	}

	private boolean isDraining() {
		return this.draining || this.scope.isNodeClosing();
	}

	private boolean schedulingAllowed() {
		return !isDraining() && retriesAllowed();
	}

	/**
	 * Decide what follows the current state: start what is ready, then, if nothing runs,
	 * park, finish or compensate.
	 */
	void advance(Transition transition, Instant now) {
		if (this.phase == Phase.ENDED) {
			return;
		}
		if (this.phase == Phase.COMPENSATING) {
			compensateNext(transition, now);
			return;
		}
		boolean progress = schedulingAllowed();
		while (progress) {
			progress = false;
			for (int index : this.plan.schedulingOrder()) {
				if (!schedulingAllowed()) {
					progress = false;
					break;
				}
				progress |= consider(transition, index, now);
			}
		}
		if (isIdle()) {
			settle(transition, now);
		}
	}

	/**
	 * Start, skip or leave one step.
	 * @return {@code true} if the step was skipped or failed, which may make others ready
	 */
	private boolean consider(Transition transition, int index, Instant now) {
		StepState step = this.steps.at(index);
		boolean waitingStep = this.waits.handles(index);
		if (step.status == StepStatus.WAITING && waitingStep) {
			return apply(transition, index, this.waits.resolve(transition, index, now), now);
		}
		boolean startable = waitingStep || this.plan.step(index).async() || !this.laneBusy;
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
				fail(transition, index, StepFailure.permanent(ex.getClass().getSimpleName(),
						"condition of step " + step.stepId + " threw: " + ex.getMessage()), now, 0);
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
			return startForEach(transition, index, now);
		}
		startAttempt(transition, index, now);
		return false;
	}

	// ---- forEach ------------------------------------------------------------------

	private boolean startForEach(Transition transition, int index, Instant now) {
		StepState step = this.steps.at(index);
		StepDefinition definition = this.plan.step(index);
		String itemsKey = definition.itemsKey().orElseThrow();
		JsonObject input = this.steps.inputOf(index);
		step.begin(StepStatus.RUNNING, now);
		markRunning();
		Object items = input.get(itemsKey);
		if (!(items instanceof List<?> list)) {
			transition.step(step.toRecord());
			fail(transition, index,
					StepFailure.permanent("invalid_input", "input '" + itemsKey + "' of forEach step " + step.stepId
							+ " must be a list but was " + ((items != null) ? "a " + describe(items) : "absent")),
					now, 0);
			return true;
		}
		@SuppressWarnings("unchecked")
		ForEachProgress progress = new ForEachProgress(index, step.attempts, (List<@Nullable Object>) list, input,
				step.output);
		step.forEach = progress;
		step.output = progress.output();
		transition.step(step.toRecord());
		transition.event(this.events.step(WorkflowEventType.STEP_STARTED, step.stepId, step.attempts, now,
				Map.of("elements", progress.size(), "toRun", progress.pendingCount())));
		launchElements(transition, index, now);
		if (progress.isDone()) {
			finishForEach(transition, index, now);
			return true;
		}
		return false;
	}

	private static String describe(Object value) {
		return (value instanceof Map) ? "JSON object" : value.getClass().getSimpleName();
	}

	private void launchElements(Transition transition, int index, Instant now) {
		ForEachProgress progress = Objects.requireNonNull(this.steps.at(index).forEach);
		if (!schedulingAllowed()) {
			return;
		}
		Attempt attempt;
		while ((attempt = progress.next(this.plan.step(index).maxConcurrency(), now)) != null) {
			this.inFlight++;
			Attempt launched = attempt;
			transition.afterCommit(new FollowUp.Launch(launched));
		}
	}

	private void elementEnded(Transition transition, Attempt attempt, @Nullable JsonObject output,
			@Nullable StepFailure failure, Instant now) {
		int index = attempt.step();
		StepState step = this.steps.at(index);
		ForEachProgress progress = Objects.requireNonNull(step.forEach);
		StepFailure outcome = failure;
		if (outcome != null && attempt.isInterrupted() && this.stopReason != null) {
			outcome = StepFailure.permanent("interrupted", "interrupted: " + this.stopReason);
		}
		progress.ended(attempt, output, outcome);
		if (outcome == null) {
			// each result is stored as it arrives, so that no later attempt runs it again
			step.output = progress.output();
			transition.step(step.toRecord());
		}
		launchElements(transition, index, now);
		if (progress.isDone()) {
			finishForEach(transition, index, now);
		}
	}

	private void stopElements(Transition transition, int index, Instant now, String reason) {
		ForEachProgress progress = Objects.requireNonNull(this.steps.at(index).forEach);
		progress.stop(reason);
		for (Attempt attempt : progress.running()) {
			if (!attempt.interrupt()) {
				// never started: nothing will report for it
				progress.dropped(attempt);
				this.inFlight--;
			}
		}
		if (progress.isDone()) {
			finishForEach(transition, index, now);
		}
	}

	private void finishForEach(Transition transition, int index, Instant now) {
		StepState step = this.steps.at(index);
		ForEachProgress progress = Objects.requireNonNull(step.forEach);
		step.forEach = null;
		step.output = progress.output();
		long durationMs = (step.startedAt != null) ? Duration.between(step.startedAt, now).toMillis() : 0;
		StepFailure failure = progress.failure();
		if (failure != null) {
			fail(transition, index, failure, now, durationMs);
			return;
		}
		step.complete(step.output, now, this.steps.nextCompletionOrder());
		transition.step(step.toRecord());
		transition.event(this.events.step(WorkflowEventType.STEP_COMPLETED, step.stepId, step.attempts, now,
				Map.of("durationMs", durationMs, "elements", progress.size())));
	}

	private void skip(Transition transition, int index, Instant now, String why) {
		StepState step = this.steps.at(index);
		step.skip(now);
		transition.step(step.toRecord());
		transition.event(this.events.step(WorkflowEventType.STEP_SKIPPED, step.stepId, 0, now, Map.of("reason", why)));
	}

	private void startAttempt(Transition transition, int index, Instant now) {
		StepState step = this.steps.at(index);
		step.begin(StepStatus.RUNNING, now);
		Attempt attempt = new Attempt(index, step.attempts, false, this.steps.inputOf(index), now);
		step.attempt = attempt;
		this.inFlight++;
		if (!this.plan.step(index).async()) {
			this.laneBusy = true;
		}
		if (this.status == WorkflowStatus.WAITING || this.status == WorkflowStatus.PENDING) {
			this.status = WorkflowStatus.RUNNING;
		}
		transition.step(step.toRecord());
		transition.event(this.events.step(WorkflowEventType.STEP_STARTED, step.stepId, step.attempts, now, Map.of()));
		transition.afterCommit(new FollowUp.Launch(attempt));
	}

	/**
	 * Nothing runs: hand back, park, complete or compensate.
	 */
	private void settle(Transition transition, Instant now) {
		boolean startable = (this.phase == Phase.COMPENSATING) ? this.compensation.hasNext()
				: this.steps.hasStartable(now) || anyWaitResolvable(now) || this.steps.hasUnfinishedForEach();
		if (isDraining() && startable) {
			end(transition, RunEnding.RELEASED, now);
			return;
		}
		Instant nextWake = this.steps.earliestWake();
		if (nextWake != null || this.steps.hasOpenWait()) {
			this.status = WorkflowStatus.WAITING;
			end(transition, RunEnding.PARKED, nextWake);
		}
		else if (this.phase == Phase.ACTIVE) {
			complete(transition, now);
		}
		else {
			this.phase = Phase.COMPENSATING;
			if (this.compensation.plan()) {
				this.status = WorkflowStatus.COMPENSATING;
			}
			compensateNext(transition, now);
		}
	}

	private boolean anyWaitResolvable(Instant now) {
		for (int i = 0; i < this.steps.size(); i++) {
			if (this.waits.handles(i) && this.waits.canResolve(i, now)) {
				return true;
			}
		}
		return false;
	}

	private void complete(Transition transition, Instant now) {
		List<String> stuck = this.steps.unfinished();
		if (!stuck.isEmpty()) {
			// cannot happen while the scheduling invariants hold; fail loudly rather than
			// hang
			logger.error("Instance {} has nothing running but steps {} cannot start", this.instanceId, stuck);
			this.error = "internal error: steps " + stuck + " can never start";
			this.phase = Phase.DRAINING;
			settle(transition, now);
			return;
		}
		this.output = this.steps.workflowOutput();
		this.status = WorkflowStatus.COMPLETED;
		this.completedAt = now;
		transition.event(
				this.events.workflow(WorkflowEventType.WORKFLOW_COMPLETED, now, Map.of("durationMs", runMillis(now))));
		notifyParent(transition, now);
		end(transition, RunEnding.FINISHED, null);
	}

	private void compensateNext(Transition transition, Instant now) {
		if (this.compensation.isRunning()) {
			return;
		}
		if (this.compensation.hasNext()) {
			if (isDraining()) {
				end(transition, RunEnding.RELEASED, now);
				return;
			}
			Attempt attempt = this.compensation.startNext(now);
			this.inFlight++;
			transition.afterCommit(new FollowUp.Launch(attempt));
			return;
		}
		boolean cancelled = this.cancelReason != null;
		this.status = cancelled ? WorkflowStatus.CANCELLED : WorkflowStatus.FAILED;
		this.completedAt = now;
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("error", Objects.requireNonNullElse(this.error, "failed"));
		data.put("durationMs", runMillis(now));
		if (cancelled) {
			data.put("reason", this.cancelReason);
		}
		transition.event(this.events
			.workflow(cancelled ? WorkflowEventType.WORKFLOW_CANCELLED : WorkflowEventType.WORKFLOW_FAILED, now, data));
		notifyParent(transition, now);
		end(transition, RunEnding.FINISHED, null);
	}

	/**
	 * A child workflow that ends tells its parent, with the same commit, by a signal the
	 * parent's child step waits for.
	 */
	private void notifyParent(Transition transition, Instant now) {
		JsonObject metadata = this.metadata;
		if (!(metadata.get(ChildLinks.PARENT_INSTANCE_ID) instanceof String parentId)
				|| !(metadata.get(ChildLinks.PARENT_STEP_ID) instanceof String parentStep)) {
			return;
		}
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put(WaitingSteps.CHILD_INSTANCE_ID, this.instanceId);
		payload.put("status", this.status.name());
		payload.put("output", this.output);
		if (this.error != null) {
			payload.put("error", this.error);
		}
		String name = WaitingSteps.CHILD_SIGNAL_PREFIX + parentStep;
		JsonObject values = JsonValues.object(payload, "child result");
		Object parentWorkflow = metadata.get(ChildLinks.PARENT_WORKFLOW_ID);
		WorkflowEvent event = new WorkflowEvent(WorkflowEventType.SIGNAL_RECEIVED, parentId,
				(parentWorkflow != null) ? String.valueOf(parentWorkflow) : "", null, 0, now,
				JsonValues.object(Map.of("name", name, "payload", values), "signal event"));
		transition.deliver(new SignalDelivery(parentId, name, values, event));
		transition.afterCommit(new FollowUp.Signalled(parentId));
	}

	private void start(Transition transition, Instant now) {
		this.status = WorkflowStatus.RUNNING;
		this.startedAt = now;
		this.wakeAt = null;
		transition.event(this.events.workflow(WorkflowEventType.WORKFLOW_STARTED, now, Map.of()));
	}

	private void end(Transition transition, RunEnding ending, @Nullable Instant wakeAt) {
		this.phase = Phase.ENDED;
		this.wakeAt = wakeAt;
		this.leaseReleased = true;
		// what a caller waiting here gets without reading the store back
		StoredInstance finalState = (ending == RunEnding.FINISHED)
				? new StoredInstance(this.record.with(state()).withLease(null, null), this.steps.records()) : null;
		transition.afterCommit(new FollowUp.Ended(ending, finalState));
	}

	InstanceState state() {
		return new InstanceState(this.status, this.output, this.error, this.startedAt, this.completedAt, this.wakeAt);
	}

	private long runMillis(Instant now) {
		return (this.startedAt != null) ? Duration.between(this.startedAt, now).toMillis() : 0;
	}

}
