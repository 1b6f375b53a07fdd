package io.orchwf.internal.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.orchwf.InstanceNotFoundException;
import io.orchwf.Orchestrator;
import io.orchwf.OrchwfException;
import io.orchwf.Page;
import io.orchwf.Schedule;
import io.orchwf.ScheduleInfo;
import io.orchwf.StartOptions;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowNotFoundException;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.internal.engine.node.Claims.Activation;
import io.orchwf.internal.engine.node.CompletionWaiters.Waiter;
import io.orchwf.internal.engine.node.EngineSettings;
import io.orchwf.internal.engine.node.InstanceCreation;
import io.orchwf.internal.engine.node.NodeRuntime;
import io.orchwf.internal.engine.support.Ids;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.internal.json.JsonValues;
import io.orchwf.internal.json.TextFlaw;
import io.orchwf.internal.plan.WorkflowPlan;
import io.orchwf.internal.plan.WorkflowRegistry;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.StateStore;
import io.orchwf.store.StoredInstance;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Orchestrator} implementation: validates calls, creates instances, and
 * answers questions from the store; {@link NodeRuntime} does the driving.
 */
public final class WorkflowEngine implements Orchestrator {

	private static final int MAX_PAGE = 1000;

	private final EngineSettings settings;

	private final StateStore store;

	private final WorkflowRegistry registry;

	private final NodeRuntime runtime;

	private final InstanceCreation creation;

	private final CompletionAwaiting awaiting;

	private final BulkActions bulk;

	private final RetentionSweeps retention;

	private final ScheduleTicks ticks;

	/**
	 * Create an engine; it claims nothing until {@link #launch()}.
	 * @param settings the validated settings
	 */
	public WorkflowEngine(EngineSettings settings) {
		this.settings = settings;
		this.store = settings.store();
		this.registry = new WorkflowRegistry(settings.defaultRetryPolicy(), settings.defaultStepTimeout());
		this.runtime = new NodeRuntime(settings, this.registry);
		this.creation = this.runtime.creation();
		this.awaiting = new CompletionAwaiting(this.store, this.runtime, settings.pollInterval());
		this.bulk = new BulkActions(this.store, this.runtime, this.registry, settings.leaseDuration());
		OrchestratorEvents events = new OrchestratorEvents(settings.orchestratorListeners());
		this.retention = new RetentionSweeps(this.store, settings.retention(), settings.clock(), events,
				settings.shutdownTimeout());
		this.ticks = new ScheduleTicks(this.store, settings.clock(),
				(workflowId) -> this.registry.latest(workflowId).isPresent(), this::startAsync, events,
				settings.pollInterval());
	}

	@Override
	public void register(WorkflowDefinition definition) {
		Objects.requireNonNull(definition, "definition");
		this.registry.register(definition);
	}

	@Override
	public List<WorkflowDefinition> workflows() {
		return this.registry.definitions();
	}

	@Override
	public WorkflowResult start(String workflowId, @Nullable Map<String, ?> input) {
		return start(workflowId, input, StartOptions.none());
	}

	@Override
	public WorkflowResult start(String workflowId, @Nullable Map<String, ?> input, @Nullable Map<String, ?> metadata) {
		return start(workflowId, input, StartOptions.builder().metadata(metadata).build());
	}

	@Override
	public WorkflowResult start(String workflowId, @Nullable Map<String, ?> input, StartOptions options) {
		// wait before the instance exists: a short workflow can finish before startAsync
		// returns, and the in-memory store may forget a finished instance at once
		String id = Ids.instanceId(this.runtime.now());
		Waiter waiter = this.runtime.waiters().register(id);
		try {
			String started = startAsync(workflowId, input, options, id);
			if (!started.equals(id)) {
				// an instance with the same idempotency key exists
				return this.awaiting.awaitEnd(started);
			}
			return this.awaiting.awaitEnd(waiter);
		}
		finally {
			this.runtime.waiters().unregister(waiter);
		}
	}

	@Override
	public String startAsync(String workflowId, @Nullable Map<String, ?> input) {
		return startAsync(workflowId, input, StartOptions.none());
	}

