package io.orchwf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.jspecify.annotations.Nullable;

/**
 * A workflow: a named, versioned DAG of steps.
 *
 * <pre>{@code
 * WorkflowDefinition orders = WorkflowDefinition.builder("order_processing", "Order Processing")
 *     .version("1.0.0")
 *     .steps(validate, checkInventory, processPayment)
 *     .failurePolicy(FailurePolicy.FAIL_FAST)
 *     .build();
 * }</pre>
 *
 * <p>
 * Instances are immutable and validated: {@link Builder#build()} rejects a graph that
 * could not run, with a message naming the problem.
 */
public final class WorkflowDefinition {

	/** The version of a definition that does not set one. */
	public static final String DEFAULT_VERSION = "1.0.0";

	/**
	 * The longest workflow id, step id, signal name, idempotency key, business,
	 * correlation or trace id, in characters: what the stores keep.
	 */
	public static final int MAX_ID_LENGTH = 255;

	/** The longest version, in characters. */
	public static final int MAX_VERSION_LENGTH = 64;

	private final String id;

	private final String name;

	private final String description;

	private final String version;

	private final Map<String, Object> metadata;

	private final List<StepDefinition> steps;

	private final Map<String, StepDefinition> stepsById;

	private final FailurePolicy failurePolicy;

	private final int maxConcurrency;

	private final int maxConcurrencyPerKey;

	private WorkflowDefinition(Builder builder, Map<String, StepDefinition> stepsById) {
		this.id = builder.id;
		this.name = builder.name;
		this.description = builder.description;
		this.version = builder.version;
		this.metadata = Collections.unmodifiableMap(new LinkedHashMap<>(builder.metadata));
		this.steps = Collections.unmodifiableList(new ArrayList<>(builder.steps));
		this.stepsById = Collections.unmodifiableMap(stepsById);
		this.failurePolicy = builder.failurePolicy;
		this.maxConcurrency = builder.maxConcurrency;
		this.maxConcurrencyPerKey = builder.maxConcurrencyPerKey;
	}

	/**
	 * Start defining a workflow.
	 * @param id the workflow's id, which starts instances
	 * @param name a human-readable name
	 * @return a new builder
	 */
	public static Builder builder(String id, String name) {
		return new Builder(id, name);
	}

	/**
	 * A builder holding this workflow's values, to derive a changed copy.
	 * @return a new builder initialised from this workflow
	 */
	public Builder toBuilder() {
		Builder builder = new Builder(this.id, this.name).description(this.description)
			.version(this.version)
			.failurePolicy(this.failurePolicy);
		builder.maxConcurrency = this.maxConcurrency;
		builder.maxConcurrencyPerKey = this.maxConcurrencyPerKey;
		this.metadata.forEach(builder::metadata);
		builder.steps.addAll(this.steps);
		return builder;
	}

	/**
	 * The workflow's id.
	 * @return the id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * The workflow's human-readable name.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The workflow's description.
	 * @return the description, empty if none was given
	 */
	public String description() {
		return this.description;
	}

	/**
	 * How versions are ordered, lowest first: segments split on dots, dashes and
	 * underscores are compared in turn, numerically where both are numbers, else as text;
	 * a version that runs out of segments first is lower ({@code 1.2 < 1.2.1 < 1.10}).
	 * The highest registered version is the one new instances start on.
	 * @return the order of versions
	 */
	public static Comparator<String> versionOrder() {
		return VersionOrder.INSTANCE;
	}

	/**
	 * The workflow's version. New instances start on the highest registered version of an
	 * id; an instance always continues on the version it started with.
	 * @return the version, {@value #DEFAULT_VERSION} unless set
	 */
	public String version() {
		return this.version;
	}

	/**
	 * How many instances of this workflow (all its versions) may be started and
	 * unfinished at once, across every node sharing the store; further ones stay
	 * {@link WorkflowStatus#PENDING} until a slot frees.
	 * @return the limit, or empty for none
	 */
	public OptionalInt maxConcurrency() {
		return (this.maxConcurrency > 0) ? OptionalInt.of(this.maxConcurrency) : OptionalInt.empty();
	}

