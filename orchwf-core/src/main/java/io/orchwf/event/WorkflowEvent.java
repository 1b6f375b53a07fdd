package io.orchwf.event;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One stored transition of a workflow instance, as listeners and the history see it.
 *
 * <p>
 * {@link #data()} carries what the transition is about, by type: {@code durationMs} of
 * the attempt for {@code STEP_COMPLETED}, {@code STEP_FAILED} and {@code STEP_RETRYING},
 * the same figure as the stored step's {@link io.orchwf.StepInstance#duration()} (and,
 * for {@code STEP_COMPENSATED}, the compensation's own); {@code error} and
 * {@code errorType} for failures; {@code delayMs} for {@code STEP_RETRYING}; for the
 * {@code STEP_STARTED} of a timer, {@code timerMs}, or {@code until} (the ISO-8601
 * instant a {@code timerUntil} step waits until); {@code reason} for
 * {@code WORKFLOW_CANCELLED}; {@code durationMs} and {@code error} for the end of a
 * workflow. The {@link #timestamp()} of {@code STEP_STARTED} is when the attempt was
 * launched; its code may begin later, once a thread is free.
 *
 * @param type what happened
 * @param instanceId the instance
 * @param workflowId the workflow definition id
 * @param stepId the step, or {@code null} for a workflow-level event
 * @param attempt the step attempt, 0 for a workflow-level event
 * @param timestamp when it happened
 * @param data details, JSON-compatible values
 */
public record WorkflowEvent(WorkflowEventType type, String instanceId, String workflowId, @Nullable String stepId,
		int attempt, Instant timestamp, Map<String, Object> data) {

	/**
	 * Create an event.
	 * @param type what happened
	 * @param instanceId the instance
	 * @param workflowId the workflow definition id
	 * @param stepId the step, or {@code null}
	 * @param attempt the step attempt, 0 for a workflow-level event
	 * @param timestamp when it happened
	 * @param data details
	 */
	public WorkflowEvent {
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(instanceId, "instanceId");
		Objects.requireNonNull(workflowId, "workflowId");
		Objects.requireNonNull(timestamp, "timestamp");
		Objects.requireNonNull(data, "data");
	}

}
