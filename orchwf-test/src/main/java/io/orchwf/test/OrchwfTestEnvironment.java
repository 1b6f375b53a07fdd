package io.orchwf.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

import io.orchwf.Orchestrator;
import io.orchwf.StepDefinition;
import io.orchwf.StepExecutor;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowResult;
import io.orchwf.store.StateStore;
import io.orchwf.store.memory.InMemoryStateStore;
import org.jspecify.annotations.Nullable;

/**
 * An orchestrator for tests, on a {@link TestClock}: workflows that wait for hours or
 * days run in milliseconds, steps can be replaced by stubs, and waits end when the
 * workflow does, not after a guessed sleep.
 *
 * <pre class="code">
 * try (OrchwfTestEnvironment env = OrchwfTestEnvironment.create()) {
 *     Orchestrator orchestrator = env.orchestrator();
 *     orchestrator.register(orderWorkflow);
 *     String id = orchestrator.startAsync("order_processing", input);
 *     WorkflowResult result = env.awaitCompletion(id); // a 24 h timeout passes at once
 *     OrchwfAssertions.assertThat(result.instance()).hasStatus(WorkflowStatus.CANCELLED);
 * }
 * </pre>
 *
 * <p>
 * <b>Time skipping</b> (on unless turned off): while the test waits in
 * {@link #awaitCompletion(String)}, whenever no step attempt runs and no instance is
 * ready, the clock jumps to the earliest stored wake-up (a timer, a retry, a wait's
 * timeout, a {@code startAt}). The clock never moves otherwise, but by
 * {@link TestClock#advance}: so a signal the test sends before it waits always arrives in
 * time. Step code runs in real time, and so does the per-attempt timeout that bounds it.
 *
 * <p>
 * The environment owns the orchestrator it builds and closes it with {@link #close()}.
 * Under {@code @AutoConfigureOrchwfTest} it wraps the application's own orchestrator
 * instead, which the application context closes.
 */
public final class OrchwfTestEnvironment implements AutoCloseable {

	/** The real-time limit of the waits that take none. */
	public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(10);

	/** How often the orchestrator of a test environment polls the store, in real time. */
	public static final Duration POLL_INTERVAL = Duration.ofMillis(10);

	private final Orchestrator orchestrator;

	private final StateStore store;

	private final TestClock clock;

	private final StepStubs stubs;

	private final boolean timeSkipping;

	private final boolean ownsOrchestrator;

	private final Duration pollInterval;

	private OrchwfTestEnvironment(StubbingOrchestrator orchestrator, StepStubs stubs, StateStore store, TestClock clock,
			boolean timeSkipping, boolean ownsOrchestrator, Duration pollInterval) {
		this.orchestrator = orchestrator;
		this.stubs = stubs;
		this.store = store;
		this.clock = clock;
		this.timeSkipping = timeSkipping;
		this.ownsOrchestrator = ownsOrchestrator;
		this.pollInterval = pollInterval;
		clock.onAdvance(this::takeWhatIsDue);
	}

	/**
	 * An environment with the defaults: a new in-memory store, a clock starting at the
	 * real now, time skipping on.
	 * @return the environment, its orchestrator launched
	 */
	public static OrchwfTestEnvironment create() {
		return builder().build();
	}

	/**
	 * A builder to choose the store, the start time, time skipping and the orchestrator's
	 * settings.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The environment over an orchestrator built elsewhere on a {@link TestClock}, as the
	 * Spring Boot test support makes it for the application's orchestrator. Its
	 * {@link #orchestrator()} wraps the given one so that stubs take effect: register
	 * workflows through it. {@link #close()} leaves the given orchestrator open.
	 * @param orchestrator the orchestrator, built with {@code clock} as its clock
	 * @param store its store
	 * @param clock its clock
	 * @param pollInterval how often it polls the store
	 * @param timeSkipping whether {@link #awaitCompletion} skips time
	 * @return the environment
	 */
	public static OrchwfTestEnvironment over(Orchestrator orchestrator, StateStore store, TestClock clock,
			Duration pollInterval, boolean timeSkipping) {
		StepStubs stubs = new StepStubs();
		return new OrchwfTestEnvironment(new StubbingOrchestrator(orchestrator, stubs), stubs, store, clock,
				timeSkipping, false, pollInterval);
	}

	/**
	 * The orchestrator: register workflows and start, signal and cancel instances through
	 * it. Its steps consult this environment's stubs.
	 * @return the orchestrator
	 */
	public Orchestrator orchestrator() {
		return this.orchestrator;
	}

	/**
	 * The clock of the orchestrator and its store.
	 * @return the clock
	 */
	public TestClock clock() {
		return this.clock;
	}