	/**
	 * How many instances of this workflow with one {@link StartOptions#concurrencyKey()}
	 * may be started and unfinished at once, across every node; 1 runs one key's
	 * instances one after another, in start order.
	 * @return the limit, or empty for none
	 */
	public OptionalInt maxConcurrencyPerKey() {
		return (this.maxConcurrencyPerKey > 0) ? OptionalInt.of(this.maxConcurrencyPerKey) : OptionalInt.empty();
	}

	/**
	 * Free-form metadata about the definition (owner, team...).
	 * @return a read-only map
	 */
	public Map<String, Object> metadata() {
		return this.metadata;
	}

	/**
	 * The steps, in definition order.
	 * @return a read-only list
	 */
	public List<StepDefinition> steps() {
		return this.steps;
	}

	/**
	 * Look up a step.
	 * @param stepId the step id
	 * @return the step, or empty if the workflow has no such step
	 */
	public Optional<StepDefinition> step(String stepId) {
		return Optional.ofNullable(this.stepsById.get(stepId));
	}

	/**
	 * What the workflow does when a required step fails.
	 * @return the failure policy, {@link FailurePolicy#FAIL_FAST} unless set
	 */
	public FailurePolicy failurePolicy() {
		return this.failurePolicy;
	}

	@Override
	public String toString() {
		return "WorkflowDefinition[id=" + this.id + ", version=" + this.version + ", steps=" + this.stepsById.keySet()
				+ "]";
	}

	/**
	 * Builds a {@link WorkflowDefinition}. {@link #build()} validates and throws
	 * {@link WorkflowDefinitionException} naming the problem.
	 */
	public static final class Builder {

		private final String id;

		private final String name;

		private String description = "";

		private String version = DEFAULT_VERSION;

		private final Map<String, Object> metadata = new LinkedHashMap<>();

		private final List<StepDefinition> steps = new ArrayList<>();

		private FailurePolicy failurePolicy = FailurePolicy.FAIL_FAST;

		private int maxConcurrency;

		private int maxConcurrencyPerKey;

		private Builder(String id, String name) {
			this.id = id;
			this.name = name;
		}

		/**
		 * Describe the workflow.
		 * @param description free text; {@code null} means none
		 * @return this builder
		 */
		public Builder description(@Nullable String description) {
			this.description = (description != null) ? description : "";
			return this;
		}

		/**
		 * The definition's version, compared segment by segment (numerically where both
		 * segments are numbers) to find the highest.
		 * @param version the version, such as {@code "1.2.0"}
		 * @return this builder
		 */
		public Builder version(String version) {
			this.version = version;
			return this;
		}

		/**
		 * Add a metadata entry.
		 * @param key the key
		 * @param value the value
		 * @return this builder
		 */
		public Builder metadata(String key, Object value) {
			this.metadata.put(key, value);
			return this;
		}

		/**
		 * Add a step.
		 * @param step the step
		 * @return this builder
		 */
		public Builder step(StepDefinition step) {
			this.steps.add(step);
			return this;
		}

		/**
		 * Add steps, in order.
		 * @param steps the steps
		 * @return this builder
		 */
		public Builder steps(StepDefinition... steps) {
			for (StepDefinition step : steps) {
				step(step);
			}
			return this;
		}

		/**
		 * Add steps, in order.
		 * @param steps the steps
		 * @return this builder
		 */
		public Builder steps(List<StepDefinition> steps) {
			steps.forEach(this::step);
			return this;
		}

		/**
		 * What the workflow does when a required step fails. Default
		 * {@link FailurePolicy#FAIL_FAST}.
		 * @param failurePolicy the policy
		 * @return this builder
		 */
		public Builder failurePolicy(FailurePolicy failurePolicy) {
			this.failurePolicy = failurePolicy;
			return this;
		}

