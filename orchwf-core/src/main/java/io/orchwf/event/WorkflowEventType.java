package io.orchwf.event;

/**
 * The kinds of transitions a {@link WorkflowEvent} reports.
 */
public enum WorkflowEventType {

	/** The instance started running. */
	WORKFLOW_STARTED,

	/** Every required step completed. */
	WORKFLOW_COMPLETED,

	/** A required step failed; completed steps were compensated. */
	WORKFLOW_FAILED,

	/** The instance was cancelled; completed steps were compensated. */
	WORKFLOW_CANCELLED,

	/** A failed or interrupted instance was resumed. */
	WORKFLOW_RESUMED,

	/** An attempt of a step started. */
	STEP_STARTED,

	/** A step completed. */
	STEP_COMPLETED,

	/** A step failed after its last attempt, or was interrupted. */
	STEP_FAILED,

	/** An attempt failed and the step will be retried after a delay. */
	STEP_RETRYING,

	/** A step was skipped. */
	STEP_SKIPPED,

	/** A completed step was compensated. */
	STEP_COMPENSATED,

	/** The instance received a signal. */
	SIGNAL_RECEIVED;

	/**
	 * Whether the event reports the end of a workflow instance.
	 * @return {@code true} for completed, failed and cancelled
	 */
	public boolean isWorkflowEnd() {
		return this == WORKFLOW_COMPLETED || this == WORKFLOW_FAILED || this == WORKFLOW_CANCELLED;
	}

}