	/**
	 * The store.
	 * @return the store
	 */
	public StateStore store() {
		return this.store;
	}

	/**
	 * Wait for an instance to finish, skipping time whenever nothing runs, for at most
	 * {@link #DEFAULT_LIMIT} of real time.
	 * @param instanceId the instance
	 * @return its result: completed, failed or cancelled
	 * @throws AssertionError if it has not finished within the limit, naming its state
	 * @throws io.orchwf.InstanceNotFoundException if there is no such instance
	 */
	public WorkflowResult awaitCompletion(String instanceId) {
		return awaitCompletion(instanceId, DEFAULT_LIMIT);
	}

	/**
	 * Wait for an instance to finish, skipping time whenever nothing runs.
	 * @param instanceId the instance
	 * @param realTimeLimit how long to wait, in real time
	 * @return its result: completed, failed or cancelled
	 * @throws AssertionError if it has not finished within the limit, naming its state
	 * @throws io.orchwf.InstanceNotFoundException if there is no such instance
	 */
	public WorkflowResult awaitCompletion(String instanceId, Duration realTimeLimit) {
		Objects.requireNonNull(instanceId, "instanceId");
		Objects.requireNonNull(realTimeLimit, "realTimeLimit");
		long deadline = System.nanoTime() + realTimeLimit.toNanos();
		Quiescence quiescence = quiescence();
		while (true) {
			Optional<WorkflowResult> result = this.orchestrator.awaitCompletion(instanceId, Quiescence.LOOK_INTERVAL);
			if (result.isPresent()) {
				return result.get();
			}
			if (System.nanoTime() - deadline > 0) {
				throw new AssertionError("Instance " + instanceId + " did not finish within " + realTimeLimit
						+ " of real time; " + describe(instanceId));
			}
			if (this.timeSkipping && quiescence.isQuiet()) {
				Optional<Instant> next = quiescence.nextWakeUp();
				if (next.isPresent()) {
					this.clock.moveTo(next.get());
					quiescence.reset();
				}
			}
		}
	}

	/**
	 * Wait until nothing runs and no instance is ready: every unfinished instance waits
	 * for a signal, a time or a child. The clock does not move.
	 * @throws AssertionError if that has not happened within {@link #DEFAULT_LIMIT} of
	 * real time
	 */
	public void awaitIdle() {
		if (!awaitQuiet(DEFAULT_LIMIT)) {
			throw new AssertionError("The orchestrator was still busy after " + DEFAULT_LIMIT + " of real time: "
					+ this.orchestrator.activeInstances() + " instance(s) driven, " + this.orchestrator.busyWorkers()
					+ " worker(s) busy, " + this.store.countClaimable(this.clock.instant()) + " instance(s) due at "
					+ this.clock.instant());
		}
	}

	/**
	 * From now on, run {@code executor} instead of a step's code: the attempts that start
	 * after this call run it. Dependencies, retry policy, timeout and compensation stay
	 * as defined; a stub that throws fails the attempt as the step would.
	 * @param workflowId the workflow, registered through {@link #orchestrator()}
	 * @param stepId one of its steps that runs code (a task or a forEach step)
	 * @param executor what to run instead
	 * @throws IllegalArgumentException if no version of the workflow is registered, it
	 * has no such step, or the step runs no code (a signal wait, a timer, a child
	 * workflow)
	 */
	public void stub(String workflowId, String stepId, StepExecutor executor) {
		Objects.requireNonNull(workflowId, "workflowId");
		Objects.requireNonNull(stepId, "stepId");
		Objects.requireNonNull(executor, "executor");
		StepDefinition step = findStep(workflowId, stepId);
		if (!StepStubs.runsCode(step)) {
			throw new IllegalArgumentException("Step '" + stepId + "' of workflow '" + workflowId + "' is a "
					+ step.kind() + " step, which runs no code to stub; stub a task or forEach step");
		}
		this.stubs.put(workflowId, stepId, executor);
	}

	/**
	 * Remove every stub: the attempts that start after this call run the steps' own code.
	 * Under {@code @AutoConfigureOrchwfTest} this happens after each test method, since
	 * the environment outlives a test with its application context.
	 */
	public void clearStubs() {
		this.stubs.clear();
	}

	private StepDefinition findStep(String workflowId, String stepId) {
		StepDefinition found = null;
		boolean workflowKnown = false;
		for (WorkflowDefinition definition : this.orchestrator.workflows()) {
			if (definition.id().equals(workflowId)) {
				workflowKnown = true;
				found = definition.step(stepId).orElse(found);
			}
		}
		if (!workflowKnown) {
			throw new IllegalArgumentException("No workflow '" + workflowId + "' is registered; register it through "
					+ "env.orchestrator() before stubbing its steps");
		}
		if (found == null) {
			throw new IllegalArgumentException("Workflow '" + workflowId + "' has no step '" + stepId + "'");
		}
		return found;
	}