	@Override
	public String startAsync(String workflowId, @Nullable Map<String, ?> input, @Nullable Map<String, ?> metadata) {
		return startAsync(workflowId, input, StartOptions.builder().metadata(metadata).build());
	}

	@Override
	public String startAsync(String workflowId, @Nullable Map<String, ?> input, StartOptions options) {
		return startAsync(workflowId, input, options, Ids.instanceId(this.runtime.now()));
	}

	private String startAsync(String workflowId, @Nullable Map<String, ?> input, StartOptions options, String id) {
		Objects.requireNonNull(workflowId, "workflowId");
		Objects.requireNonNull(options, "options");
		requireLaunched();
		WorkflowPlan plan = this.registry.latest(workflowId)
			.orElseThrow(() -> new WorkflowNotFoundException(workflowId));
		JsonObject normalizedInput = JsonValues.object(input, "input");
		this.store.checkValue(normalizedInput, "input");
		JsonObject metadata = this.creation.metadata(JsonValues.object(options.metadata(), "metadata"));
		return this.runtime.lifecycle()
			.whileOpen(() -> this.creation.create(plan, normalizedInput, metadata, options, id));
	}

	@Override
	public Optional<WorkflowResult> awaitCompletion(String instanceId, Duration timeout) {
		Objects.requireNonNull(instanceId, "instanceId");
		Objects.requireNonNull(timeout, "timeout");
		return this.awaiting.awaitCompletion(instanceId, timeout);
	}

	@Override
	public Optional<WorkflowInstance> status(String instanceId) {
		Objects.requireNonNull(instanceId, "instanceId");
		return this.store.load(instanceId).map(InstanceViews::instance);
	}

