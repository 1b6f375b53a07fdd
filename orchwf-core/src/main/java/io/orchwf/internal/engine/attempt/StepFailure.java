package io.orchwf.internal.engine.attempt;

import java.time.Duration;

import io.orchwf.NonRetryableStepException;
import io.orchwf.StepException;

/**
 * A failed attempt, classified for the retry policy.
 *
 * @param type the error type retry policies match
 * @param message the failure's message
 * @param retryable {@code false} if the failure must not be retried whatever the policy
 */
public record StepFailure(String type, String message, boolean retryable) {

	/** The error type of a timed-out attempt. */
	public static final String TIMEOUT = "timeout";

	/**
	 * Classify what step code threw: a {@link StepException} by its type, anything else
	 * by its simple class name.
	 * @param failure what was thrown
	 * @return the failure, retryable unless it is a {@link NonRetryableStepException}
	 */
	public static StepFailure of(Throwable failure) {
		String message = (failure.getMessage() != null) ? failure.getMessage() : failure.getClass().getName();
		if (failure instanceof StepException stepException) {
			return new StepFailure(stepException.errorType(), message, !(failure instanceof NonRetryableStepException));
		}
		return new StepFailure(failure.getClass().getSimpleName(), message, true);
	}

	public static StepFailure timeout(String stepId, Duration timeout) {
		return new StepFailure(TIMEOUT, "step " + stepId + " timed out after " + timeout.toMillis() + " ms", true);
	}

	public static StepFailure permanent(String type, String message) {
		return new StepFailure(type, message, false);
	}

}
