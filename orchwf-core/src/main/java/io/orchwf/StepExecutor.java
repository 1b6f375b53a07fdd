package io.orchwf;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The work of one step.
 *
 * <p>
 * An executor runs once per attempt. It reads what it needs from the {@link StepContext}
 * and returns its output, which is stored and merged into the input of the steps that
 * depend on it. A step may run more than once for one instance (retries, and after a
 * crash an interrupted attempt runs again); use {@link StepContext#idempotencyKey()} to
 * make external effects idempotent.
 *
 * <p>
 * Throw {@link StepException} with an error type to let the retry policy classify the
 * failure, or {@link NonRetryableStepException} to fail at once. The attempt's thread is
 * interrupted when it times out or when the workflow is cancelled; long-running executors
 * should let {@link InterruptedException} propagate.
 */
@FunctionalInterface
public interface StepExecutor {

	/**
	 * Run one attempt of the step.
	 * @param context the attempt's input and identity
	 * @return the step's output, JSON-compatible values only; {@code null} means empty
	 * @throws Exception if the attempt failed
	 */
	@Nullable Map<String, Object> execute(StepContext context) throws Exception;

}
