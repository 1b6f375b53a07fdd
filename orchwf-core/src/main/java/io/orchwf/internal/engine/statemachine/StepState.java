package io.orchwf.internal.engine.statemachine;

import java.time.Duration;
import java.time.Instant;

import io.orchwf.StepStatus;
import io.orchwf.internal.engine.attempt.Attempt;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.internal.json.JsonValues;
import io.orchwf.store.StepRecord;
import org.jspecify.annotations.Nullable;

/**
 * The live state of one step of an instance being driven: its stored row, plus the
 * attempt in flight. Guarded by the owning run.
 */
final class StepState {

	final String stepId;

	final int position;

	StepStatus status;

	int attempts;

	JsonObject output;

	@Nullable String error;

	/** The type of the failure {@link #error} tells, set and cleared with it. */
	@Nullable String errorType;

	@Nullable Instant startedAt;

	@Nullable Instant completedAt;

	@Nullable Instant wakeAt;

	long completionOrder;

	@Nullable Attempt attempt;

	/** The attempt under way of a forEach step, or {@code null}. */
	@Nullable ForEachProgress forEach;

	/** The record {@link #toRecord} made last, or {@code null}. */
	private @Nullable StepRecord lastRecord;

	StepState(StepRecord record) {
		this.stepId = record.stepId();
		this.position = record.position();
		this.status = record.status();
		this.attempts = record.attempts();
		// stored outputs are normalized already: spare joining a description per step
		this.output = (record.output() instanceof JsonObject normalized) ? normalized : record.output().isEmpty()
				? JsonObject.empty() : JsonValues.object(record.output(), "output of step " + record.stepId());
		this.error = record.error();
		this.errorType = record.errorType();
		this.startedAt = record.startedAt();
		this.completedAt = record.completedAt();
		this.wakeAt = record.wakeAt();
		this.completionOrder = record.completionOrder();
		if (this.output == record.output()) {
			// the row as it is: toRecord gives it back until the step changes
			this.lastRecord = record;
		}
	}

	StepRecord toRecord() {
		StepRecord last = this.lastRecord;
		// the same values as the last record made: that record, not a copy (the steps of
		// an instance that ends, say, are what their last transitions stored)
		if (last != null && last.status() == this.status && last.attempts() == this.attempts
				&& last.output() == this.output && last.error() == this.error && last.errorType() == this.errorType
				&& last.startedAt() == this.startedAt && last.completedAt() == this.completedAt
				&& last.wakeAt() == this.wakeAt && last.completionOrder() == this.completionOrder) {
			return last;
		}
		last = new StepRecord(this.stepId, this.position, this.status, this.attempts, this.output, this.error,
				this.errorType, this.startedAt, this.completedAt, this.wakeAt, this.completionOrder);
		this.lastRecord = last;
		return last;
	}

	/**
	 * A new attempt of the step begins: running, or waiting for what a waiting step waits
	 * for.
	 * @param status {@link StepStatus#RUNNING} or {@link StepStatus#WAITING}
	 * @param now when
	 */
	void begin(StepStatus status, Instant now) {
		this.attempts++;
		this.status = status;
		this.startedAt = now;
		this.completedAt = null;
		this.wakeAt = null;
	}

	/**
	 * An attempt of the step's code reported: from now on the step's start is when that
	 * code began, not when the attempt was launched (it may have waited for a thread, or
	 * for its launch to be stored), so that the step's duration is the time its code
	 * took.
	 * @param codeBegan when the code began, or {@code null} if it never did
	 */
	void ranFrom(@Nullable Instant codeBegan) {
		if (codeBegan != null) {
			this.startedAt = codeBegan;
		}
	}

	/**
	 * The step's duration if it ends now: from its start to now, on the engine's clock.
	 * The same two instants are stored, so the duration of the stored step and the one
	 * its end event carries are one figure.
	 * @param now when it ends
	 * @return milliseconds, 0 if it never started
	 */
	long millisUntil(Instant now) {
		return (this.startedAt != null) ? Duration.between(this.startedAt, now).toMillis() : 0;
	}

	/**
	 * The step completed.
	 * @param result its output
	 * @param now when
	 * @param order its place among the instance's completions, for compensation
	 */
	void complete(JsonObject result, Instant now, long order) {
		this.status = StepStatus.COMPLETED;
		this.output = result;
		clearError();
		this.completedAt = now;
		this.wakeAt = null;
		this.completionOrder = order;
	}

	/**
	 * The step failed for good.
	 * @param type the failure's type
	 * @param message why
	 * @param now when
	 */
	void fail(String type, String message, Instant now) {
		this.status = StepStatus.FAILED;
		this.error = message;
		this.errorType = type;
		this.completedAt = now;
		this.wakeAt = null;
	}

	/**
	 * The step failed and waits for its retry.
	 * @param type the failure's type
	 * @param message why
	 * @param due when the retry is due
	 */
	void awaitRetry(String type, String message, Instant due) {
		this.status = StepStatus.WAITING;
		this.error = message;
		this.errorType = type;
		this.wakeAt = due;
	}

	/**
	 * Forget the last failure: the step completed, or starts over.
	 */
	void clearError() {
		this.error = null;
		this.errorType = null;
	}

	/**
	 * The step is skipped.
	 * @param now when
	 */
	void skip(Instant now) {
		this.status = StepStatus.SKIPPED;
		this.completedAt = now;
	}

	/**
	 * A lost node's attempt was cut off, not failed: the step runs again under the same
	 * attempt number.
	 */
	void restartInterrupted() {
		this.status = StepStatus.PENDING;
		this.attempts = Math.max(0, this.attempts - 1);
	}

	/**
	 * The instance is resumed: the step starts over with fresh attempts.
	 * @param keepOutput whether its output stays (a forEach keeps the results its
	 * elements stored)
	 */
	void startOver(boolean keepOutput) {
		this.status = StepStatus.PENDING;
		this.attempts = 0;
		if (!keepOutput) {
			this.output = JsonObject.empty();
		}
		clearError();
		this.startedAt = null;
		this.completedAt = null;
		this.wakeAt = null;
		this.completionOrder = 0;
	}

	/**
	 * Take back the attempt that was started but whose code never began: the step is as
	 * it was before, pending or waiting for that retry, and the attempt does not count.
	 */
	void withdrawAttempt() {
		this.attempts--;
		this.status = (this.attempts == 0) ? StepStatus.PENDING : StepStatus.WAITING;
		if (this.attempts == 0) {
			this.startedAt = null;
		}
	}

	/**
	 * Whether the step's dependents may consider it done: completed, skipped, or failed
	 * while not required.
	 */
	boolean isSettled(boolean required) {
		return this.status == StepStatus.COMPLETED || this.status == StepStatus.SKIPPED
				|| (this.status == StepStatus.FAILED && !required);
	}

}