	@Override
	public Page<WorkflowInstance> list(WorkflowFilter filter, int limit, int offset) {
		Objects.requireNonNull(filter, "filter");
		if (limit < 1 || limit > MAX_PAGE) {
			throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE + " but was " + limit);
		}
		if (offset < 0) {
			throw new IllegalArgumentException("offset must not be negative but was " + offset);
		}
		Page<StoredInstance> page = this.store.list(filter, limit, offset);
		List<WorkflowInstance> items = page.items().stream().map(InstanceViews::instance).toList();
		return new Page<>(items, page.total(), limit, offset);
	}

	@Override
	public WorkflowResult resume(String instanceId) {
		requireLaunched();
		StoredInstance stored = load(instanceId);
		WorkflowStatus status = stored.instance().status();
		if (status == WorkflowStatus.COMPLETED || status == WorkflowStatus.CANCELLED) {
			return InstanceViews.result(stored);
		}
		requireRegistered(stored.instance());
		if (status == WorkflowStatus.FAILED) {
			// wait for the resumption to be stored, or the wait below would see the old
			// failure
			this.runtime.claim(instanceId, Activation.RESUME_FAILED).ifPresent(this::join);
		}
		else if (this.runtime.run(instanceId) == null) {
			// unfinished: make sure someone drives it; if another node does, just wait
			this.runtime.claim(instanceId, Activation.RECOVER);
		}
		return this.awaiting.awaitEnd(instanceId);
	}

	private void join(CompletableFuture<Void> stored) {
		try {
			stored.get(this.settings.leaseDuration().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new OrchwfException("Interrupted while resuming", ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			// the instance went on without us; waiting for its end tells what became of
			// it
		}
	}

	private void requireRegistered(InstanceRecord instance) {
		if (this.registry.find(instance.workflowId(), instance.workflowVersion()).isEmpty()) {
			throw new WorkflowNotFoundException(instance.workflowId(), instance.workflowVersion());
		}
	}

	@Override
	public WorkflowResult cancel(String instanceId, String reason) {
		Objects.requireNonNull(instanceId, "instanceId");
		String why = (reason != null && !reason.isBlank()) ? reason : "cancelled";
		requireLaunched();
		StoredInstance stored = load(instanceId);
		if (stored.instance().status().isTerminal()) {
			return InstanceViews.result(stored);
		}
		this.runtime.requestCancel(instanceId, why);
		return this.awaiting.awaitEnd(instanceId);
	}

	@Override
	public int cancelAll(WorkflowFilter filter, String reason) {
		return this.bulk.cancelAll(filter, reason);
	}

	@Override
	public int resumeAll(WorkflowFilter filter) {
		return this.bulk.resumeAll(filter);
	}

	@Override
	public void signal(String instanceId, String signalName, @Nullable Map<String, ?> payload) {
		Objects.requireNonNull(instanceId, "instanceId");
		if (signalName == null || signalName.isBlank()) {
			throw new IllegalArgumentException("signalName must not be blank");
		}
		if (signalName.length() > WorkflowDefinition.MAX_ID_LENGTH) {
			throw new IllegalArgumentException("signalName is " + signalName.length() + " characters long; keep it to "
					+ WorkflowDefinition.MAX_ID_LENGTH);
		}
		TextFlaw flaw = TextFlaw.of(signalName);
		if (flaw != null) {
			throw new IllegalArgumentException(flaw.describe("signalName"));
		}
		JsonObject values = JsonValues.object(payload, "payload of signal '" + signalName + "'");
		this.store.checkValue(values, "payload of signal '" + signalName + "'");
		Instant now = this.runtime.now();
		JsonObject data = JsonValues.object(Map.of("name", signalName, "payload", values), "signal event");
		Optional<WorkflowEvent> event = this.store.signal(instanceId, signalName, values,
				(workflowId) -> new WorkflowEvent(WorkflowEventType.SIGNAL_RECEIVED, instanceId, workflowId, null, 0,
						now, data));
		if (event.isEmpty()) {
			// missing or finished: which one, for the message
			WorkflowStatus status = load(instanceId).instance().status();
			throw new IllegalStateException(
					"Instance " + instanceId + " has finished (" + status + "); it accepts no more signals");
		}
		this.runtime.events().dispatch(List.of(event.get()));
		// in a caller's transaction, the signal is there for a claim once it commits
		this.store.afterCommit(() -> this.runtime.signalledByCaller(instanceId));
	}

	@Override
	public List<WorkflowEvent> history(String instanceId) {
		load(instanceId);
		return this.store.history(instanceId);
	}

	@Override
	public void schedule(Schedule schedule) {
		Objects.requireNonNull(schedule, "schedule");
		if (this.registry.latest(schedule.workflowId()).isEmpty()) {
			throw new IllegalArgumentException(
					"Schedule '" + schedule.name() + "' starts workflow '" + schedule.workflowId()
							+ "', which is not registered on this node; register it before scheduling it");
		}
		String what = "input of schedule '" + schedule.name() + "'";
		JsonObject input = JsonValues.object(schedule.input(), what);
		this.store.checkValue(input, what);
		Instant now = this.runtime.now();
		Instant next = schedule.tickAfter(now)
			.orElseThrow(() -> new IllegalArgumentException(
					"Schedule '" + schedule.name() + "' never fires after " + now + "; check its cron expression"));
		this.store.saveSchedule(ScheduleRecords.record(schedule, input, next));
	}

	@Override
	public boolean unschedule(String name) {
		Objects.requireNonNull(name, "name");
		return this.store.deleteSchedule(name);
	}

	@Override
	public List<ScheduleInfo> schedules() {
		return this.store.schedules().stream().map(ScheduleRecords::info).toList();
	}

	@Override
	public void launch() {
		this.runtime.launch();
		this.retention.start();
		this.ticks.start();
	}

	@Override
	public String nodeId() {
		return this.settings.nodeId();
	}

	@Override
	public Clock clock() {
		return this.settings.clock();
	}

	@Override
	public void close() {
		this.ticks.close();
		this.retention.close();
		this.runtime.shutdown();
	}

	private StoredInstance load(String instanceId) {
		Objects.requireNonNull(instanceId, "instanceId");
		return this.store.load(instanceId).orElseThrow(() -> new InstanceNotFoundException(instanceId));
	}

	private void requireLaunched() {
		this.runtime.lifecycle().requireOpen();
	}

	@Override
	public int activeInstances() {
		return this.runtime.activeCount();
	}

	@Override
	public int busyWorkers() {
		return this.runtime.busyWorkers();
	}

	@Override
	public String toString() {
		return "Orchestrator[node=" + nodeId() + ", workflows=" + this.registry.keys() + "]";
	}

}
