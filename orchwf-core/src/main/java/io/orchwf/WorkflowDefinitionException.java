package io.orchwf;

import org.jspecify.annotations.Nullable;

/**
 * Thrown when a workflow or step definition is invalid: a blank id or name, a missing
 * executor, no steps, a duplicate step id, an unknown dependency, a self-dependency or a
 * dependency cycle. The message names the workflow, the step and the problem.
 */
public class WorkflowDefinitionException extends OrchwfException {

	private static final long serialVersionUID = 1L;

	private final @Nullable String workflowId;

	private final @Nullable String stepId;

	/**
	 * Create an exception.
	 * @param workflowId the workflow being defined, if known
	 * @param stepId the step at fault, if any
	 * @param message what is wrong and what to do
	 */
	public WorkflowDefinitionException(@Nullable String workflowId, @Nullable String stepId, String message) {
		super(message);
		this.workflowId = workflowId;
		this.stepId = stepId;
	}

	/**
	 * The workflow being defined.
	 * @return the workflow id, or {@code null} if not known yet
	 */
	public @Nullable String getWorkflowId() {
		return this.workflowId;
	}

	/**
	 * The step at fault.
	 * @return the step id, or {@code null} if the problem is not one step's
	 */
	public @Nullable String getStepId() {
		return this.stepId;
	}

}
