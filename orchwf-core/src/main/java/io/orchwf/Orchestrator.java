package io.orchwf;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

import io.orchwf.event.OrchestratorListener;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventListener;
import io.orchwf.internal.engine.WorkflowEngine;
import io.orchwf.internal.engine.node.EngineSettings;
import io.orchwf.store.StateStore;
import org.jspecify.annotations.Nullable;

/**
 * Runs workflows: registers definitions, starts instances, drives their steps and answers
 * questions about them.
 *
 * <pre>{@code
 * try (Orchestrator orchestrator = Orchestrator.builder(new InMemoryStateStore()).workers(16).build()) {
 *     orchestrator.register(definition);
 *     WorkflowResult result = orchestrator.start("order_processing", Map.of("order_id", "o-1"));
 * }
 * }</pre>
 *
 * <p>
 * Every transition of every instance is stored before it is acted on, so with a durable
 * store an instance survives a crash of its node: another node (or this one after a
 * restart) claims it once its lease expires and continues where it stopped. Several
 * orchestrators may share one store; each instance is driven by one of them at a time.
 *
 * <p>
 * Inputs, outputs and metadata are maps of JSON-compatible values (strings, numbers,
 * booleans, nulls, lists, maps, and records or beans Jackson can serialize); they are
 * stored as JSON, and anything that cannot be is rejected at once with an
 * {@link IllegalArgumentException}. Instances are thread-safe.
 */
public interface Orchestrator extends AutoCloseable {

	/**
	 * Start configuring an orchestrator.
	 * @param store where workflow state is kept
	 * @return a new builder
	 */
	static Builder builder(StateStore store) {
		return new Builder(store);
	}

	/**
	 * Create a running orchestrator with default settings.
	 * @param store where workflow state is kept
	 * @return the orchestrator
	 */
	static Orchestrator create(StateStore store) {
		return builder(store).build();
	}

	/**
	 * Register a workflow definition. Several versions of one id may be registered; new
	 * instances start on the highest. Registration may happen at any time.
	 * @param definition the definition
	 * @throws WorkflowDefinitionException if the same id and version is registered with
	 * another definition
	 */
	void register(WorkflowDefinition definition);

	/**
	 * The registered definitions.
	 * @return every registered version of every workflow
	 */
	List<WorkflowDefinition> workflows();

	/**
	 * Start an instance and wait for it to finish.
	 * @param workflowId the workflow to start (its highest registered version)
	 * @param input the workflow input; {@code null} means empty
	 * @return how it ended; a failure is a result, not an exception
	 * @throws WorkflowNotFoundException if no such workflow is registered
	 * @throws IllegalArgumentException if the input cannot be stored as JSON
	 */
	WorkflowResult start(String workflowId, @Nullable Map<String, ?> input);

	/**
	 * Start an instance with metadata and wait for it to finish.
	 * @param workflowId the workflow to start
	 * @param input the workflow input; {@code null} means empty
	 * @param metadata the instance metadata ({@code trace_id}, {@code correlation_id},
	 * {@code business_id} and anything else); {@code null} means empty
	 * @return how it ended
	 */
	WorkflowResult start(String workflowId, @Nullable Map<String, ?> input, @Nullable Map<String, ?> metadata);

	/**
	 * Start an instance with options and wait for it to finish.
	 * @param workflowId the workflow to start
	 * @param input the workflow input; {@code null} means empty
	 * @param options metadata, idempotency key and start time
	 * @return how it ended
	 */
	WorkflowResult start(String workflowId, @Nullable Map<String, ?> input, StartOptions options);

	/**
	 * Start an instance and return at once.
	 * @param workflowId the workflow to start
	 * @param input the workflow input; {@code null} means empty
	 * @return the new instance's id
	 */
	String startAsync(String workflowId, @Nullable Map<String, ?> input);

	/**
	 * Start an instance with metadata and return at once.
	 * @param workflowId the workflow to start
	 * @param input the workflow input; {@code null} means empty
	 * @param metadata the instance metadata; {@code null} means empty
	 * @return the new instance's id
	 */
	String startAsync(String workflowId, @Nullable Map<String, ?> input, @Nullable Map<String, ?> metadata);

