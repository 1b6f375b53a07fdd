package io.orchwf.internal.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.orchwf.FailurePolicy;
import io.orchwf.RetryPolicy;
import io.orchwf.StepDefinition;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.internal.engine.RunHost.RunEnding;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.internal.json.JsonValues;
import io.orchwf.internal.plan.WorkflowPlan;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.InstanceState;
import io.orchwf.store.SignalRecord;
import io.orchwf.store.StepRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one workflow instance on this node, from the moment it is created or claimed
 * until it finishes, parks to wait, is handed back or is lost.
 *
 * <p>
 * Every input (an attempt's result, a timeout, a due retry, a cancellation) is handled
 * under the run's lock by the same loop: change the state, then {@link #advance} decides
 * what else follows (start ready steps, skip, retry, fail, compensate, finish, park). The
 * changes and their follow-up actions form a {@link Transition}; nothing acts on a
 * decision until the {@link TransitionPipeline} has committed it. The run holds no
 * thread: its attempts run on the node's pools, and between inputs it is only memory.
 */
final class InstanceRun {

	private static final Logger logger = LoggerFactory.getLogger(InstanceRun.class);

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

	private enum Readiness {

		NOT_READY, READY, ALL_SKIPPED, BLOCKED

	}

	private final RunHost host;

	private final WorkflowPlan plan;

	private final InstanceRecord record;

	private final JsonObject input;

	private final JsonObject metadata;

	private final StepState[] steps;

	private final TransitionPipeline pipeline;

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

	private boolean abandoned;

	private long completions;

	private int inFlight;

	private boolean laneBusy;

	private int[] compensationQueue = new int[0];

	private int compensationNext;

	private @Nullable Attempt compensation;

	private InstanceState lastState;

	/**
	 * Prepare to drive an instance this node created or claimed.
	 * @param host the node's services
	 * @param plan the instance's workflow version
	 * @param record the instance row, leased to this node
	 * @param stepRecords the step rows
	 */
	InstanceRun(RunHost host, WorkflowPlan plan, InstanceRecord record, List<StepRecord> stepRecords) {
		this.host = host;
		this.plan = plan;
		this.record = record;
		this.input = JsonValues.object(record.input(), "input");
		this.metadata = JsonValues.object(record.metadata(), "metadata");
		Map<String, StepRecord> byId = new HashMap<>();
		stepRecords.forEach((step) -> byId.put(step.stepId(), step));
		this.steps = new StepState[plan.size()];
		for (int i = 0; i < plan.size(); i++) {
			StepRecord stored = byId.get(plan.step(i).id());
			this.steps[i] = new StepState((stored != null) ? stored : StepRecord.pending(plan.step(i).id(), i));
			this.completions = Math.max(this.completions, this.steps[i].completionOrder);
		}
		this.status = record.status();
		this.output = JsonValues.object(record.output(), "output");
		this.error = record.error();
		this.startedAt = record.startedAt();
		this.completedAt = record.completedAt();
		this.wakeAt = record.wakeAt();
		this.cancelReason = record.cancelReason();
		this.lastState = currentState();
		this.pipeline = new TransitionPipeline(record.id(), record.fence(), host, this::lost);
	}

	String instanceId() {
		return this.record.id();
	}

	String workflowId() {
		return this.record.workflowId();
	}

	JsonObject metadata() {
		return this.metadata;
	}

	synchronized @Nullable Instant wakeAt() {
		return this.wakeAt;
	}

	/**
	 * The rows of every step, for the creation of a new instance.
	 * @return the step rows in definition order
	 */
	synchronized List<StepRecord> stepRecords() {
		List<StepRecord> records = new ArrayList<>(this.steps.length);
		for (StepState step : this.steps) {
			records.add(step.toRecord());
		}
		return records;
	}

	synchronized InstanceState state() {
		return currentState();
	}

	// ---- inputs -------------------------------------------------------------------

	/**
	 * Decide the first transition of a new instance; the caller stores it with the
	 * instance and then calls {@link #created}.
	 * @return the transition
	 */
	synchronized Transition begin() {
		Instant now = this.host.now();
		Transition transition = new Transition();
		start(transition, now);
		advance(transition, now);
		seal(transition);
		this.pipeline.holdForCreation();
		return transition;
	}

	/**
	 * The instance and its first transition are stored: act on it.
	 * @param transition what {@link #begin} returned
	 */
	void created(Transition transition) {
		this.pipeline.createdWith(transition);
	}

	/**
	 * Continue an instance this node has just claimed: start it if it was pending, rerun
	 * the attempts a lost node left unfinished, carry on with a failure or a
	 * cancellation.
	 * @param publish makes the run reachable (registers it with the node); called under
	 * the run's lock, so that no other input reaches the run before it has recovered
	 */
	void recover(Runnable publish) {
		Transition toWrite;
		synchronized (this) {
			publish.run();
			if (this.abandoned) {
				return;
			}
			Instant now = this.host.now();
			Transition transition = new Transition();
			if (this.status == WorkflowStatus.PENDING) {
				if (this.cancelReason == null) {
					start(transition, now);
				}
			}
			else {
				boolean interrupted = this.status == WorkflowStatus.RUNNING
						|| this.status == WorkflowStatus.COMPENSATING;
				for (StepState step : this.steps) {
					if (step.status == StepStatus.RUNNING) {
						// the attempt was cut off, not failed: it runs again under its
						// number
						step.status = StepStatus.PENDING;
						step.attempts = Math.max(0, step.attempts - 1);
						transition.step(step.toRecord());
					}
					else if (step.status == StepStatus.WAITING && step.wakeAt != null && step.wakeAt.isAfter(now)) {
						Instant due = step.wakeAt;
						transition.afterCommit(() -> this.host.wakeAt(instanceId(), due));
					}
				}
				if (interrupted) {
					transition.event(event(WorkflowEventType.WORKFLOW_RESUMED, -1, 0, now,
							Map.of("reason", "recovered by node " + this.host.nodeId())));
				}
				if (this.status == WorkflowStatus.COMPENSATING) {
					this.phase = Phase.COMPENSATING;
					this.compensationQueue = compensationOrder();
				}
				else if (this.error != null) {
					this.phase = Phase.DRAINING;
				}
			}
			if (this.cancelReason != null && this.phase != Phase.COMPENSATING) {
				applyCancel(transition, now, this.cancelReason);
			}
			advance(transition, now);
			toWrite = seal(transition);
		}
		this.pipeline.pump(toWrite);
	}

	/**
	 * Run a failed instance again: every step that did not complete (or was compensated)
	 * starts over with fresh attempts; completed outputs are kept.
	 * @param publish makes the run reachable; called under the run's lock
	 * @return completed once the resumption is stored
	 */
	CompletableFuture<Void> resumeFailed(Runnable publish) {
		CompletableFuture<Void> stored = new CompletableFuture<>();
		Transition toWrite;
		synchronized (this) {
			publish.run();
			if (this.abandoned) {
				stored.complete(null);
				return stored;
			}
			Instant now = this.host.now();
			Transition transition = new Transition();
			this.status = WorkflowStatus.RUNNING;
			this.error = null;
			this.cancelReason = null;
			this.completedAt = null;
			this.wakeAt = null;
			this.output = JsonObject.empty();
			for (StepState step : this.steps) {
				if (step.status != StepStatus.COMPLETED) {
					step.status = StepStatus.PENDING;
					step.attempts = 0;
					step.output = JsonObject.empty();
					step.error = null;
					step.startedAt = null;
					step.completedAt = null;
					step.wakeAt = null;
					step.completionOrder = 0;
					transition.step(step.toRecord());
				}
			}
			transition.event(event(WorkflowEventType.WORKFLOW_RESUMED, -1, 0, now, Map.of("reason", "resumed")));
			transition.afterCommit(() -> stored.complete(null));
			advance(transition, now);
			toWrite = seal(transition);
		}
		this.pipeline.pump(toWrite);
		return stored;
	}

	/**
	 * A due retry: start what is due.
	 * @return {@code false} if the run no longer drives the instance
	 */
	boolean wake() {
		Transition toWrite;
		synchronized (this) {
			if (this.phase == Phase.ENDED) {
				return false;
			}
			Transition transition = new Transition();
			advance(transition, this.host.now());
			toWrite = seal(transition);
		}
		this.pipeline.pump(toWrite);
		return true;
	}

	/**
	 * Cancel the instance: stop scheduling, interrupt running attempts, compensate, end
	 * {@link WorkflowStatus#CANCELLED}.
	 * @param reason why
	 * @return {@code false} if the run no longer drives the instance
	 */
	boolean cancel(String reason) {
		Transition toWrite;
		synchronized (this) {
			if (this.phase == Phase.ENDED) {
				return false;
			}
			if (this.phase == Phase.COMPENSATING || this.cancelReason != null) {
				return true;
			}
			Instant now = this.host.now();
			Transition transition = new Transition();
			applyCancel(transition, now, reason);
			advance(transition, now);
			toWrite = seal(transition);
		}
		this.pipeline.pump(toWrite);
		return true;
	}

	/**
	 * The node is shutting down: start nothing more, and hand the instance back once the
	 * running attempts have ended.
	 */
	void drain() {
		Transition toWrite;
		synchronized (this) {
			if (this.phase == Phase.ENDED || this.draining) {
				return;
			}
			this.draining = true;
			if (this.inFlight > 0) {
				return;
			}
			Transition transition = new Transition();
			advance(transition, this.host.now());
			toWrite = seal(transition);
		}
		this.pipeline.pump(toWrite);
	}

	/**
	 * The node no longer drives the instance (its lease is lost, or it shuts down without
	 * waiting): interrupt what runs and write nothing more.
	 */
	void abandon() {
		synchronized (this) {
			if (this.abandoned) {
				return;
			}
			this.abandoned = true;
			this.phase = Phase.ENDED;
			this.pipeline.discard();
			for (StepState step : this.steps) {
				if (step.attempt != null) {
					step.attempt.abandon();
				}
			}
			if (this.compensation != null) {
				this.compensation.abandon();
			}
		}
		this.host.runEnded(this, RunEnding.ABANDONED);
	}

	/**
	 * The heartbeat found the lease gone. A run that has just ended released it itself;
	 * any other must stop.
	 */
	void leaseLost() {
		synchronized (this) {
			if (this.phase == Phase.ENDED) {
				return;
			}
		}
		logger.warn("Lost the lease of instance {}; another node drives it now", instanceId());
		abandon();
	}

	private void lost() {
		abandon();
	}

	// ---- attempts -----------------------------------------------------------------

	private void launch(Attempt attempt) {
		StepDefinition step = this.plan.step(attempt.step());
		if (attempt.compensation()) {
			this.host.pools().submitLane(this, () -> execute(attempt));
		}
		else if (step.async()) {
			this.host.pools().submitAsync(step.priority(), () -> execute(attempt));
		}
		else {
			this.host.pools().submitLane(this, () -> execute(attempt));
		}
	}

	private void execute(Attempt attempt) {
		if (!attempt.enter()) {
			return;
		}
		StepDefinition step = this.plan.step(attempt.step());
		Duration timeout = this.plan.timeout(attempt.step());
		try {
			attempt.timeout(this.host.timers()
				.schedule(() -> this.host.pools().submitLane(null, () -> timedOut(attempt)), timeout.toNanos(),
						TimeUnit.NANOSECONDS));
		}
		catch (RejectedExecutionException ex) {
			// the node is closing; the attempt still runs, unbounded, until drained
		}
		Map<String, Object> result = null;
		Throwable failure = null;
		try {
			AttemptContext context = new AttemptContext(this, attempt, step.id());
			if (attempt.compensation()) {
				Objects.requireNonNull(step.compensator().orElse(null), "compensator").compensate(context);
			}
			else {
				result = step.executor().execute(context);
			}
		}
		catch (Throwable ex) {
			failure = ex;
		}
		finally {
			attempt.exit();
		}
		JsonObject output = null;
		StepFailure stepFailure = null;
		if (failure != null) {
			stepFailure = StepFailure.of(failure);
		}
		else if (!attempt.compensation()) {
			try {
				output = JsonValues.object(result, "output of step " + step.id());
				this.host.store().checkValue(output, "output of step " + step.id());
			}
			catch (IllegalArgumentException ex) {
				stepFailure = StepFailure.permanent("invalid_output", ex.getMessage());
			}
		}
		finished(attempt, output, stepFailure);
	}

	private void timedOut(Attempt attempt) {
		Transition toWrite;
		synchronized (this) {
			if (!isCurrent(attempt)) {
				return;
			}
			boolean stopping = attempt.isInterrupted();
			attempt.abandon();
			Instant now = this.host.now();
			Transition transition = new Transition();
			String stepId = this.plan.step(attempt.step()).id();
			Duration timeout = this.plan.timeout(attempt.step());
			StepFailure failure = StepFailure.timeout(stepId, timeout);
			logger.warn(
					"Attempt {} of step {} of instance {} {} after {}; it was interrupted and its result will be "
							+ "ignored",
					attempt.number(), stepId, instanceId(), stopping ? "did not stop when asked" : "timed out",
					timeout);
			record(transition, attempt, null, failure, now);
			advance(transition, now);
			toWrite = seal(transition);
		}
		this.pipeline.pump(toWrite);
	}

	private void finished(Attempt attempt, @Nullable JsonObject output, @Nullable StepFailure failure) {
		Transition toWrite;
		synchronized (this) {
			if (!isCurrent(attempt)) {
				return;
			}
			Instant now = this.host.now();
			Transition transition = new Transition();
			record(transition, attempt, output, failure, now);
			advance(transition, now);
			toWrite = seal(transition);
		}
		this.pipeline.pump(toWrite);
	}

	private boolean isCurrent(Attempt attempt) {
		if (this.phase == Phase.ENDED) {
			return false;
		}
		return attempt.compensation() ? this.compensation == attempt : this.steps[attempt.step()].attempt == attempt;
	}

	private void record(Transition transition, Attempt attempt, @Nullable JsonObject output,
			@Nullable StepFailure failure, Instant now) {
		int index = attempt.step();
		StepState step = this.steps[index];
		long durationMs = attempt.elapsedMillis();
		this.inFlight--;
		if (attempt.compensation()) {
			this.compensation = null;
			if (failure == null) {
				step.status = StepStatus.COMPENSATED;
				transition.step(step.toRecord());
				transition.event(event(WorkflowEventType.STEP_COMPENSATED, index, attempt.number(), now,
						Map.of("durationMs", durationMs)));
			}
			else {
				logger.warn("Compensation of step {} of instance {} failed: {}", step.stepId, instanceId(),
						failure.message());
				transition.event(event(WorkflowEventType.STEP_FAILED, index, attempt.number(), now,
						Map.of("error", "compensation failed: " + failure.message(), "errorType", failure.type(),
								"compensation", true, "durationMs", durationMs)));
			}
			return;
		}
		step.attempt = null;
		if (!this.plan.step(index).async()) {
			this.laneBusy = false;
		}
		if (failure != null && attempt.isInterrupted() && this.stopReason != null) {
			failure = StepFailure.permanent("interrupted", "interrupted: " + this.stopReason);
		}
		if (failure == null) {
			step.status = StepStatus.COMPLETED;
			step.output = Objects.requireNonNull(output);
			step.error = null;
			step.completedAt = now;
			step.completionOrder = ++this.completions;
			transition.step(step.toRecord());
			transition.event(event(WorkflowEventType.STEP_COMPLETED, index, attempt.number(), now,
					Map.of("durationMs", durationMs)));
			return;
		}
		fail(transition, index, failure, now, durationMs);
	}

	// ---- decisions ----------------------------------------------------------------

	private void fail(Transition transition, int index, StepFailure failure, Instant now, long durationMs) {
		StepState step = this.steps[index];
		RetryPolicy policy = this.plan.retryPolicy(index);
		step.error = failure.message();
		boolean retry = failure.retryable() && policy.isRetryable(failure.type())
				&& step.attempts < policy.maxAttempts() && retriesAllowed();
		if (retry) {
			Duration delay = policy.delayBeforeRetry(step.attempts);
			Instant due = now.plus(delay);
			step.status = StepStatus.WAITING;
			step.wakeAt = due;
			transition.step(step.toRecord());
			transition.event(
					event(WorkflowEventType.STEP_RETRYING, index, step.attempts, now, Map.of("error", failure.message(),
							"errorType", failure.type(), "delayMs", delay.toMillis(), "durationMs", durationMs)));
			if (!delay.isZero()) {
				transition.afterCommit(() -> this.host.wakeAt(instanceId(), due));
			}
			return;
		}
		step.status = StepStatus.FAILED;
		step.completedAt = now;
		step.wakeAt = null;
		transition.step(step.toRecord());
		transition.event(event(WorkflowEventType.STEP_FAILED, index, step.attempts, now,
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
		for (int i = 0; i < this.steps.length; i++) {
			StepState step = this.steps[i];
			Attempt attempt = step.attempt;
			if (attempt != null) {
				if (attempt.interrupt()) {
					continue;
				}
				step.attempt = null;
				this.inFlight--;
				if (!this.plan.step(i).async()) {
					this.laneBusy = false;
				}
				step.error = "interrupted before it started: " + reason;
			}
			else if (step.status == StepStatus.WAITING) {
				step.error = "not retried: " + reason;
			}
			else {
				continue;
			}
			step.status = StepStatus.FAILED;
			step.completedAt = now;
			step.wakeAt = null;
			transition.step(step.toRecord());
			transition.event(event(WorkflowEventType.STEP_FAILED, i, step.attempts, now,
					Map.of("error", Objects.requireNonNull(step.error), "errorType", "interrupted")));
		}
	}

	private boolean retriesAllowed() {
		return this.cancelReason == null && (this.phase == Phase.ACTIVE || (this.phase == Phase.DRAINING
				&& this.plan.definition().failurePolicy() == FailurePolicy.COMPLETE_ALL));
	}

	private boolean isDraining() {
		return this.draining || this.host.isClosing();
	}

	private boolean schedulingAllowed() {
		if (isDraining() || this.cancelReason != null) {
			return false;
		}
		return this.phase == Phase.ACTIVE || (this.phase == Phase.DRAINING
				&& this.plan.definition().failurePolicy() == FailurePolicy.COMPLETE_ALL);
	}

	/**
	 * Decide what follows the current state: start what is ready, then, if nothing runs,
	 * park, finish or compensate.
	 */
	private void advance(Transition transition, Instant now) {
		if (this.phase == Phase.ENDED) {
			return;
		}
		if (this.phase == Phase.COMPENSATING) {
			compensateNext(transition, now);
			return;
		}
		if (schedulingAllowed()) {
			boolean progress = true;
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
		}
		if (this.inFlight == 0) {
			settle(transition, now);
		}
	}

	/**
	 * Start, skip or leave one step.
	 * @return {@code true} if the step was skipped, which may make others ready
	 */
	private boolean consider(Transition transition, int index, Instant now) {
		StepState step = this.steps[index];
		if (step.status == StepStatus.WAITING) {
			if (step.wakeAt != null && !step.wakeAt.isAfter(now) && canStart(index)) {
				startAttempt(transition, index, now);
			}
			return false;
		}
		if (step.status != StepStatus.PENDING || !canStart(index)) {
			return false;
		}
		Readiness readiness = readiness(index);
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
				Attempt probe = new Attempt(index, step.attempts + 1, false, inputOf(index), now);
				runs = condition.get().test(new AttemptContext(this, probe, step.stepId));
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
		startAttempt(transition, index, now);
		return false;
	}

	private boolean canStart(int index) {
		return this.plan.step(index).async() || !this.laneBusy;
	}

	private Readiness readiness(int index) {
		int[] dependencies = this.plan.dependencies(index);
		if (dependencies.length == 0) {
			return Readiness.READY;
		}
		boolean allSkipped = true;
		for (int dependency : dependencies) {
			StepState state = this.steps[dependency];
			if (state.status == StepStatus.SKIPPED) {
				continue;
			}
			allSkipped = false;
			boolean required = this.plan.step(dependency).required();
			if (state.isSettled(required)) {
				continue;
			}
			return (state.status == StepStatus.FAILED) ? Readiness.BLOCKED : Readiness.NOT_READY;
		}
		return allSkipped ? Readiness.ALL_SKIPPED : Readiness.READY;
	}

	private void skip(Transition transition, int index, Instant now, String why) {
		StepState step = this.steps[index];
		step.status = StepStatus.SKIPPED;
		step.completedAt = now;
		transition.step(step.toRecord());
		transition.event(event(WorkflowEventType.STEP_SKIPPED, index, 0, now, Map.of("reason", why)));
	}

	private void startAttempt(Transition transition, int index, Instant now) {
		StepState step = this.steps[index];
		step.attempts++;
		step.status = StepStatus.RUNNING;
		step.startedAt = now;
		step.completedAt = null;
		step.wakeAt = null;
		Attempt attempt = new Attempt(index, step.attempts, false, inputOf(index), now);
		step.attempt = attempt;
		this.inFlight++;
		if (!this.plan.step(index).async()) {
			this.laneBusy = true;
		}
		if (this.status == WorkflowStatus.WAITING || this.status == WorkflowStatus.PENDING) {
			this.status = WorkflowStatus.RUNNING;
		}
		transition.step(step.toRecord());
		transition.event(event(WorkflowEventType.STEP_STARTED, index, step.attempts, now, Map.of()));
		transition.afterCommit(() -> launch(attempt));
	}

	/**
	 * Nothing runs: hand back, park, complete or compensate.
	 */
	private void settle(Transition transition, Instant now) {
		if (isDraining() && hasStartableWork(now)) {
			end(transition, RunEnding.RELEASED, now);
			return;
		}
		Instant nextWake = null;
		for (StepState step : this.steps) {
			if (step.status == StepStatus.WAITING && step.wakeAt != null
					&& (nextWake == null || step.wakeAt.isBefore(nextWake))) {
				nextWake = step.wakeAt;
			}
		}
		if (nextWake != null) {
			this.status = WorkflowStatus.WAITING;
			end(transition, RunEnding.PARKED, nextWake);
		}
		else if (this.phase == Phase.ACTIVE) {
			complete(transition, now);
		}
		else {
			this.phase = Phase.COMPENSATING;
			this.compensationQueue = compensationOrder();
			this.compensationNext = 0;
			if (this.compensationQueue.length > 0) {
				this.status = WorkflowStatus.COMPENSATING;
			}
			compensateNext(transition, now);
		}
	}

	private boolean hasStartableWork(Instant now) {
		if (this.phase == Phase.COMPENSATING) {
			return this.compensationNext < this.compensationQueue.length;
		}
		for (int i = 0; i < this.steps.length; i++) {
			StepState step = this.steps[i];
			if (step.status == StepStatus.PENDING && readiness(i) != Readiness.NOT_READY
					&& readiness(i) != Readiness.BLOCKED) {
				return true;
			}
			if (step.status == StepStatus.WAITING && step.wakeAt != null && !step.wakeAt.isAfter(now)) {
				return true;
			}
		}
		return false;
	}

	private void complete(Transition transition, Instant now) {
		List<String> stuck = new ArrayList<>();
		List<JsonObject> outputs = new ArrayList<>();
		for (int index : this.plan.topologicalOrder()) {
			StepState step = this.steps[index];
			if (step.status == StepStatus.PENDING || step.status == StepStatus.RUNNING) {
				stuck.add(step.stepId);
			}
			if (step.status == StepStatus.COMPLETED) {
				outputs.add(step.output);
			}
		}
		if (!stuck.isEmpty()) {
			// cannot happen while the scheduling invariants hold; fail loudly rather than
			// hang
			logger.error("Instance {} has nothing running but steps {} cannot start", instanceId(), stuck);
			this.error = "internal error: steps " + stuck + " can never start";
			this.phase = Phase.DRAINING;
			settle(transition, now);
			return;
		}
		this.output = JsonValues.merge(this.input, outputs);
		this.status = WorkflowStatus.COMPLETED;
		this.completedAt = now;
		transition.event(event(WorkflowEventType.WORKFLOW_COMPLETED, -1, 0, now, Map.of("durationMs", runMillis(now))));
		end(transition, RunEnding.FINISHED, null);
	}

	private int[] compensationOrder() {
		List<Integer> completed = new ArrayList<>();
		for (int i = 0; i < this.steps.length; i++) {
			if (this.steps[i].status == StepStatus.COMPLETED && this.plan.step(i).compensator().isPresent()) {
				completed.add(i);
			}
		}
		completed.sort((a, b) -> Long.compare(this.steps[b].completionOrder, this.steps[a].completionOrder));
		return completed.stream().mapToInt(Integer::intValue).toArray();
	}

	private void compensateNext(Transition transition, Instant now) {
		if (this.compensation != null) {
			return;
		}
		if (this.compensationNext < this.compensationQueue.length) {
			if (isDraining()) {
				end(transition, RunEnding.RELEASED, now);
				return;
			}
			int index = this.compensationQueue[this.compensationNext++];
			StepState step = this.steps[index];
			JsonObject compensationInput = JsonValues.merge(inputOf(index), List.of(step.output));
			Attempt attempt = new Attempt(index, step.attempts, true, compensationInput, now);
			this.compensation = attempt;
			this.inFlight++;
			transition.afterCommit(() -> launch(attempt));
			return;
		}
		this.status = (this.cancelReason != null) ? WorkflowStatus.CANCELLED : WorkflowStatus.FAILED;
		this.completedAt = now;
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("error", Objects.requireNonNullElse(this.error, "failed"));
		data.put("durationMs", runMillis(now));
		if (this.cancelReason != null) {
			data.put("reason", this.cancelReason);
		}
		transition.event(event(
				(this.cancelReason != null) ? WorkflowEventType.WORKFLOW_CANCELLED : WorkflowEventType.WORKFLOW_FAILED,
				-1, 0, now, data));
		end(transition, RunEnding.FINISHED, null);
	}

	private void start(Transition transition, Instant now) {
		this.status = WorkflowStatus.RUNNING;
		this.startedAt = now;
		this.wakeAt = null;
		transition.event(event(WorkflowEventType.WORKFLOW_STARTED, -1, 0, now, Map.of()));
	}

	private void end(Transition transition, RunEnding ending, @Nullable Instant wakeAt) {
		this.phase = Phase.ENDED;
		this.wakeAt = wakeAt;
		this.leaseReleased = true;
		transition.afterCommit(() -> this.host.runEnded(this, ending));
	}

	/**
	 * Stamp the transition with the instance state and queue it.
	 * @return the transition to write now, or {@code null}
	 */
	private @Nullable Transition seal(Transition transition) {
		InstanceState state = currentState();
		boolean changed = !state.equals(this.lastState);
		this.lastState = state;
		transition.state(state, changed, this.leaseReleased);
		return this.pipeline.enqueue(transition);
	}

	private InstanceState currentState() {
		return new InstanceState(this.status, this.output, this.error, this.startedAt, this.completedAt, this.wakeAt);
	}

	// ---- data ---------------------------------------------------------------------

	private JsonObject inputOf(int index) {
		int[] ancestors = this.plan.ancestorsInTopologicalOrder(index);
		if (ancestors.length == 0) {
			return this.input;
		}
		List<JsonObject> outputs = new ArrayList<>(ancestors.length);
		for (int ancestor : ancestors) {
			outputs.add(this.steps[ancestor].output);
		}
		return JsonValues.merge(this.input, outputs);
	}

	/**
	 * The output of a step as an attempt may see it: an ancestor's, or, for a
	 * compensation, the compensated step's own.
	 */
	Map<String, Object> outputVisibleTo(Attempt attempt, String stepId) {
		int index = this.plan.indexOf(stepId);
		if (index < 0) {
			return JsonObject.empty();
		}
		boolean visible = this.plan.isAncestor(attempt.step(), index)
				|| (attempt.compensation() && index == attempt.step());
		if (!visible) {
			return JsonObject.empty();
		}
		synchronized (this) {
			return this.steps[index].output;
		}
	}

	List<Map<String, Object>> signals(String name) {
		List<Map<String, Object>> payloads = new ArrayList<>();
		for (SignalRecord signal : this.host.store().signals(instanceId(), name)) {
			payloads.add(signal.payload());
		}
		return payloads;
	}

	private long runMillis(Instant now) {
		return (this.startedAt != null) ? Duration.between(this.startedAt, now).toMillis() : 0;
	}

	private WorkflowEvent event(WorkflowEventType type, int step, int attempt, Instant now, Map<String, ?> data) {
		String stepId = (step >= 0) ? this.steps[step].stepId : null;
		JsonObject values = data.isEmpty() ? JsonObject.empty() : JsonValues.object(data, type + " data");
		return new WorkflowEvent(type, instanceId(), workflowId(), stepId, attempt, now, values);
	}

	@Override
	public String toString() {
		return "InstanceRun[" + instanceId() + ", " + this.plan.key() + "]";
	}

}
