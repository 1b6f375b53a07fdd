package io.orchwf;

/**
 * The lifecycle state of a workflow instance.
 *
 * <p>
 * An instance is created {@link #PENDING} when its start is deferred (see
 * {@link StartOptions#startAt()}), otherwise {@link #RUNNING}. It is {@link #WAITING}
 * while nothing runs and it only waits for a wake-up (a retry backoff, a signal, a
 * timer), and {@link #COMPENSATING} while the compensators of its completed steps run. It
 * ends {@link #COMPLETED}, {@link #FAILED} or {@link #CANCELLED}.
 */
public enum WorkflowStatus {

	/** Created, not started yet. */
	PENDING,

	/** At least one step is running or ready to run. */
	RUNNING,

	/** Nothing runs; the instance waits for a wake-up and holds no thread. */
	WAITING,

	/** A failure or a cancellation is being compensated. */
	COMPENSATING,

	/** Every required step completed. */
	COMPLETED,

	/** A required step failed; completed steps were compensated. */
	FAILED,

	/** The instance was cancelled; completed steps were compensated. */
	CANCELLED;

	/**
	 * Whether an instance in this state has finished and will never change again (except
	 * through {@code resume} of a failed instance).
	 * @return {@code true} for {@link #COMPLETED}, {@link #FAILED} and {@link #CANCELLED}
	 */
	public boolean isTerminal() {
		return this == COMPLETED || this == FAILED || this == CANCELLED;
	}

}
