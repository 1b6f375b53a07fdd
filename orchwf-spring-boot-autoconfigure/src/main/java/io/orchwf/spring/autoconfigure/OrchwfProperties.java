package io.orchwf.spring.autoconfigure;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orchwf.FailurePolicy;
import io.orchwf.OrchestratorDefaults;
import io.orchwf.OverlapPolicy;
import io.orchwf.RetryPolicy;
import io.orchwf.Schedule;
import io.orchwf.store.jdbc.JdbcStateStore;
import io.orchwf.store.memory.InMemoryStateStore;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of orchwf, under {@code orchwf.*}.
 */
@ConfigurationProperties("orchwf")
public class OrchwfProperties {

	/**
	 * Whether to auto-configure orchwf.
	 */
	private boolean enabled = true;

	/**
	 * Where workflow state is kept. When unset, the JDBC store if the application has a
	 * DataSource, else the in-memory store.
	 */
	private @Nullable Store store;

	/**
	 * Size of the pool that runs async steps.
	 */
	private int workers = OrchestratorDefaults.WORKERS;

	/**
	 * How many instances this node drives at once; a start beyond it is stored for any
	 * node to claim.
	 */
	private int maxActiveInstances = OrchestratorDefaults.MAX_ACTIVE_INSTANCES;

	/**
	 * This node's id, the owner of its leases; unique among the nodes sharing a database.
	 * Defaults to the host name and process id.
	 */
	private @Nullable String nodeId;

	/**
	 * Attempt timeout of steps that set none.
	 */
	private Duration defaultStepTimeout = OrchestratorDefaults.STEP_TIMEOUT;

	/**
	 * Retry policy of steps that set none; a step's own policy inherits what it leaves
	 * unset from this one.
	 */
	private final DefaultRetry defaultRetry = new DefaultRetry();

	/**
	 * The JDBC store.
	 */
	private final Jdbc jdbc = new Jdbc();

	/**
	 * The in-memory store.
	 */
	private final Memory memory = new Memory();

	/**
	 * How nodes share instances and take over those of lost nodes.
	 */
	private final Recovery recovery = new Recovery();

	/**
	 * Shutdown of the orchestrator.
	 */
	private final Shutdown shutdown = new Shutdown();

	/**
	 * How long finished instances are kept before they are deleted.
	 */
	private final Retention retention = new Retention();

	/**
	 * The dashboard: web pages of the application that show workflows and instances.
	 */
	private final Dashboard dashboard = new Dashboard();

	/**
	 * Per-workflow settings, by workflow id; they take precedence over the annotations.
	 */
	private final Map<String, Workflow> workflows = new LinkedHashMap<>();

	/**
	 * Schedules, by name: each starts its workflow at every tick of a cron expression or
	 * an interval, one instance per tick across the nodes.
	 */
	private final Map<String, ScheduleProperties> schedules = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable Store getStore() {
		return this.store;
	}

	public void setStore(@Nullable Store store) {
		this.store = store;
	}

	public int getWorkers() {
		return this.workers;
	}

	public void setWorkers(int workers) {
		this.workers = workers;
	}

	public int getMaxActiveInstances() {
		return this.maxActiveInstances;
	}

	public void setMaxActiveInstances(int maxActiveInstances) {
		this.maxActiveInstances = maxActiveInstances;
	}

	public @Nullable String getNodeId() {
		return this.nodeId;
	}

	public void setNodeId(@Nullable String nodeId) {
		this.nodeId = nodeId;
	}

	public Duration getDefaultStepTimeout() {
		return this.defaultStepTimeout;
	}

	public void setDefaultStepTimeout(Duration defaultStepTimeout) {
		this.defaultStepTimeout = defaultStepTimeout;
	}

	public DefaultRetry getDefaultRetry() {
		return this.defaultRetry;
	}

	public Jdbc getJdbc() {
		return this.jdbc;
	}

	public Memory getMemory() {
		return this.memory;
	}

	public Recovery getRecovery() {
		return this.recovery;
	}

