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
 * @param attempts how many attempts have started
 * @param startedAt when the last attempt started
 * @param completedAt when the step finished
 */
public record StepInstance(String stepId, StepStatus status, Map<String, Object> output, Optional<String> error,
		int attempts, Optional<Instant> startedAt, Optional<Instant> completedAt) {

	/**
	 * Create a step state.
	 * @param stepId the step's id
	 * @param status the step's state
	 * @param output the step's output
	 * @param error the last failure's message, if any
	 * @param attempts how many attempts have started
	 * @param startedAt when the last attempt started
	 * @param completedAt when the step finished
	 */
	public StepInstance {
		Objects.requireNonNull(stepId, "stepId");
		Objects.requireNonNull(status, "status");
		Objects.requireNonNull(output, "output");
		Objects.requireNonNull(error, "error");
		Objects.requireNonNull(startedAt, "startedAt");
		Objects.requireNonNull(completedAt, "completedAt");
	}

	/**
	 * How long the step took, from the start of its last attempt to its end.
	 * @return the duration, {@link Duration#ZERO} until the step has finished
	 */
	public Duration duration() {
		if (this.startedAt.isPresent() && this.completedAt.isPresent()) {
			return Duration.between(this.startedAt.get(), this.completedAt.get());
		}
		return Duration.ZERO;
	}

}