	/**
	 * Start an instance with options and return at once.
	 * @param workflowId the workflow to start
	 * @param input the workflow input; {@code null} means empty
	 * @param options metadata, idempotency key and start time
	 * @return the new instance's id, or the existing instance's id if the idempotency key
	 * was used before
	 */
	String startAsync(String workflowId, @Nullable Map<String, ?> input, StartOptions options);

	/**
	 * Wait for an instance to finish, whichever node drives it.
	 * @param instanceId the instance
	 * @param timeout how long to wait at most
	 * @return its result, or empty if it has not finished in time
	 * @throws InstanceNotFoundException if there is no such instance
	 */
	Optional<WorkflowResult> awaitCompletion(String instanceId, Duration timeout);

	/**
	 * The current state of an instance.
	 * @param instanceId the instance
	 * @return the instance with its steps, or empty if there is none
	 */
	Optional<WorkflowInstance> status(String instanceId);

	/**
	 * List instances, newest first.
	 * @param filter which instances
	 * @param limit the page size, 1 to 1000
	 * @param offset how many matching instances to skip
	 * @return one page
	 */
	Page<WorkflowInstance> list(WorkflowFilter filter, int limit, int offset);

	/**
	 * Run a failed instance again, keeping the outputs of its completed steps and
	 * re-running the others with fresh attempts; or make sure an unfinished instance is
	 * being driven. Waits for the instance to finish.
	 * @param instanceId the instance
	 * @return how it ended; the existing result if it had completed or was cancelled
	 * @throws InstanceNotFoundException if there is no such instance
	 */
	WorkflowResult resume(String instanceId);

	/**
	 * Cancel an instance: stop scheduling, interrupt its running steps, run the
	 * compensators of its completed steps, end {@link WorkflowStatus#CANCELLED}. Waits
	 * for the instance to finish. Cancelling a finished instance changes nothing.
	 * @param instanceId the instance
	 * @param reason why, recorded in its error and history
	 * @return how it ended
	 * @throws InstanceNotFoundException if there is no such instance
	 */
	WorkflowResult cancel(String instanceId, String reason);

	/**
	 * Cancel every unfinished instance that matches a filter, as {@link #cancel} cancels
	 * one, without waiting for them to end: each cancellation is stored before this
	 * returns, and the instances then stop, compensate and end
	 * {@link WorkflowStatus#CANCELLED} on whichever node drives them.
	 *
	 * <p>
	 * The matching instances are read page by page, newest first, so that any number of
	 * them may match; instances created while it runs may be left out. An instance that
	 * finishes before its turn comes, one whose cancellation was requested already, and
	 * one that is {@link WorkflowStatus#COMPENSATING} (it is being undone already) is
	 * left alone and not counted.
	 * @param filter which instances; its states, if it names any, must include
	 * {@link WorkflowStatus#PENDING PENDING}, {@link WorkflowStatus#RUNNING RUNNING} or
	 * {@link WorkflowStatus#WAITING WAITING} ({@link WorkflowFilter#all()} for every
	 * unfinished instance)
	 * @param reason why, recorded in each instance's error and history
	 * @return how many instances this call asked to cancel
	 * @throws IllegalArgumentException if the filter is {@code null} or names none of
	 * those states, or if the reason is blank or holds U+0000 or an unpaired surrogate
	 */
	int cancelAll(WorkflowFilter filter, String reason);

	/**
	 * Resume every {@link WorkflowStatus#FAILED} instance that matches a filter, as
	 * {@link #resume} resumes one, without waiting for them to end: each resumption is
	 * stored before this returns, and the instances then run again on this node.
	 *
	 * <p>
	 * The matching instances are read page by page, newest first, so that any number of
	 * them may match; instances created while it runs may be left out. An instance that
	 * is no longer FAILED when its turn comes (another caller resumed it), that another
	 * node holds, or whose workflow version this node has not registered is left alone
	 * and not counted. An instance that fails again while the call goes on is not resumed
	 * twice.
	 * @param filter which instances; its states, if it names any, must include
	 * {@link WorkflowStatus#FAILED} ({@link WorkflowFilter#all()} for every failed
	 * instance)
	 * @return how many instances this call resumed
	 * @throws IllegalArgumentException if the filter is {@code null} or names states
	 * without FAILED
	 */
	int resumeAll(WorkflowFilter filter);

