package io.orchwf;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A workflow instance as stored: its identity, state, data and steps.
 *
 * @param id the instance id
 * @param workflowId the workflow definition id
 * @param workflowVersion the definition version the instance runs on
 * @param status the instance's state
 * @param input the workflow input
 * @param output the workflow output (the merged outputs of its completed steps); empty
 * until it completes
 * @param error why the instance failed or was cancelled, if it did
 * @param steps the steps, in definition order
 * @param metadata the instance's metadata, including {@code trace_id} and
 * {@code correlation_id}
 * @param traceId the trace id (metadata {@code trace_id}, generated when absent)
 * @param correlationId the correlation id (metadata {@code correlation_id}, generated
 * when absent)
 * @param businessId the business id (metadata {@code business_id}), or {@code null}
 * @param createdAt when the instance was created
 * @param startedAt when the instance started running, or {@code null} while it is
 * {@link WorkflowStatus#PENDING}
 * @param completedAt when the instance finished
 */
public record WorkflowInstance(String id, String workflowId, String workflowVersion, WorkflowStatus status,
		Map<String, Object> input, Map<String, Object> output, Optional<String> error, List<StepInstance> steps,
		Map<String, Object> metadata, String traceId, String correlationId, @Nullable String businessId,
		Instant createdAt, @Nullable Instant startedAt, Optional<Instant> completedAt) {

	/**
	 * Create an instance view.
	 * @param id the instance id
	 * @param workflowId the workflow definition id
	 * @param workflowVersion the definition version
	 * @param status the instance's state
	 * @param input the workflow input
	 * @param output the workflow output
	 * @param error why the instance failed, if it did
	 * @param steps the steps, in definition order
	 * @param metadata the instance's metadata
	 * @param traceId the trace id
	 * @param correlationId the correlation id
	 * @param businessId the business id, or {@code null}
	 * @param createdAt when the instance was created
	 * @param startedAt when it started running, or {@code null}
	 * @param completedAt when it finished
	 */
	public WorkflowInstance {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(workflowId, "workflowId");
		Objects.requireNonNull(workflowVersion, "workflowVersion");
		Objects.requireNonNull(status, "status");
		Objects.requireNonNull(input, "input");
		Objects.requireNonNull(output, "output");
		Objects.requireNonNull(error, "error");
		steps = List.copyOf(steps);
		Objects.requireNonNull(metadata, "metadata");
		Objects.requireNonNull(traceId, "traceId");
		Objects.requireNonNull(correlationId, "correlationId");
		Objects.requireNonNull(createdAt, "createdAt");
		Objects.requireNonNull(completedAt, "completedAt");
	}

	/**
	 * Look up one step's state.
	 * @param stepId the step id
	 * @return the step, or empty if the workflow has no such step
	 */
	public Optional<StepInstance> step(String stepId) {
		return this.steps.stream().filter((step) -> step.stepId().equals(stepId)).findFirst();
	}

}
