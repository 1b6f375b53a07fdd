package io.orchwf.internal.engine;

import java.time.Instant;

import io.orchwf.StepStatus;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.internal.json.JsonValues;
import io.orchwf.store.StepRecord;
import org.jspecify.annotations.Nullable;

/**
 * The live state of one step of an instance being driven: its stored row, plus the
 * attempt in flight. Guarded by the owning {@link InstanceRun}.
 */
final class StepState {

	final String stepId;

	final int position;

	StepStatus status;

	int attempts;

	JsonObject output;

	@Nullable String error;

	@Nullable Instant startedAt;

	@Nullable Instant completedAt;

	@Nullable Instant wakeAt;

	long completionOrder;

	@Nullable Attempt attempt;

	/** The attempt under way of a forEach step, or {@code null}. */
	@Nullable ForEachProgress forEach;

	StepState(StepRecord record) {
		this.stepId = record.stepId();
		this.position = record.position();
		this.status = record.status();
		this.attempts = record.attempts();
		// stored outputs are normalized already: spare joining a description per step
		this.output = (record.output() instanceof JsonObject normalized) ? normalized : record.output().isEmpty()
				? JsonObject.empty() : JsonValues.object(record.output(), "output of step " + record.stepId());
		this.error = record.error();
		this.startedAt = record.startedAt();
		this.completedAt = record.completedAt();
		this.wakeAt = record.wakeAt();
		this.completionOrder = record.completionOrder();
	}

	StepRecord toRecord() {
		return new StepRecord(this.stepId, this.position, this.status, this.attempts, this.output, this.error,
				this.startedAt, this.completedAt, this.wakeAt, this.completionOrder);
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