	/**
	 * Send a signal to an instance. Steps read the signals received so far with
	 * {@link StepContext#signals(String)}.
	 * @param instanceId the instance
	 * @param signalName the signal name
	 * @param payload the payload (JSON-compatible); {@code null} means empty
	 * @throws InstanceNotFoundException if there is no such instance
	 * @throws IllegalStateException if the instance has finished
	 */
	void signal(String instanceId, String signalName, @Nullable Map<String, ?> payload);

	/**
	 * The stored history of an instance.
	 * @param instanceId the instance
	 * @return its events in order
	 * @throws InstanceNotFoundException if there is no such instance
	 */
	List<WorkflowEvent> history(String instanceId);

	/**
	 * Create or replace the schedule of its name, in the store: every node sharing the
	 * store fires it, each tick starting exactly one instance. Declaring the same
	 * schedule again (on this node or another) keeps it as it is, with its fire times; a
	 * schedule of that name with another definition is replaced, its next tick computed
	 * afresh. See {@link Schedule}.
	 * @param schedule the schedule
	 * @throws IllegalArgumentException if its workflow is not registered on this node or
	 * its input cannot be stored as JSON
	 */
	void schedule(Schedule schedule);

	/**
	 * Delete a schedule: no tick of it starts anything any more. Instances it started are
	 * left alone.
	 * @param name the schedule's name
	 * @return {@code true} if it existed
	 */
	boolean unschedule(String name);

	/**
	 * Every schedule in the store, by name, with its next and last fire times.
	 * @return the schedules
	 */
	List<ScheduleInfo> schedules();

	/**
	 * Start claiming work: poll for claimable instances, renew leases, fire wake-ups. An
	 * orchestrator built with {@link Builder#autoStart(boolean) autoStart(true)} (the
	 * default) is launched already. Starting instances requires a launched orchestrator.
	 */
	void launch();

	/**
	 * This node's id, the owner of its leases.
	 * @return the node id
	 */
	String nodeId();

	/**
	 * The clock this orchestrator decides by: the one its builder was given
	 * ({@link Builder#clock(Clock)}), the system's UTC clock by default. What shows the
	 * age of instances (a dashboard's "started 5 min ago", a health check's backlog)
	 * reads this one, so that it agrees with the times the orchestrator stores, a test
	 * clock's included.
	 * @return the clock
	 */
	Clock clock();

	/**
	 * How many instances this node drives at this moment (running, compensating or about
	 * to park); instances waiting for a wake-up are not driven by any node.
	 * @return the number of instances driven here
	 */
	int activeInstances();

	/**
	 * How many steps this node runs at this moment, async and sync.
	 * @return the number of step attempts in progress here
	 */
	int busyWorkers();

	/**
	 * Stop: claim nothing more, start no more steps, let running steps finish within the
	 * shutdown timeout, and release leases so that another node can take over at once.
	 */
	@Override
	void close();

	/**
	 * Configures and builds an {@link Orchestrator}. Setters reject invalid values at
	 * once with an {@link IllegalArgumentException} naming them; defaults are in
	 * {@link OrchestratorDefaults}.
	 */
	final class Builder {

		private final StateStore store;

		private int workers = OrchestratorDefaults.WORKERS;

		private int maxActiveInstances = OrchestratorDefaults.MAX_ACTIVE_INSTANCES;

		private final List<WorkflowEventListener> listeners = new ArrayList<>();

		private final List<StepInterceptor> interceptors = new ArrayList<>();

		private final List<OrchestratorListener> orchestratorListeners = new ArrayList<>();

		private Retention retention = Retention.keepForever();

		private @Nullable String nodeId;

		private Duration leaseDuration = OrchestratorDefaults.LEASE_DURATION;

		private @Nullable Duration heartbeatInterval;

		private Clock clock = Clock.systemUTC();

		private Duration pollInterval = OrchestratorDefaults.POLL_INTERVAL;

		private RetryPolicy defaultRetryPolicy = OrchestratorDefaults.retryPolicy();

		private Duration defaultStepTimeout = OrchestratorDefaults.STEP_TIMEOUT;

		private Duration shutdownTimeout = OrchestratorDefaults.SHUTDOWN_TIMEOUT;

		private boolean autoStart = true;

		private @Nullable ThreadFactory threadFactory;

		private Builder(StateStore store) {
			if (store == null) {
				throw new IllegalArgumentException("store must not be null");
			}
			this.store = store;
		}

