package io.orchwf;

import org.jspecify.annotations.Nullable;

/**
 * A step failure that is never retried, whatever the retry policy says: the step fails at
 * once (for example on invalid input).
 */
public class NonRetryableStepException extends StepException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a non-retryable failure of type {@code NonRetryableStepException}.
	 * @param message what went wrong
	 */
	public NonRetryableStepException(String message) {
		super(NonRetryableStepException.class.getSimpleName(), message, null);
	}

	/**
	 * Create a non-retryable failure with a cause.
	 * @param message what went wrong
	 * @param cause the underlying failure
	 */
	public NonRetryableStepException(String message, @Nullable Throwable cause) {
		super(NonRetryableStepException.class.getSimpleName(), message, cause);
	}

	/**
	 * Create a non-retryable failure with an error type of its own.
	 * @param errorType the error type recorded with the failure, such as
	 * {@code "validation"}
	 * @param message what went wrong
	 */
	public NonRetryableStepException(String errorType, String message) {
		super(errorType, message, null);
	}

}