	public Retention getRetention() {
		return this.retention;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	public Dashboard getDashboard() {
		return this.dashboard;
	}

	public Map<String, ScheduleProperties> getSchedules() {
		return this.schedules;
	}

	public Map<String, Workflow> getWorkflows() {
		return this.workflows;
	}

	/**
	 * The state stores orchwf can use.
	 */
	public enum Store {

		/** In the heap: nothing survives a restart. */
		MEMORY,

		/** In the application's database, through its DataSource. */
		JDBC

	}

	/**
	 * The retry policy of steps that set none.
	 */
	public static class DefaultRetry {

		/**
		 * Total number of executions, first one included. 1 means no retry.
		 */
		private int maxAttempts = OrchestratorDefaults.retryPolicy().maxAttempts();

		/**
		 * Delay before the first retry.
		 */
		private Duration initialInterval = RetryPolicy.DEFAULT_INITIAL_INTERVAL;

		/**
		 * Factor applied to the delay after each retry.
		 */
		private double multiplier = RetryPolicy.DEFAULT_MULTIPLIER;

		/**
		 * Upper bound of any delay.
		 */
		private Duration maxInterval = RetryPolicy.DEFAULT_MAX_INTERVAL;

		/**
		 * Fraction of each delay by which it is randomly moved, from 0 to 1.
		 */
		private double jitter = RetryPolicy.DEFAULT_JITTER;

		/**
		 * Error types that are retried; empty retries every type not listed as
		 * non-retryable.
		 */
		private List<String> retryableErrors = new ArrayList<>();

		/**
		 * Error types that are never retried.
		 */
		private List<String> nonRetryableErrors = new ArrayList<>();

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialInterval() {
			return this.initialInterval;
		}

		public void setInitialInterval(Duration initialInterval) {
			this.initialInterval = initialInterval;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxInterval() {
			return this.maxInterval;
		}

		public void setMaxInterval(Duration maxInterval) {
			this.maxInterval = maxInterval;
		}

		public double getJitter() {
			return this.jitter;
		}

		public void setJitter(double jitter) {
			this.jitter = jitter;
		}

		public List<String> getRetryableErrors() {
			return this.retryableErrors;
		}

		public void setRetryableErrors(List<String> retryableErrors) {
			this.retryableErrors = retryableErrors;
		}

		public List<String> getNonRetryableErrors() {
			return this.nonRetryableErrors;
		}

		public void setNonRetryableErrors(List<String> nonRetryableErrors) {
			this.nonRetryableErrors = nonRetryableErrors;
		}

	}

	/**
	 * The JDBC store.
	 */
	public static class Jdbc {

		/**
		 * Whether to create or upgrade the orchwf tables with Flyway at startup (with the
		 * history table orchwf_schema_history, apart from the application's own).
		 */
		private boolean migrate = true;

		/**
		 * Largest JSON value (input, step output, signal payload) the store accepts, in
		 * bytes.
		 */
		private long maxPayloadBytes = JdbcStateStore.DEFAULT_MAX_PAYLOAD_BYTES;

		/**
		 * How many threads commit transitions at once, each grouping the transitions that
		 * wait at that moment into one transaction.
		 */
		private int writeConcurrency = JdbcStateStore.DEFAULT_WRITE_CONCURRENCY;

		/**
		 * Whether nodes tell each other of work at once through the database (PostgreSQL
		 * LISTEN/NOTIFY, one connection of the pool per node); off behind a pooler
		 * without sessions (PgBouncer in transaction mode), where nodes then poll.
		 */
		private boolean notices = true;

		public boolean isMigrate() {
			return this.migrate;
		}

		public void setMigrate(boolean migrate) {
			this.migrate = migrate;
		}

		public long getMaxPayloadBytes() {
			return this.maxPayloadBytes;
		}

		public void setMaxPayloadBytes(long maxPayloadBytes) {
			this.maxPayloadBytes = maxPayloadBytes;
		}

		public int getWriteConcurrency() {
			return this.writeConcurrency;
		}

		public void setWriteConcurrency(int writeConcurrency) {
			this.writeConcurrency = writeConcurrency;
		}

		public boolean isNotices() {
			return this.notices;
		}

		public void setNotices(boolean notices) {
			this.notices = notices;
		}

	}

	/**
	 * The in-memory store.
	 */
	public static class Memory {

		/**
		 * How many finished instances (completed, failed or cancelled) the in-memory
		 * store keeps, the most recently finished; older ones are forgotten as if
		 * deleted. Unfinished instances are always kept. A guard on the heap, beside
		 * orchwf.retention, which deletes by age.
		 */
		private int maxFinishedInstances = InMemoryStateStore.DEFAULT_MAX_FINISHED_INSTANCES;

		public int getMaxFinishedInstances() {
			return this.maxFinishedInstances;
		}

		public void setMaxFinishedInstances(int maxFinishedInstances) {
			this.maxFinishedInstances = maxFinishedInstances;
		}

	}

	/**
	 * One schedule: the workflow it starts, and either a cron expression or an interval.
	 */
	public static class ScheduleProperties {

		/**
		 * The workflow each tick starts. Required.
		 */
		private @Nullable String workflow;

		/**
		 * A six-field cron expression (second, minute, hour, day of month, month, day of
		 * week), as Spring reads it. Either this or every.
		 */
		private @Nullable String cron;

		/**
		 * A fixed interval; its ticks are whole multiples of it since the epoch. Either
		 * this or cron.
		 */
		private @Nullable Duration every;

		/**
		 * The zone the cron expression is read in.
		 */
		private ZoneId zone = ZoneId.of("UTC");

		/**
		 * What a tick does while the previous tick's instance has not finished.
		 */
		private OverlapPolicy overlap = OverlapPolicy.SKIP;

		/**
		 * Whether the schedule fires; false removes it from the store.
		 */
		private boolean enabled = true;

		/**
		 * The input of every instance the schedule starts.
		 */
		private final Map<String, Object> input = new LinkedHashMap<>();

		public @Nullable String getWorkflow() {
			return this.workflow;
		}

		public void setWorkflow(@Nullable String workflow) {
			this.workflow = workflow;
		}

		public @Nullable String getCron() {
			return this.cron;
		}

		public void setCron(@Nullable String cron) {
			this.cron = cron;
		}

		public @Nullable Duration getEvery() {
			return this.every;
		}

		public void setEvery(@Nullable Duration every) {
			this.every = every;
		}

		public ZoneId getZone() {
			return this.zone;
		}

		public void setZone(ZoneId zone) {
			this.zone = zone;
		}

		public OverlapPolicy getOverlap() {
			return this.overlap;
		}

		public void setOverlap(OverlapPolicy overlap) {
			this.overlap = overlap;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Map<String, Object> getInput() {
			return this.input;
		}

		/**
		 * The schedule these properties describe.
		 * @param name the schedule's name, the key of its properties
		 * @return the schedule
		 * @throws IllegalStateException naming the properties if they do not describe one
		 */
		Schedule toSchedule(String name) {
			String prefix = "orchwf.schedules." + name;
			if (this.workflow == null || this.workflow.isBlank()) {
				throw new IllegalStateException(prefix + ".workflow is not set: name the workflow the schedule starts");
			}
			if ((this.cron == null) == (this.every == null)) {
				throw new IllegalStateException("Set either " + prefix + ".cron or " + prefix
						+ ".every: the schedule ticks by a cron expression or by an interval");
			}
			try {
				Schedule.Builder builder = (this.cron != null) ? Schedule.cron(name, this.cron)
						: Schedule.every(name, this.every);
				return builder.workflow(this.workflow).zone(this.zone).input(this.input).overlap(this.overlap).build();
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("Invalid " + prefix + ": " + ex.getMessage(), ex);
			}
		}

	}

	/**
	 * How long finished instances are kept before they are deleted with their steps,
	 * history and signals; unfinished instances never are.
	 */
	public static class Retention {

		/**
		 * How long completed instances are kept after they end. Unset keeps them for
		 * ever.
		 */
		private @Nullable Duration completed;

		/**
		 * How long failed instances are kept after they end. Unset keeps them for ever.
		 */
		private @Nullable Duration failed;

		/**
		 * How long cancelled instances are kept after they end. Unset keeps them for
		 * ever.
		 */
		private @Nullable Duration cancelled;

		/**
		 * How often expired instances are looked for, in real time.
		 */
		private Duration checkEvery = io.orchwf.Retention.DEFAULT_CHECK_EVERY;

		public @Nullable Duration getCompleted() {
			return this.completed;
		}

		public void setCompleted(@Nullable Duration completed) {
			this.completed = completed;
		}

		public @Nullable Duration getFailed() {
			return this.failed;
		}

		public void setFailed(@Nullable Duration failed) {
			this.failed = failed;
		}

		public @Nullable Duration getCancelled() {
			return this.cancelled;
		}

		public void setCancelled(@Nullable Duration cancelled) {
			this.cancelled = cancelled;
		}

		public Duration getCheckEvery() {
			return this.checkEvery;
		}

		public void setCheckEvery(Duration checkEvery) {
			this.checkEvery = checkEvery;
		}

		/**
		 * The retention these properties describe.
		 * @return the retention, {@link io.orchwf.Retention#keepForever()} when none is
		 * set
		 */
		io.orchwf.Retention toRetention() {
			return io.orchwf.Retention.builder()
				.completed(this.completed)
				.failed(this.failed)
				.cancelled(this.cancelled)
				.checkEvery(this.checkEvery)
				.build();
		}

	}

	/**
	 * How nodes share instances and take over those of lost nodes.
	 */
	public static class Recovery {

		/**
		 * How often a node looks for claimable work: due wake-ups, deferred starts and
		 * instances of lost nodes.
		 */
		private Duration pollInterval = OrchestratorDefaults.POLL_INTERVAL;

		/**
		 * How long a lease on an instance lasts without renewal; after it, another node
		 * may take the instance over.
		 */
		private Duration leaseDuration = OrchestratorDefaults.LEASE_DURATION;

		/**
		 * How often a node renews its leases; shorter than the lease duration. Default a
		 * third of the lease duration.
		 */
		private @Nullable Duration heartbeatInterval;

		public Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
		}

		public Duration getLeaseDuration() {
			return this.leaseDuration;
		}

		public void setLeaseDuration(Duration leaseDuration) {
			this.leaseDuration = leaseDuration;
		}

		public @Nullable Duration getHeartbeatInterval() {
			return this.heartbeatInterval;
		}

		public void setHeartbeatInterval(@Nullable Duration heartbeatInterval) {
			this.heartbeatInterval = heartbeatInterval;
		}

	}

	/**
	 * Shutdown of the orchestrator.
	 */
	public static class Shutdown {

		/**
		 * How long running steps may take to finish when the application stops; then they
		 * are interrupted and other nodes rerun them.
		 */
		private Duration awaitTermination = OrchestratorDefaults.SHUTDOWN_TIMEOUT;

		public Duration getAwaitTermination() {
			return this.awaitTermination;
		}

		public void setAwaitTermination(Duration awaitTermination) {
			this.awaitTermination = awaitTermination;
		}

	}

	/**
	 * The dashboard, served by a servlet web application under its own path.
	 */
	public static class Dashboard {

		/**
		 * Whether to serve the dashboard. It shows business data (inputs, outputs,
		 * errors), so it is off unless asked for; secure its path as any other.
		 */
		private boolean enabled = false;

		/**
		 * Path under which the dashboard is served, such as /orchwf.
		 */
		private String path = "/orchwf";

		/**
		 * Whether the dashboard offers actions: cancel, resume and signal an instance,
		 * and cancel or resume all instances matching a filter. When off, their requests
		 * are refused with 403.
		 */
		private boolean actionsEnabled = false;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public boolean isActionsEnabled() {
			return this.actionsEnabled;
		}

		public void setActionsEnabled(boolean actionsEnabled) {
			this.actionsEnabled = actionsEnabled;
		}

	}

	/**
	 * Settings of one workflow assembled from {@code @WorkflowStep} beans.
	 */
	public static class Workflow {

		/**
		 * The workflow's name. Defaults to its id.
		 */
		private @Nullable String name;

		/**
		 * The workflow's version; new instances start on the highest registered version.
		 * Defaults to 1.0.0.
		 */
		private @Nullable String version;

		/**
		 * The workflow's description.
		 */
		private @Nullable String description;

		/**
		 * What the workflow does when a required step fails. Defaults to fail-fast.
		 */
		private @Nullable FailurePolicy failurePolicy;

		/**
		 * At most this many instances of the workflow started and unfinished at once,
		 * across all nodes; further ones wait, pending, for a slot.
		 */
		private @Nullable Integer maxConcurrency;

		/**
		 * At most this many started and unfinished instances per concurrency key (a start
		 * option), across all nodes; 1 runs one key's instances one after another.
		 */
		private @Nullable Integer maxConcurrencyPerKey;

		/**
		 * Per-step settings, by step id; they take precedence over the annotations.
		 */
		private final Map<String, Step> steps = new LinkedHashMap<>();

		public @Nullable String getName() {
			return this.name;
		}

		public void setName(@Nullable String name) {
			this.name = name;
		}

		public @Nullable String getVersion() {
			return this.version;
		}

		public void setVersion(@Nullable String version) {
			this.version = version;
		}

		public @Nullable String getDescription() {
			return this.description;
		}

		public void setDescription(@Nullable String description) {
			this.description = description;
		}

		public @Nullable FailurePolicy getFailurePolicy() {
			return this.failurePolicy;
		}

		public void setFailurePolicy(@Nullable FailurePolicy failurePolicy) {
			this.failurePolicy = failurePolicy;
		}

		public @Nullable Integer getMaxConcurrency() {
			return this.maxConcurrency;
		}

		public void setMaxConcurrency(@Nullable Integer maxConcurrency) {
			this.maxConcurrency = maxConcurrency;
		}

		public @Nullable Integer getMaxConcurrencyPerKey() {
			return this.maxConcurrencyPerKey;
		}

		public void setMaxConcurrencyPerKey(@Nullable Integer maxConcurrencyPerKey) {
			this.maxConcurrencyPerKey = maxConcurrencyPerKey;
		}

		public Map<String, Step> getSteps() {
			return this.steps;
		}

	}

	/**
	 * Overrides of one step; unset values keep what the annotation says.
	 */
	public static class Step {

		/**
		 * Bound of each attempt.
		 */
		private @Nullable Duration timeout;

		/**
		 * Whether the step runs on the async worker pool.
		 */
		private @Nullable Boolean async;

		/**
		 * Whether the workflow fails when this step fails.
		 */
		private @Nullable Boolean required;

		/**
		 * Order among steps ready at the same time; higher first.
		 */
		private @Nullable Integer priority;

		/**
		 * Overrides of the step's retry policy.
		 */
		private final RetryOverride retry = new RetryOverride();

		public @Nullable Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(@Nullable Duration timeout) {
			this.timeout = timeout;
		}

		public @Nullable Boolean getAsync() {
			return this.async;
		}

		public void setAsync(@Nullable Boolean async) {
			this.async = async;
		}

		public @Nullable Boolean getRequired() {
			return this.required;
		}

		public void setRequired(@Nullable Boolean required) {
			this.required = required;
		}

		public @Nullable Integer getPriority() {
			return this.priority;
		}

		public void setPriority(@Nullable Integer priority) {
			this.priority = priority;
		}

		public RetryOverride getRetry() {
			return this.retry;
		}

	}

	/**
	 * Overrides of a step's retry policy; unset values keep what the annotation says.
	 */
	public static class RetryOverride {

		/**
		 * Total number of executions, first one included.
		 */
		private @Nullable Integer maxAttempts;

		/**
		 * Delay before the first retry.
		 */
		private @Nullable Duration initialInterval;

		/**
		 * Factor applied to the delay after each retry.
		 */
		private @Nullable Double multiplier;

		/**
		 * Upper bound of any delay.
		 */
		private @Nullable Duration maxInterval;

		/**
		 * Fraction of each delay by which it is randomly moved, from 0 to 1.
		 */
		private @Nullable Double jitter;

		/**
		 * Error types that are retried.
		 */
		private @Nullable List<String> retryableErrors;

		/**
		 * Error types that are never retried.
		 */
		private @Nullable List<String> nonRetryableErrors;

		public @Nullable Integer getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(@Nullable Integer maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public @Nullable Duration getInitialInterval() {
			return this.initialInterval;
		}

		public void setInitialInterval(@Nullable Duration initialInterval) {
			this.initialInterval = initialInterval;
		}

		public @Nullable Double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(@Nullable Double multiplier) {
			this.multiplier = multiplier;
		}

		public @Nullable Duration getMaxInterval() {
			return this.maxInterval;
		}

		public void setMaxInterval(@Nullable Duration maxInterval) {
			this.maxInterval = maxInterval;
		}

		public @Nullable Double getJitter() {
			return this.jitter;
		}

		public void setJitter(@Nullable Double jitter) {
			this.jitter = jitter;
		}

		public @Nullable List<String> getRetryableErrors() {
			return this.retryableErrors;
		}

		public void setRetryableErrors(@Nullable List<String> retryableErrors) {
			this.retryableErrors = retryableErrors;
		}

		public @Nullable List<String> getNonRetryableErrors() {
			return this.nonRetryableErrors;
		}

		public void setNonRetryableErrors(@Nullable List<String> nonRetryableErrors) {
			this.nonRetryableErrors = nonRetryableErrors;
		}

	}

}
