package io.orchwf;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of one step of a workflow instance, as stored.
 *
 * @param stepId the step's id
 * @param status the step's state
 * @param output the step's output; empty until it completes
 * @param error the last failure's message, if any
 * @param errorType the type of the last failure, if any: {@code timeout}, a
 * {@link StepException}'s {@link StepException#errorType() type}, or the simple class
 * name of the exception the step threw; stored with the step, so it survives a restart
 * @param attempts how many attempts have started
 * @param startedAt when the last attempt started: when it was launched, and once it has
 * reported, for a step that runs code, when that code began (it may have waited for a
 * thread)
 * @param completedAt when the step finished
 */
public record StepInstance(String stepId, StepStatus status, Map<String, Object> output, Optional<String> error,
		Optional<String> errorType, int attempts, Optional<Instant> startedAt, Optional<Instant> completedAt) {

	/**
	 * Create a step state.
	 * @param stepId the step's id
	 * @param status the step's state
	 * @param output the step's output
	 * @param error the last failure's message, if any
	 * @param errorType the last failure's type, if any
	 * @param attempts how many attempts have started
	 * @param startedAt when the last attempt started
	 * @param completedAt when the step finished
	 */
	public StepInstance {
		Objects.requireNonNull(stepId, "stepId");
		Objects.requireNonNull(status, "status");
		Objects.requireNonNull(output, "output");
		Objects.requireNonNull(error, "error");
		Objects.requireNonNull(errorType, "errorType");
		Objects.requireNonNull(startedAt, "startedAt");
		Objects.requireNonNull(completedAt, "completedAt");
	}

	/**
	 * Create a step state without an error type, as code written before error types were
	 * kept builds one (a test's expected value, say).
	 * @param stepId the step's id
	 * @param status the step's state
	 * @param output the step's output
	 * @param error the last failure's message, if any
	 * @param attempts how many attempts have started
	 * @param startedAt when the last attempt started
	 * @param completedAt when the step finished
	 */
	public StepInstance(String stepId, StepStatus status, Map<String, Object> output, Optional<String> error,
			int attempts, Optional<Instant> startedAt, Optional<Instant> completedAt) {
		this(stepId, status, output, error, Optional.empty(), attempts, startedAt, completedAt);
	}

	/**
	 * How long the step took: from the start of its last attempt to its end, on the
	 * orchestrator's clock. For a step that runs code (a task), the start is when its
	 * code began, so the time it waited for a thread does not count; for a forEach step,
	 * a signal wait, a timer or a child workflow, when the step started. It is the figure
	 * the {@code durationMs} of the event that ended the step carries, and that the
	 * {@code orchwf.step.duration} meter records.
	 * @return the duration, {@link Duration#ZERO} until the step has finished
	 */
	public Duration duration() {
		if (this.startedAt.isPresent() && this.completedAt.isPresent()) {
			return Duration.between(this.startedAt.get(), this.completedAt.get());
		}
		return Duration.ZERO;
	}

}
