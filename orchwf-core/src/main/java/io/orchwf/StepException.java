package io.orchwf;

import org.jspecify.annotations.Nullable;

/**
 * A step failure with an error type that retry policies match.
 *
 * <p>
 * Throw it from a {@link StepExecutor} to classify a failure:
 * {@code throw new StepException("connection_refused", "payment gateway is down")}. A
 * {@link RetryPolicy} retries the type if it is in its retryable list (or the list is
 * empty) and not in its non-retryable list. Other exceptions have their simple class name
 * as type; a timed-out attempt has type {@code timeout}.
 */
public class StepException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String errorType;

	/**
	 * Create a typed step failure.
	 * @param errorType the type retry policies match, such as {@code "timeout"}
	 * @param message what went wrong
	 */
	public StepException(String errorType, String message) {
		this(errorType, message, null);
	}

	/**
	 * Create a typed step failure with a cause.
	 * @param errorType the type retry policies match
	 * @param message what went wrong
	 * @param cause the underlying failure
	 */
	public StepException(String errorType, String message, @Nullable Throwable cause) {
		super(message, cause);
		if (errorType == null || errorType.isBlank()) {
			throw new IllegalArgumentException("errorType must not be blank");
		}
		this.errorType = errorType;
	}

	/**
	 * The error type retry policies match.
	 * @return the error type
	 */
	public String errorType() {
		return this.errorType;
	}

}