	/**
	 * Close the orchestrator this environment built (not one it was given).
	 */
	@Override
	public void close() {
		if (this.ownsOrchestrator) {
			this.orchestrator.close();
		}
	}

	private Quiescence quiescence() {
		return new Quiescence(this.orchestrator, this.store, this.clock, this.pollInterval);
	}

	/**
	 * After the clock moved: wait until the orchestrator has taken what became due.
	 */
	private void takeWhatIsDue() {
		long deadline = System.nanoTime() + DEFAULT_LIMIT.toNanos();
		Instant now = this.clock.instant();
		while (this.store.countClaimable(now) > 0 && System.nanoTime() - deadline < 0) {
			sleep(Quiescence.LOOK_INTERVAL);
		}
		// and the wake-ups of instances driven now, which the poller fires
		sleep(this.pollInterval.multipliedBy(2));
	}

	private boolean awaitQuiet(Duration limit) {
		long deadline = System.nanoTime() + limit.toNanos();
		Quiescence quiescence = quiescence();
		while (!quiescence.isQuiet()) {
			if (System.nanoTime() - deadline > 0) {
				return false;
			}
			sleep(Quiescence.LOOK_INTERVAL);
		}
		return true;
	}

	private String describe(String instanceId) {
		return this.orchestrator.status(instanceId)
			.map((instance) -> InstanceDescription.of(instance) + "; the clock reads " + this.clock.instant()
					+ nextWakeUp())
			.orElse("it does not exist");
	}

	private String nextWakeUp() {
		return this.store.earliestWakeUp()
			.map((at) -> ", the next stored wake-up is at " + at)
			.orElse(", and no instance waits for a time" + (this.timeSkipping ? "" : " (time skipping is off)"));
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(Math.max(1, duration.toMillis()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while waiting", ex);
		}
	}

	/**
	 * Builds an {@link OrchwfTestEnvironment}.
	 */
	public static final class Builder {

		private @Nullable StateStore store;

		private @Nullable Instant start;

		private boolean timeSkipping = true;

		private Consumer<Orchestrator.Builder> configuration = (builder) -> {
		};

		private Builder() {
		}

		/**
		 * The store; by default a new {@link InMemoryStateStore}. A JDBC store must have
		 * its tables.
		 * @param store the store
		 * @return this builder
		 */
		public Builder store(StateStore store) {
			this.store = Objects.requireNonNull(store, "store");
			return this;
		}

		/**
		 * The clock's first instant; by default the real time at {@link #build()}.
		 * @param start the instant
		 * @return this builder
		 */
		public Builder startingAt(Instant start) {
			this.start = Objects.requireNonNull(start, "start");
			return this;
		}

		/**
		 * Whether {@link OrchwfTestEnvironment#awaitCompletion} moves the clock to the
		 * next wake-up whenever nothing runs; default {@code true}. Without it, only
		 * {@link TestClock#advance} moves the clock.
		 * @param timeSkipping whether to skip time
		 * @return this builder
		 */
		public Builder timeSkipping(boolean timeSkipping) {
			this.timeSkipping = timeSkipping;
			return this;
		}

		/**
		 * Change the orchestrator's settings (workers, retry policy, listeners...) before
		 * it is built. Its clock is the environment's, whatever this sets.
		 * @param configuration applied to the orchestrator's builder
		 * @return this builder
		 */
		public Builder configure(Consumer<Orchestrator.Builder> configuration) {
			this.configuration = Objects.requireNonNull(configuration, "configuration");
			return this;
		}

		/**
		 * Build the environment and launch its orchestrator.
		 * @return the environment
		 */
		public OrchwfTestEnvironment build() {
			StateStore storeToUse = (this.store != null) ? this.store : new InMemoryStateStore();
			TestClock clock = new TestClock((this.start != null) ? this.start : Clock.systemUTC().instant());
			Orchestrator.Builder builder = Orchestrator.builder(storeToUse).pollInterval(POLL_INTERVAL);
			this.configuration.accept(builder);
			Orchestrator engine = builder.clock(clock).build();
			StepStubs stubs = new StepStubs();
			return new OrchwfTestEnvironment(new StubbingOrchestrator(engine, stubs), stubs, storeToUse, clock,
					this.timeSkipping, true, POLL_INTERVAL);
		}

	}

}
