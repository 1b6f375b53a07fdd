package io.orchwf.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import io.orchwf.StepStatus;
import org.jspecify.annotations.Nullable;

/**
 * The stored row of one step of an instance. A step transition rewrites this one small
 * row.
 *
 * @param stepId the step id
 * @param position the step's index in definition order
 * @param status the step state
 * @param attempts how many attempts have started
 * @param output the step output, JSON values; empty until it completes
 * @param error the last failure's message, or {@code null}
 * @param errorType the last failure's type, which retry policies match (such as
 * {@code timeout}), or {@code null}; set and cleared with {@code error}
 * @param startedAt when the last attempt started, or {@code null}
 * @param completedAt when the step finished, or {@code null}
 * @param wakeAt when a {@code WAITING} step runs its next attempt, or {@code null}; for a
 * step that waits (a timer, a wait's timeout), when its wait ends
 * @param completionOrder the order in which the step completed within its instance
 * (1-based), 0 if it has not; compensation runs in reverse of it
 */
public record StepRecord(String stepId, int position, StepStatus status, int attempts, Map<String, Object> output,
		@Nullable String error, @Nullable String errorType, @Nullable Instant startedAt, @Nullable Instant completedAt,
		@Nullable Instant wakeAt, long completionOrder) {

	/**
	 * Create a step row.
	 * @param stepId the step id
	 * @param position the index in definition order
	 * @param status the step state
	 * @param attempts how many attempts have started
	 * @param output the step output
	 * @param error the last failure, or {@code null}
	 * @param errorType the last failure's type, or {@code null}
	 * @param startedAt when the last attempt started, or {@code null}
	 * @param completedAt when the step finished, or {@code null}
	 * @param wakeAt when the next attempt is due, or {@code null}
	 * @param completionOrder the completion order, 0 if not completed
	 */
	public StepRecord {
		Objects.requireNonNull(stepId, "stepId");
		Objects.requireNonNull(status, "status");
		Objects.requireNonNull(output, "output");
	}

	/**
	 * Create a step row without an error type, as stores and tests written before error
	 * types were stored build one.
	 * @param stepId the step id
	 * @param position the index in definition order
	 * @param status the step state
	 * @param attempts how many attempts have started
	 * @param output the step output
	 * @param error the last failure, or {@code null}
	 * @param startedAt when the last attempt started, or {@code null}
	 * @param completedAt when the step finished, or {@code null}
	 * @param wakeAt when the next attempt is due, or {@code null}
	 * @param completionOrder the completion order, 0 if not completed
	 */
	public StepRecord(String stepId, int position, StepStatus status, int attempts, Map<String, Object> output,
			@Nullable String error, @Nullable Instant startedAt, @Nullable Instant completedAt,
			@Nullable Instant wakeAt, long completionOrder) {
		this(stepId, position, status, attempts, output, error, null, startedAt, completedAt, wakeAt, completionOrder);
	}

	/**
	 * A step that has not started.
	 * @param stepId the step id
	 * @param position the index in definition order
	 * @return the pending step row
	 */
	public static StepRecord pending(String stepId, int position) {
		return new StepRecord(stepId, position, StepStatus.PENDING, 0, Map.of(), null, null, null, null, null, 0);
	}

}
