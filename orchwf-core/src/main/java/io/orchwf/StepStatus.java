package io.orchwf;

/**
 * The state of one step of a workflow instance.
 */
public enum StepStatus {

	/** Not started yet. */
	PENDING,

	/** An attempt is running. */
	RUNNING,

	/** Waiting for a wake-up, such as the backoff before its next retry. */
	WAITING,

	/** Completed; its output is stored and it never runs again. */
	COMPLETED,

	/** Failed after its last attempt, or interrupted because the workflow stopped. */
	FAILED,

	/** Not run: its condition was false or all of its dependencies were skipped. */
	SKIPPED,

	/** Completed, then undone by its compensator. */
	COMPENSATED;

	/**
	 * Whether a step in this state will not run again in the current run of its instance.
	 * @return {@code true} for {@link #COMPLETED}, {@link #FAILED}, {@link #SKIPPED} and
	 * {@link #COMPENSATED}
	 */
	public boolean isFinished() {
		return this == COMPLETED || this == FAILED || this == SKIPPED || this == COMPENSATED;
	}

}
