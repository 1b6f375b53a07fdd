package io.orchwf;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How another step of the instance ended, as a step sees it through
 * {@link StepContext#stepResult(String)}: its state, its output and, if it failed, why.
 *
 * <p>
 * A join after a {@link FailurePolicy#COMPLETE_ALL} block, or after steps that are not
 * {@link StepDefinition.Builder#required(boolean) required}, reads the results of its
 * branches to see which failed and why, and decides (in its code, or with
 * {@link StepDefinition.Builder#when when} conditions downstream) what happens next:
 *
 * <pre>{@code
 * StepDefinition.builder("summarize", "Summarize", (ctx) -> {
 *     StepResult sms = ctx.stepResult("send_sms").orElseThrow();
 *     if (sms.status() == StepStatus.FAILED) {
 *         return Map.of("sms", "failed: " + sms.errorType().orElse("?"));
 *     }
 *     return Map.of("sms", "sent");
 * }).dependsOn("send_sms", "send_email").build();
 * }</pre>
 *
 * @param stepId the step's id
 * @param status the step's state: for an ancestor of a running step,
 * {@link StepStatus#COMPLETED}, {@link StepStatus#SKIPPED} or {@link StepStatus#FAILED}
 * (a step that is not required)
 * @param output the step's read-only output, the same as
 * {@link StepContext#stepOutput(String)} gives: what it completed with, empty if it did
 * not complete (but for a forEach step, which keeps the results its elements stored)
 * @param error the message of the step's last failure, if it has not completed since
 * @param errorType the type of that failure, which retry policies match: {@code timeout},
 * a {@link StepException}'s {@link StepException#errorType() type}, or the simple class
 * name of the exception the step threw
 */
public record StepResult(String stepId, StepStatus status, Map<String, Object> output, Optional<String> error,
		Optional<String> errorType) {

	/**
	 * Create a step result.
	 * @param stepId the step's id
	 * @param status the step's state
	 * @param output the step's output
	 * @param error the message of the step's last failure, if any
	 * @param errorType the type of that failure, if any
	 */
	public StepResult {
		Objects.requireNonNull(stepId, "stepId");
		Objects.requireNonNull(status, "status");
		Objects.requireNonNull(output, "output");
		Objects.requireNonNull(error, "error");
		Objects.requireNonNull(errorType, "errorType");
	}

	/**
	 * Whether the step completed, so that its output is what it produced.
	 * @return {@code true} for {@link StepStatus#COMPLETED}
	 */
	public boolean completed() {
		return this.status == StepStatus.COMPLETED;
	}

	/**
	 * Whether the step failed after its last attempt.
	 * @return {@code true} for {@link StepStatus#FAILED}
	 */
	public boolean failed() {
		return this.status == StepStatus.FAILED;
	}

}
