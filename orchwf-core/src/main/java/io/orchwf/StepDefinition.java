package io.orchwf;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * One step of a workflow: its work, its dependencies and how it is run.
 *
 * <p>
 * Most steps run an executor ({@link #builder}). Four kinds make a workflow wait or grow
 * at run time, and are run by the engine itself: {@link #awaitSignal} completes when a
 * signal arrives, {@link #timer} is a durable sleep ({@link #timerUntil} until an instant
 * computed when it starts), {@link #forEach} runs an executor once per element of a list,
 * and {@link #childWorkflow} runs another workflow. A workflow that waits (for a signal,
 * a timer, a child or a retry) holds no thread and, once nothing else runs, no lease: its
 * wake-up is stored and any node acts on it.
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

	/**
	 * How many elements of a {@link #forEach} step run at once by default: all of them.
	 */
	public static final int UNBOUNDED_CONCURRENCY = Integer.MAX_VALUE;

	private static final StepExecutor RUN_BY_THE_ENGINE = (context) -> {
		throw new IllegalStateException("Step " + context.stepId() + " is run by the engine, not by an executor");
	};

	private final Kind kind;

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

	private final @Nullable String signalName;

	private final @Nullable Duration delay;

	private final @Nullable Function<StepContext, Instant> until;

	private final @Nullable String itemsKey;

	private final int maxConcurrency;

	private final @Nullable String childWorkflowId;

	private StepDefinition(Builder builder, StepExecutor executor) {
		this.kind = builder.kind;
		this.signalName = builder.signalName;
		this.delay = builder.delay;
		this.until = builder.until;
		this.itemsKey = builder.itemsKey;
		this.maxConcurrency = builder.maxConcurrency;
		this.childWorkflowId = builder.childWorkflowId;
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
		return new Builder(Kind.TASK, id, name, executor);
	}

	/**
	 * Start defining a step that waits for a signal and completes when one of that name
	 * arrives, with the signal's payload as its output. Signals sent before the step
	 * waits are kept; each is consumed by one step, in arrival order. A
	 * {@link Builder#timeout timeout} bounds the wait: when it passes, the step fails
	 * with error type {@code timeout}, without retry. Without one it waits for as long as
	 * it takes; the orchestrator's default step timeout does not apply.
	 * @param id the step's id, unique in its workflow; also its name
	 * @param signalName the name of the signal it waits for
	 * @return a new builder
	 */
	public static Builder awaitSignal(String id, String signalName) {
		Builder builder = new Builder(Kind.AWAIT_SIGNAL, id, id, RUN_BY_THE_ENGINE);
		builder.signalName = signalName;
		return builder;
	}

	/**
	 * Start defining a durable sleep: the step completes, with an empty output, once the
	 * duration has passed since it became ready, whatever restarts happen meanwhile.
	 * @param id the step's id, unique in its workflow; also its name
	 * @param duration how long to wait, positive
	 * @return a new builder
	 */
	public static Builder timer(String id, Duration duration) {
		Builder builder = new Builder(Kind.TIMER, id, id, RUN_BY_THE_ENGINE);
		builder.delay = duration;
		return builder;
	}

	/**
	 * Start defining a durable sleep until an instant computed at run time (Step
	 * Functions' Wait with a {@code Timestamp} or {@code SecondsPath}): when the step
	 * starts, the function is called once with the step's context (its input, the results
	 * of its ancestors, the signals received) and the instant it returns is stored, so
	 * that a restart or a recovery on another node waits for the same instant and never
	 * calls the function again. The step completes, with an empty output, once the
	 * orchestrator's clock reaches that instant; an instant that has passed completes it
	 * at once. A {@link Orchestrator#resume resumed} instance that runs the step again
	 * computes it anew.
	 *
	 * <p>
	 * The function runs in the engine's decisions, as a {@link Builder#when when}
	 * condition does: keep it quick and free of side effects. If it throws, the step
	 * fails with the error type of what it threw (a {@link StepException}'s type, else
	 * the exception's simple class name); if it returns {@code null}, with error type
	 * {@code invalid_timer}; in both cases without retry.
	 *
	 * <pre>{@code
	 * StepDefinition.timerUntil("until_delivery_window",
	 *     (ctx) -> Instant.parse(ctx.get("delivery_window_start", String.class)))
	 *     .dependsOn("schedule_delivery")
	 *     .build();
	 * }</pre>
	 * @param id the step's id, unique in its workflow; also its name
	 * @param until computes, from the step's context, the instant the step waits until
	 * @return a new builder
	 */
	public static Builder timerUntil(String id, Function<StepContext, Instant> until) {
		Builder builder = new Builder(Kind.TIMER, id, id, RUN_BY_THE_ENGINE);
		builder.until = until;
		builder.untilNamed = true;
		return builder;
	}

	/**
	 * Start defining a step that maps an executor over the list at
	 * {@code input[itemsKey]} (Step Functions' {@code ItemsPath}): the executor runs once
	 * per element, its {@link StepContext#input() input} holding the step's input plus
	 * {@code item} (the element) and {@code index}. Each element's result is stored as it
	 * finishes, so a retry or a recovery runs only the elements that have none. The
	 * step's output is {@code {"results": [...]}}, the elements' outputs in item order.
	 * {@link Builder#maxConcurrency} bounds how many elements run at once; the
	 * {@link Builder#timeout timeout} bounds each element's run.
	 *
	 * <p>
	 * The items key may be a dotted path into nested maps: {@code "order.lines"} is the
	 * list at key {@code lines} of the map at key {@code order} of the input. A key that
	 * holds dots and is itself a key of the input wins: with an input key
	 * {@code "order.lines"}, that value is the list, whatever {@code order} holds. A path
	 * that leads to nothing, or to something that is not a list, fails the step (error
	 * type {@code invalid_input}, without retry) with a message naming the path and where
	 * it broke off.
	 * @param id the step's id, unique in its workflow
	 * @param name a human-readable name
	 * @param itemsKey the key of the list in the step's input, or a dotted path to it,
	 * such as {@code "order.lines"}; no segment of it may be empty
	 * @param executor the work done per element
	 * @return a new builder
	 */
	public static Builder forEach(String id, String name, String itemsKey, StepExecutor executor) {
		Builder builder = new Builder(Kind.FOR_EACH, id, name, executor);
		builder.itemsKey = itemsKey;
		return builder;
	}

	/**
	 * Start defining a step that starts an instance of another workflow (its latest
	 * version) with this step's input, and completes with the child's output when the
	 * child completes, or fails when it fails or is cancelled. Cancelling the parent
	 * cancels its children. A {@link Builder#timeout timeout} bounds the wait for the
	 * child (which is then cancelled); without one the orchestrator's default step
	 * timeout does not apply. The child's metadata holds {@code parent_instance_id} and
	 * {@code parent_step_id}.
	 * @param id the step's id, unique in its workflow; also its name
	 * @param workflowId the child workflow's id
	 * @return a new builder
	 */
	public static Builder childWorkflow(String id, String workflowId) {
		Builder builder = new Builder(Kind.CHILD_WORKFLOW, id, id, RUN_BY_THE_ENGINE);
		builder.childWorkflowId = workflowId;
		return builder;
	}

	/**
	 * A builder holding this step's values, to derive a changed copy.
	 * @return a new builder initialised from this step
	 */
	public Builder toBuilder() {
		return copy(this.executor);
	}

	/**
	 * A copy of this step that runs other code, with everything else kept: its
	 * dependencies, retry policy, timeout, condition and compensation. A test kit stubs a
	 * step this way.
	 * @param executor the code to run instead
	 * @return the copy
	 * @throws IllegalArgumentException if the step runs no code of its own (a signal
	 * wait, a timer, a child workflow)
	 */
	public StepDefinition withExecutor(StepExecutor executor) {
		if (executor == null) {
			throw new IllegalArgumentException("executor must not be null");
		}
		if (this.kind != Kind.TASK && this.kind != Kind.FOR_EACH) {
			throw new IllegalArgumentException("Step '" + this.id + "' is a " + this.kind
					+ " step, which runs no code of its own; only task and forEach steps take an executor");
		}
		return copy(executor).build();
	}

	private Builder copy(@Nullable StepExecutor executor) {
		Builder builder = new Builder(this.kind, this.id, this.name, executor).description(this.description)
			.dependsOn(this.dependsOn.toArray(String[]::new))
			.async(this.async)
			.required(this.required)
			.priority(this.priority)
			.retryPolicy(this.retryPolicy)
			.timeout(this.timeout)
			.compensateWith(this.compensator);
		builder.condition = this.condition;
		builder.signalName = this.signalName;
		builder.delay = this.delay;
		builder.until = this.until;
		builder.untilNamed = this.until != null;
		builder.itemsKey = this.itemsKey;
		builder.maxConcurrency = this.maxConcurrency;
		builder.childWorkflowId = this.childWorkflowId;
		return builder;
	}

	/**
	 * What the step does.
	 * @return its kind
	 */
	public Kind kind() {
		return this.kind;
	}

	/**
	 * The signal an {@link Kind#AWAIT_SIGNAL} step waits for.
	 * @return the signal name, or empty for other kinds
	 */
	public Optional<String> signalName() {
		return Optional.ofNullable(this.signalName);
	}

	/**
	 * How long a {@link Kind#TIMER} step waits.
	 * @return the duration, or empty for other kinds and for a timer built with
	 * {@link #timerUntil}
	 */
	public Optional<Duration> delay() {
		return Optional.ofNullable(this.delay);
	}

	/**
	 * What computes the instant a {@link Kind#TIMER} step built with {@link #timerUntil}
	 * waits until.
	 * @return the function, or empty for other kinds and for a timer of a fixed
	 * {@link #delay()}
	 */
	public Optional<Function<StepContext, Instant>> until() {
		return Optional.ofNullable(this.until);
	}

	/**
	 * The input key of the list a {@link Kind#FOR_EACH} step maps over, or a dotted path
	 * to it.
	 * @return the key or path, or empty for other kinds
	 */
	public Optional<String> itemsKey() {
		return Optional.ofNullable(this.itemsKey);
	}

	/**
	 * How many elements of a {@link Kind#FOR_EACH} step run at once.
	 * @return at least 1; {@link #UNBOUNDED_CONCURRENCY} unless set
	 */
	public int maxConcurrency() {
		return this.maxConcurrency;
	}

	/**
	 * The workflow a {@link Kind#CHILD_WORKFLOW} step starts.
	 * @return the workflow id, or empty for other kinds
	 */
	public Optional<String> childWorkflowId() {
		return Optional.ofNullable(this.childWorkflowId);
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
	 * The step's work: for a {@link Kind#FOR_EACH} step, the work per element; a step the
	 * engine runs itself (a signal wait, a timer, a child workflow) has an executor that
	 * refuses to run.
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
		return "StepDefinition[id=" + this.id + ", kind=" + this.kind + ", dependsOn=" + this.dependsOn + ", async="
				+ this.async + ", required=" + this.required + ", priority=" + this.priority + "]";
	}

	/**
	 * Builds a {@link StepDefinition}. {@link #build()} validates and throws
	 * {@link WorkflowDefinitionException} naming the problem.
	 */
	public static final class Builder {

		private final Kind kind;

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

		private @Nullable String signalName;

		private @Nullable Duration delay;

		private @Nullable Function<StepContext, Instant> until;

		/** Whether the step was built with {@link StepDefinition#timerUntil}. */
		private boolean untilNamed;

		private @Nullable String itemsKey;

		private int maxConcurrency = UNBOUNDED_CONCURRENCY;

		private @Nullable String childWorkflowId;

		private Builder(Kind kind, String id, String name, @Nullable StepExecutor executor) {
			this.kind = kind;
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
		 * How many elements of a {@link StepDefinition#forEach forEach} step run at once.
		 * @param maxConcurrency at least 1; default all of them
		 * @return this builder
		 */
		public Builder maxConcurrency(int maxConcurrency) {
			this.maxConcurrency = maxConcurrency;
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
			validateKind();
			this.dependsOn = new ArrayList<>(dependencies);
			return new StepDefinition(this, this.executor);
		}

		private void validateKind() {
			switch (this.kind) {
				case AWAIT_SIGNAL -> {
					if (this.signalName == null || this.signalName.isBlank()) {
						throw invalid("the signal it waits for must have a name");
					}
					if (this.signalName.length() > WorkflowDefinition.MAX_ID_LENGTH) {
						throw invalid("its signal name is " + this.signalName.length() + " characters long; keep it to "
								+ WorkflowDefinition.MAX_ID_LENGTH);
					}
				}
				case TIMER -> {
					if (this.untilNamed) {
						if (this.until == null) {
							throw invalid("its until function must not be null; pass a function that computes the "
									+ "Instant to wait until from the step's context");
						}
					}
					else if (this.delay == null || this.delay.isNegative() || this.delay.isZero()) {
						throw invalid("its timer duration must be positive but was " + this.delay);
					}
				}
				case FOR_EACH -> {
					if (this.itemsKey == null || this.itemsKey.isBlank()) {
						throw invalid("it must name the input key of the list it maps over");
					}
					if (hasEmptySegment(this.itemsKey)) {
						throw invalid("its items key '" + this.itemsKey + "' has an empty segment; name an input key, "
								+ "or a dotted path of keys into nested maps such as order.lines");
					}
				}
				case CHILD_WORKFLOW -> {
					if (this.childWorkflowId == null || this.childWorkflowId.isBlank()) {
						throw invalid("it must name the child workflow it starts");
					}
				}
				case TASK -> {
					// nothing more
				}
			}
			if (this.maxConcurrency != UNBOUNDED_CONCURRENCY && this.kind != Kind.FOR_EACH) {
				throw invalid("maxConcurrency applies to forEach steps only");
			}
			if (this.maxConcurrency < 1) {
				throw invalid("its maxConcurrency must be at least 1 but was " + this.maxConcurrency);
			}
		}

		private static boolean hasEmptySegment(String path) {
			return path.startsWith(".") || path.endsWith(".") || path.contains("..");
		}

		private WorkflowDefinitionException invalid(String problem) {
			return new WorkflowDefinitionException(null, this.id, "Step '" + this.id + "' is invalid: " + problem);
		}

	}

	/**
	 * What a step does.
	 */
	public enum Kind {

		/** Runs its executor. */
		TASK,

		/** Waits for a signal; see {@link StepDefinition#awaitSignal}. */
		AWAIT_SIGNAL,

		/**
		 * Waits for a duration, or until an instant computed when it starts; see
		 * {@link StepDefinition#timer} and {@link StepDefinition#timerUntil}.
		 */
		TIMER,

		/**
		 * Runs its executor per element of a list; see {@link StepDefinition#forEach}.
		 */
		FOR_EACH,

		/** Runs another workflow; see {@link StepDefinition#childWorkflow}. */
		CHILD_WORKFLOW

	}

}
