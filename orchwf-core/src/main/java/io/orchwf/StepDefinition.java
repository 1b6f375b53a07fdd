package io.orchwf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * One step of a workflow: its work, its dependencies and how it is run.
 *
 * <pre>{@code
 * StepDefinition payment = StepDefinition.builder("process_payment", "Process Payment", executor)
 *     .dependsOn("validate_order")
 *     .async(true)
 *     .retryPolicy(RetryPolicy.builder().maxAttempts(3).build())
 *     .timeout(Duration.ofSeconds(30))
 *     .compensateWith(refund)
 *     .build();
 * }</pre>
 *
 * <p>
 * Instances are immutable; {@link #toBuilder()} derives a changed copy.
 */
public final class StepDefinition {

	private final String id;

	private final String name;

	private final String description;

	private final List<String> dependsOn;

	private final boolean async;

	private final boolean required;

	private final int priority;

	private final @Nullable RetryPolicy retryPolicy;

	private final @Nullable Duration timeout;

	private final StepExecutor executor;

	private final @Nullable StepCompensator compensator;

	private final @Nullable Predicate<StepContext> condition;

	private StepDefinition(Builder builder, StepExecutor executor) {
		this.id = builder.id;
		this.name = builder.name;
		this.description = builder.description;
		this.dependsOn = Collections.unmodifiableList(new ArrayList<>(builder.dependsOn));
		this.async = builder.async;
		this.required = builder.required;
		this.priority = builder.priority;
		this.retryPolicy = builder.retryPolicy;
		this.timeout = builder.timeout;
		this.executor = executor;
		this.compensator = builder.compensator;
		this.condition = builder.condition;
	}

	/**
	 * Start defining a step.
	 * @param id the step's id, unique in its workflow
	 * @param name a human-readable name
	 * @param executor the step's work
	 * @return a new builder
	 */
	public static Builder builder(String id, String name, StepExecutor executor) {
		return new Builder(id, name, executor);
	}

	/**
	 * A builder holding this step's values, to derive a changed copy.
	 * @return a new builder initialised from this step
	 */
	public Builder toBuilder() {
		Builder builder = new Builder(this.id, this.name, this.executor).description(this.description)
			.dependsOn(this.dependsOn.toArray(String[]::new))
			.async(this.async)
			.required(this.required)
			.priority(this.priority)
			.retryPolicy(this.retryPolicy)
			.timeout(this.timeout)
			.compensateWith(this.compensator);
		builder.condition = this.condition;
		return builder;
	}

	/**
	 * The step's id, unique in its workflow.
	 * @return the id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * The step's human-readable name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The step's description.
	 * @return the description, empty if none was given
	 */
	public String description() {
		return this.description;
	}

	/**
	 * The ids of the steps this one depends on, in declaration order.
	 * @return a read-only list
	 */
	public List<String> dependsOn() {
		return this.dependsOn;
	}

	/**
	 * Whether the step runs on the async worker pool, concurrently with other ready
	 * steps, rather than on its instance's sync lane.
	 * @return {@code true} for an async step
	 */
	public boolean async() {
		return this.async;
	}

	/**
	 * Whether the workflow fails when this step fails.
	 * @return {@code true} for a required step
	 */
	public boolean required() {
		return this.required;
	}

	/**
	 * The step's priority among steps ready at the same time; higher starts first.
	 * @return the priority
	 */
	public int priority() {
		return this.priority;
	}

	/**
	 * The step's own retry policy.
	 * @return the policy, or empty to use the orchestrator's default
	 */
	public Optional<RetryPolicy> retryPolicy() {
		return Optional.ofNullable(this.retryPolicy);
	}

	/**
	 * The bound of each attempt.
	 * @return the timeout, or empty to use the orchestrator's default
	 */
	public Optional<Duration> timeout() {
		return Optional.ofNullable(this.timeout);
	}

	/**
	 * The step's work.
	 * @return the executor
	 */
	public StepExecutor executor() {
		return this.executor;
	}

	/**
	 * What undoes the step if the workflow fails or is cancelled after it completed.
	 * @return the compensator, or empty if the step needs none
	 */
	public Optional<StepCompensator> compensator() {
		return Optional.ofNullable(this.compensator);
	}

	/**
	 * The condition that decides whether the step runs; when it is false the step is
	 * skipped.
	 * @return the condition, or empty if the step always runs
	 */
	public Optional<Predicate<StepContext>> condition() {
		return Optional.ofNullable(this.condition);
	}

	@Override
	public String toString() {
		return "StepDefinition[id=" + this.id + ", dependsOn=" + this.dependsOn + ", async=" + this.async
				+ ", required=" + this.required + ", priority=" + this.priority + "]";
	}

	/**
	 * Builds a {@link StepDefinition}. {@link #build()} validates and throws
	 * {@link WorkflowDefinitionException} naming the problem.
	 */
	public static final class Builder {

		private final String id;

		private final String name;

		private final @Nullable StepExecutor executor;

		private String description = "";

		private List<String> dependsOn = List.of();

		private boolean async;

		private boolean required = true;

		private int priority;

		private @Nullable RetryPolicy retryPolicy;

		private @Nullable Duration timeout;

		private @Nullable StepCompensator compensator;

		private @Nullable Predicate<StepContext> condition;

		private Builder(String id, String name, @Nullable StepExecutor executor) {
			this.id = id;
			this.name = name;
			this.executor = executor;
		}

		/**
		 * Describe the step.
		 * @param description free text; {@code null} means none
		 * @return this builder
		 */
		public Builder description(@Nullable String description) {
			this.description = (description != null) ? description : "";
			return this;
		}

		/**
		 * The steps this one depends on; replaces the list. The step becomes ready when
		 * each has completed, been skipped, or failed while not required.
		 * @param stepIds the ids of the dependencies
		 * @return this builder
		 */
		public Builder dependsOn(String... stepIds) {
			this.dependsOn = (stepIds != null) ? new ArrayList<>(List.of(stepIds)) : List.of();
			return this;
		}

		/**
		 * Run the step on the async worker pool, concurrently with other ready steps.
		 * Default {@code false}: the step runs on its instance's sync lane, one sync step
		 * at a time.
		 * @param async whether the step is async
		 * @return this builder
		 */
		public Builder async(boolean async) {
			this.async = async;
			return this;
		}

		/**
		 * Whether the workflow fails when this step fails. Default {@code true}; a
		 * non-required step that fails lets its dependents run without its output.
		 * @param required whether the step is required
		 * @return this builder
		 */
		public Builder required(boolean required) {
			this.required = required;
			return this;
		}

		/**
		 * Order among steps that become ready at the same time; higher starts first, ties
		 * in definition order. Default 0.
		 * @param priority the priority
		 * @return this builder
		 */
		public Builder priority(int priority) {
			this.priority = priority;
			return this;
		}

		/**
		 * The step's own retry policy; {@code null} uses the orchestrator's default.
		 * @param retryPolicy the policy
		 * @return this builder
		 */
		public Builder retryPolicy(@Nullable RetryPolicy retryPolicy) {
			this.retryPolicy = retryPolicy;
			return this;
		}

		/**
		 * Bound each attempt; a late attempt is interrupted and fails with error type
		 * {@code timeout}. {@code null} uses the orchestrator's default.
		 * @param timeout a positive duration
		 * @return this builder
		 */
		public Builder timeout(@Nullable Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		/**
		 * Undo the step if the workflow fails or is cancelled after it completed.
		 * @param compensator the compensator; {@code null} for none
		 * @return this builder
		 */
		public Builder compensateWith(@Nullable StepCompensator compensator) {
			this.compensator = compensator;
			return this;
		}

		/**
		 * Run the step only when the condition holds for its context; otherwise it is
		 * skipped, and so are dependents whose dependencies were all skipped.
		 * @param condition the condition; {@code null} to always run
		 * @return this builder
		 */
		public Builder when(@Nullable Predicate<StepContext> condition) {
			this.condition = condition;
			return this;
		}

		/**
		 * Validate and build the step.
		 * @return the step
		 * @throws WorkflowDefinitionException if the id or name is blank, the id is
		 * longer than {@value WorkflowDefinition#MAX_ID_LENGTH} characters, the executor
		 * is missing, a dependency is blank or the step itself, or the timeout is not
		 * positive
		 */
		public StepDefinition build() {
			if (this.id == null || this.id.isBlank()) {
				throw new WorkflowDefinitionException(null, null,
						"A step id must not be blank (step name: " + this.name + ")");
			}
			if (this.id.length() > WorkflowDefinition.MAX_ID_LENGTH) {
				throw invalid("its id is " + this.id.length() + " characters long; keep it to "
						+ WorkflowDefinition.MAX_ID_LENGTH);
			}
			if (this.name == null || this.name.isBlank()) {
				throw invalid("its name must not be blank");
			}
			if (this.executor == null) {
				throw invalid("its executor must not be null");
			}
			LinkedHashSet<String> dependencies = new LinkedHashSet<>();
			for (String dependency : this.dependsOn) {
				if (dependency == null || dependency.isBlank()) {
					throw invalid("it lists a blank dependency in " + this.dependsOn);
				}
				if (dependency.equals(this.id)) {
					throw invalid("it depends on itself");
				}
				dependencies.add(dependency);
			}
			if (this.timeout != null && (this.timeout.isNegative() || this.timeout.isZero())) {
				throw invalid("its timeout must be positive but was " + this.timeout);
			}
			this.dependsOn = new ArrayList<>(dependencies);
			return new StepDefinition(this, this.executor);
		}

		private WorkflowDefinitionException invalid(String problem) {
			return new WorkflowDefinitionException(null, this.id, "Step '" + this.id + "' is invalid: " + problem);
		}

	}

}