		/**
		 * Size of the async worker pool.
		 * @param workers at least 1; default {@value OrchestratorDefaults#WORKERS}
		 * @return this builder
		 */
		public Builder workers(int workers) {
			if (workers < 1) {
				throw new IllegalArgumentException("workers must be >= 1 but was " + workers);
			}
			this.workers = workers;
			return this;
		}

		/**
		 * How many instances this node drives at once. Claiming stops when it is reached,
		 * and a start beyond it is stored for any node to claim: on PostgreSQL another
		 * node with room hears of it at once, and this node claims it itself once it has
		 * room, unless another did first.
		 * @param maxActiveInstances at least 1; default
		 * {@value OrchestratorDefaults#MAX_ACTIVE_INSTANCES}
		 * @return this builder
		 */
		public Builder maxActiveInstances(int maxActiveInstances) {
			if (maxActiveInstances < 1) {
				throw new IllegalArgumentException("maxActiveInstances must be >= 1 but was " + maxActiveInstances);
			}
			this.maxActiveInstances = maxActiveInstances;
			return this;
		}

		/**
		 * Add a listener of every transition this node stores. Repeatable.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder listener(WorkflowEventListener listener) {
			if (listener == null) {
				throw new IllegalArgumentException("listener must not be null");
			}
			this.listeners.add(listener);
			return this;
		}

		/**
		 * Add a listener of what the orchestrator does on its own, such as the deletions
		 * of its retention. Repeatable.
		 * @param listener the listener
		 * @return this builder
		 */
		public Builder orchestratorListener(OrchestratorListener listener) {
			if (listener == null) {
				throw new IllegalArgumentException("listener must not be null");
			}
			this.orchestratorListeners.add(listener);
			return this;
		}

		/**
		 * How long finished instances are kept before this orchestrator deletes them,
		 * with their steps, history and signals.
		 * @param retention the retention; default {@link Retention#keepForever()}
		 * @return this builder
		 * @see StateStore#deleteFinished
		 */
		public Builder retention(Retention retention) {
			if (retention == null) {
				throw new IllegalArgumentException("retention must not be null; use Retention.keepForever()");
			}
			this.retention = retention;
			return this;
		}

		/**
		 * Add an interceptor of the code of every step attempt, forEach element and
		 * compensation, run on the thread of that code. Repeatable: the first added is
		 * the outermost.
		 * @param interceptor the interceptor
		 * @return this builder
		 * @see StepInterceptor
		 */
		public Builder stepInterceptor(StepInterceptor interceptor) {
			if (interceptor == null) {
				throw new IllegalArgumentException("interceptor must not be null");
			}
			this.interceptors.add(interceptor);
			return this;
		}

		/**
		 * This node's id, the owner of its leases; unique among the nodes sharing a
		 * store.
		 * @param nodeId a non-blank id of at most
		 * {@value WorkflowDefinition#MAX_ID_LENGTH} characters; default host name and
		 * process id
		 * @return this builder
		 */
		public Builder nodeId(String nodeId) {
			if (nodeId == null || nodeId.isBlank()) {
				throw new IllegalArgumentException("nodeId must not be blank");
			}
			if (nodeId.length() > WorkflowDefinition.MAX_ID_LENGTH) {
				throw new IllegalArgumentException("nodeId is " + nodeId.length() + " characters long; keep it to "
						+ WorkflowDefinition.MAX_ID_LENGTH);
			}
			this.nodeId = nodeId;
			return this;
		}

		/**
		 * How long a lease on an instance lasts without renewal; after it, another node
		 * may take the instance over.
		 * @param leaseDuration a positive duration; default 30s
		 * @return this builder
		 */
		public Builder leaseDuration(Duration leaseDuration) {
			this.leaseDuration = positive("leaseDuration", leaseDuration);
			return this;
		}

		/**
		 * How often leases are renewed; must be shorter than the lease duration.
		 * @param heartbeatInterval a positive duration; default a third of the lease
		 * duration (10s with the default lease)
		 * @return this builder
		 */
		public Builder heartbeatInterval(Duration heartbeatInterval) {
			this.heartbeatInterval = positive("heartbeatInterval", heartbeatInterval);
			return this;
		}

		/**
		 * How often this node looks for claimable work (due wake-ups, pending starts,
		 * instances of lost nodes).
		 * @param pollInterval a positive duration; default 1s
		 * @return this builder
		 */
		public Builder pollInterval(Duration pollInterval) {
			this.pollInterval = positive("pollInterval", pollInterval);
			return this;
		}

