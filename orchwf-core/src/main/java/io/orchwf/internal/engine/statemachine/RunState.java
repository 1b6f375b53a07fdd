package io.orchwf.internal.engine.statemachine;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import io.orchwf.FailurePolicy;
import io.orchwf.WorkflowStatus;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.internal.json.JsonValues;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.InstanceState;
import org.jspecify.annotations.Nullable;

/**
 * The state of one instance as its decisions change it: what is stored of it (status,
 * output, error, times), and what only this run knows (its phase, the attempts in flight,
 * whether its sync lane is busy). Its changes are its own methods; the parts of the
 * decisions share it. Guarded by the owning run.
 */
final class RunState {

	/**
	 * Where the run stands.
	 */
	enum Phase {

		/** Scheduling steps. */
		ACTIVE,

		/** A required step failed or the instance was cancelled; letting work end. */
		DRAINING,

		/** Running compensators. */
		COMPENSATING,

		/** No longer driven here. */
		ENDED

	}

	/** The instance row as claimed; {@link #state()} is what changed since. */
	final InstanceRecord record;

	private final FailurePolicy failurePolicy;

	private final BooleanSupplier nodeClosing;

	WorkflowStatus status;

	JsonObject output;

	@Nullable String error;

	@Nullable Instant startedAt;

	@Nullable Instant completedAt;

	@Nullable Instant wakeAt;

	@Nullable String cancelReason;

	/** Why running attempts were interrupted, if they were. */
	@Nullable String stopReason;

	Phase phase = Phase.ACTIVE;

	/** Attempts launched and not yet reported. */
	int inFlight;

	/** Whether a sync step of the instance runs. */
	boolean laneBusy;

	private boolean draining;

	private boolean leaseReleased;

	/** The state {@link #state} made last, or {@code null}. */
	private @Nullable InstanceState lastState;

	RunState(InstanceRecord record, FailurePolicy failurePolicy, BooleanSupplier nodeClosing) {
		this.record = record;
		this.failurePolicy = failurePolicy;
		this.nodeClosing = nodeClosing;
		this.status = record.status();
		this.output = JsonValues.object(record.output(), "output");
		this.error = record.error();
		this.startedAt = record.startedAt();
		this.completedAt = record.completedAt();
		this.wakeAt = record.wakeAt();
		this.cancelReason = record.cancelReason();
	}

	/**
	 * The instance starts running.
	 * @param now when
	 */
	void start(Instant now) {
		this.status = WorkflowStatus.RUNNING;
		this.startedAt = now;
		this.wakeAt = null;
	}

	/**
	 * A failed instance runs again.
	 */
	void resume() {
		this.status = WorkflowStatus.RUNNING;
		this.error = null;
		this.cancelReason = null;
		this.completedAt = null;
		this.wakeAt = null;
		this.output = JsonObject.empty();
	}

	/**
	 * A step started: the instance runs.
	 */
	void markRunning() {
		if (this.status == WorkflowStatus.WAITING || this.status == WorkflowStatus.PENDING) {
			this.status = WorkflowStatus.RUNNING;
		}
	}

	/**
	 * The workflow fails: nothing new is scheduled (unless the failure policy lets
	 * independent branches finish), and compensation follows once work has ended.
	 * @param message why
	 */
	void fail(String message) {
		this.error = message;
		this.phase = Phase.DRAINING;
	}

	/**
	 * The instance is cancelled.
	 * @param reason why
	 */
	void cancel(String reason) {
		this.cancelReason = reason;
		fail("cancelled: " + reason);
	}

	/**
	 * An attempt was launched.
	 * @param sync whether it runs on the instance's lane
	 */
	void attemptLaunched(boolean sync) {
		this.inFlight++;
		if (sync) {
			this.laneBusy = true;
		}
	}

	/**
	 * An attempt is no longer in flight: it reported, or was withdrawn.
	 * @param sync whether it ran on the instance's lane
	 */
	void attemptDone(boolean sync) {
		this.inFlight--;
		if (sync) {
			this.laneBusy = false;
		}
	}

	/**
	 * The node shuts down.
	 * @return {@code false} if the run had ended or was draining already
	 */
	boolean drain() {
		if (this.phase == Phase.ENDED || this.draining) {
			return false;
		}
		this.draining = true;
		return true;
	}

	/**
	 * The run stops being driven here.
	 * @param wake when the instance is due again, if it waits
	 */
	void end(@Nullable Instant wake) {
		this.phase = Phase.ENDED;
		this.wakeAt = wake;
		this.leaseReleased = true;
	}

	boolean isEnded() {
		return this.phase == Phase.ENDED;
	}

	boolean leaseReleased() {
		return this.leaseReleased;
	}

	/**
	 * Whether the node shuts down or this run drains: start nothing more.
	 */
	boolean isDraining() {
		return this.draining || this.nodeClosing.getAsBoolean();
	}

	/**
	 * Whether a failed attempt may be retried: the workflow runs, or lets its independent
	 * branches finish after a failure.
	 */
	boolean retriesAllowed() {
		return this.cancelReason == null && (this.phase == Phase.ACTIVE
				|| (this.phase == Phase.DRAINING && this.failurePolicy == FailurePolicy.COMPLETE_ALL));
	}

	boolean schedulingAllowed() {
		return !isDraining() && retriesAllowed();
	}

	InstanceState state() {
		InstanceState last = this.lastState;
		// most transitions leave the instance's own state as it was: the same object then
		if (last != null && last.status() == this.status && last.output() == this.output && last.error() == this.error
				&& last.startedAt() == this.startedAt && last.completedAt() == this.completedAt
				&& last.wakeAt() == this.wakeAt) {
			return last;
		}
		last = new InstanceState(this.status, this.output, this.error, this.startedAt, this.completedAt, this.wakeAt);
		this.lastState = last;
		return last;
	}

	/**
	 * How long the instance has run.
	 * @param now the time
	 * @return the milliseconds since it started, 0 if it has not
	 */
	long runMillis(Instant now) {
		return (this.startedAt != null) ? Duration.between(this.startedAt, now).toMillis() : 0;
	}

}
