package io.orchwf;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a workflow instance ended. A failed or cancelled instance is a result with
 * {@link #success()} {@code false}, not an exception.
 *
 * @param instance the finished instance
 */
public record WorkflowResult(WorkflowInstance instance) {

	/**
	 * Create a result.
	 * @param instance the finished instance
	 */
	public WorkflowResult {
		Objects.requireNonNull(instance, "instance");
	}

	/**
	 * The instance id.
	 * @return the id
	 */
	public String instanceId() {
		return this.instance.id();
	}

	/**
	 * Whether the instance completed.
	 * @return {@code true} if its status is {@link WorkflowStatus#COMPLETED}
	 */
	public boolean success() {
		return this.instance.status() == WorkflowStatus.COMPLETED;
	}

	/**
	 * The instance's final state.
	 * @return the status
	 */
	public WorkflowStatus status() {
		return this.instance.status();
	}

	/**
	 * The workflow output: the outputs of its completed steps merged in topological
	 * order.
	 * @return a read-only map
	 */
	public Map<String, Object> output() {
		return this.instance.output();
	}

	/**
	 * Why the instance failed or was cancelled.
	 * @return the error, empty on success
	 */
	public Optional<String> error() {
		return this.instance.error();
	}

	/**
	 * How long the instance ran, from its start to its end.
	 * @return the duration
	 */
	public Duration duration() {
		var start = (this.instance.startedAt() != null) ? this.instance.startedAt() : this.instance.createdAt();
		return this.instance.completedAt().map((end) -> Duration.between(start, end)).orElse(Duration.ZERO);
	}

}