		/**
		 * At most this many instances of the workflow (all versions) started and
		 * unfinished (running, waiting or compensating) at once, across all nodes;
		 * further instances stay pending and start as slots free, highest
		 * {@link StartOptions#priority() priority} first, then oldest.
		 * @param limit at least 1
		 * @return this builder
		 */
		public Builder maxConcurrency(int limit) {
			this.maxConcurrency = positive("maxConcurrency", limit);
			return this;
		}

		/**
		 * At most this many started and unfinished instances per
		 * {@link StartOptions#concurrencyKey() concurrency key}, across all nodes; 1 runs
		 * the instances of one key one after another, in start order. An instance without
		 * a key is limited by {@link #maxConcurrency(int)} alone.
		 * @param limit at least 1
		 * @return this builder
		 */
		public Builder maxConcurrencyPerKey(int limit) {
			this.maxConcurrencyPerKey = positive("maxConcurrencyPerKey", limit);
			return this;
		}

		private int positive(String name, int limit) {
			if (limit < 1) {
				throw new IllegalArgumentException(name + " of workflow '" + this.id + "' must be at least 1 but was "
						+ limit + "; leave it unset for no limit");
			}
			return limit;
		}

		/**
		 * Validate and build the workflow.
		 * @return the workflow
		 * @throws WorkflowDefinitionException if the id, name or version is blank, the id
		 * is longer than {@value WorkflowDefinition#MAX_ID_LENGTH} or the version than
		 * {@value WorkflowDefinition#MAX_VERSION_LENGTH} characters, there are no steps,
		 * a step id repeats, a dependency is unknown, or the dependencies form a cycle
		 * (the message lists the cycle, such as {@code a -> b -> a})
		 */
		public WorkflowDefinition build() {
			if (this.id == null || this.id.isBlank()) {
				throw new WorkflowDefinitionException(null, null,
						"A workflow id must not be blank (workflow name: " + this.name + ")");
			}
			if (this.name == null || this.name.isBlank()) {
				throw invalid(null, "its name must not be blank");
			}
			if (this.id.length() > MAX_ID_LENGTH) {
				throw invalid(null, "its id is " + this.id.length() + " characters long; keep it to " + MAX_ID_LENGTH);
			}
			if (this.version == null || this.version.isBlank()) {
				throw invalid(null, "its version must not be blank");
			}
			if (this.version.length() > MAX_VERSION_LENGTH) {
				throw invalid(null, "its version is " + this.version.length() + " characters long; keep it to "
						+ MAX_VERSION_LENGTH);
			}
			if (this.failurePolicy == null) {
				throw invalid(null, "its failure policy must not be null");
			}
			if (this.steps.isEmpty()) {
				throw invalid(null, "it has no steps; add at least one with step(...)");
			}
			Map<String, StepDefinition> stepsById = new LinkedHashMap<>();
			for (StepDefinition step : this.steps) {
				if (step == null) {
					throw invalid(null, "it contains a null step");
				}
				if (stepsById.putIfAbsent(step.id(), step) != null) {
					throw invalid(step.id(), "step id '" + step.id() + "' is used by more than one step");
				}
			}
			for (StepDefinition step : this.steps) {
				for (String dependency : step.dependsOn()) {
					if (!stepsById.containsKey(dependency)) {
						throw invalid(step.id(), "step '" + step.id() + "' depends on unknown step '" + dependency
								+ "'; known steps are " + stepsById.keySet());
					}
				}
			}
			List<String> cycle = DependencyCycles.find(this.steps);
			if (!cycle.isEmpty()) {
				throw invalid(cycle.get(0), "its dependencies form a cycle: " + String.join(" -> ", cycle));
			}
			return new WorkflowDefinition(this, stepsById);
		}

		private WorkflowDefinitionException invalid(@Nullable String stepId, String problem) {
			return new WorkflowDefinitionException(this.id, stepId,
					"Workflow '" + this.id + "' is invalid: " + problem);
		}

	}

}