		/**
		 * The retry policy of steps that set none.
		 * @param defaultRetryPolicy the policy; default {@link RetryPolicy#none()}
		 * @return this builder
		 */
		public Builder defaultRetryPolicy(RetryPolicy defaultRetryPolicy) {
			if (defaultRetryPolicy == null) {
				throw new IllegalArgumentException("defaultRetryPolicy must not be null");
			}
			this.defaultRetryPolicy = defaultRetryPolicy;
			return this;
		}

		/**
		 * The attempt timeout of steps that set none.
		 * @param defaultStepTimeout a positive duration; default 5 minutes
		 * @return this builder
		 */
		public Builder defaultStepTimeout(Duration defaultStepTimeout) {
			this.defaultStepTimeout = positive("defaultStepTimeout", defaultStepTimeout);
			return this;
		}

		/**
		 * How long {@link Orchestrator#close()} lets running steps finish before
		 * interrupting them.
		 * @param shutdownTimeout a non-negative duration; default 30s
		 * @return this builder
		 */
		public Builder shutdownTimeout(Duration shutdownTimeout) {
			if (shutdownTimeout == null || shutdownTimeout.isNegative()) {
				throw new IllegalArgumentException(
						"shutdownTimeout must be a non-negative duration but was " + shutdownTimeout);
			}
			this.shutdownTimeout = shutdownTimeout;
			return this;
		}

		/**
		 * Whether {@link #build()} launches the orchestrator. With {@code false}, call
		 * {@link Orchestrator#launch()} once every workflow is registered (containers do
		 * this, so that no instance is claimed before its workflow is known).
		 * @param autoStart whether to launch on build; default {@code true}
		 * @return this builder
		 */
		public Builder autoStart(boolean autoStart) {
			this.autoStart = autoStart;
			return this;
		}

		/**
		 * The clock every time the engine decides by comes from: timers, retry backoff,
		 * wait timeouts, deferred starts, leases, and the times stored on instances,
		 * steps and events. Only the per-attempt timeout of running step code is measured
		 * in real time. Tests give a clock they move by hand to run day-long waits in
		 * milliseconds.
		 * @param clock the clock; default {@link Clock#systemUTC()}
		 * @return this builder
		 */
		public Builder clock(Clock clock) {
			this.clock = Objects.requireNonNull(clock, "clock");
			return this;
		}

		/**
		 * Create the threads steps run on, for example virtual threads on Java 21
		 * ({@code Thread.ofVirtual().factory()}).
		 * @param threadFactory the factory, or {@code null} for named daemon platform
		 * threads
		 * @return this builder
		 */
		public Builder threadFactory(@Nullable ThreadFactory threadFactory) {
			this.threadFactory = threadFactory;
			return this;
		}

		/**
		 * Build the orchestrator, launched unless {@link #autoStart(boolean)} is false.
		 * @return the orchestrator
		 * @throws IllegalArgumentException if the heartbeat interval is not shorter than
		 * the lease duration
		 */
		public Orchestrator build() {
			Duration heartbeat = (this.heartbeatInterval != null) ? this.heartbeatInterval
					: OrchestratorDefaults.heartbeatInterval(this.leaseDuration);
			if (heartbeat.compareTo(this.leaseDuration) >= 0) {
				throw new IllegalArgumentException("heartbeatInterval (" + heartbeat + ") must be shorter than "
						+ "leaseDuration (" + this.leaseDuration + "), or leases expire between renewals; leave it "
						+ "unset for a third of the lease");
			}
			// the one place the API reaches into the engine: it constructs it
			WorkflowEngine engine = new WorkflowEngine(new EngineSettings(this.store, this.workers,
					this.maxActiveInstances, this.listeners, this.interceptors, this.nodeId, this.leaseDuration,
					heartbeat, this.pollInterval, this.defaultRetryPolicy, this.defaultStepTimeout,
					this.shutdownTimeout, this.threadFactory, this.clock, this.retention, this.orchestratorListeners));
			if (this.autoStart) {
				engine.launch();
			}
			return engine;
		}

		private static Duration positive(String name, Duration value) {
			if (value == null || value.isNegative() || value.isZero()) {
				throw new IllegalArgumentException(name + " must be a positive duration but was " + value);
			}
			return value;
		}

	}

}
