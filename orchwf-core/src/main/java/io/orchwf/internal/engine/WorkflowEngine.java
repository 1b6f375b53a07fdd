package io.orchwf.internal.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.orchwf.InstanceNotFoundException;
import io.orchwf.Orchestrator;
import io.orchwf.OrchwfException;
import io.orchwf.Page;
import io.orchwf.StartOptions;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowNotFoundException;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.internal.engine.CompletionWaiters.Waiter;
import io.orchwf.internal.engine.NodeRuntime.Activation;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.internal.json.JsonValues;
import io.orchwf.internal.json.TextFlaw;
import io.orchwf.internal.plan.WorkflowPlan;
import io.orchwf.internal.plan.WorkflowRegistry;
import io.orchwf.store.CreateResult;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.StateStore;
import io.orchwf.store.StepRecord;
import io.orchwf.store.StoredInstance;
import org.jspecify.annotations.Nullable;

/**
 * The {@link Orchestrator} implementation: validates calls, creates instances, and
 * answers questions from the store; {@link NodeRuntime} does the driving.
 */
public final class WorkflowEngine implements Orchestrator {

	private static final int MAX_PAGE = 1000;

	private static final String TRACE_ID = "trace_id";

	private static final String CORRELATION_ID = "correlation_id";

	private static final String BUSINESS_ID = "business_id";

	private static final String CHILD_KEY_PREFIX = "orchwf:child:";

	private final EngineSettings settings;

	private final StateStore store;

	private final WorkflowRegistry registry;

	private final NodeRuntime runtime;

	/**
	 * Create an engine; it claims nothing until {@link #launch()}.
	 * @param settings the validated settings
	 */
	public WorkflowEngine(EngineSettings settings) {
		this.settings = settings;
		this.store = settings.store();
		this.registry = new WorkflowRegistry(settings.defaultRetryPolicy(), settings.defaultStepTimeout());
		this.runtime = new NodeRuntime(settings, this.registry, new Children());
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
				return awaitEnd(started);
			}
			return awaitEnd(waiter);
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
		JsonObject metadata = withIds(JsonValues.object(options.metadata(), "metadata"));
		this.store.checkValue(metadata, "metadata");
		for (String key : List.of(TRACE_ID, CORRELATION_ID, BUSINESS_ID)) {
			Object value = metadata.get(key);
			if (value != null && String.valueOf(value).length() > WorkflowDefinition.MAX_ID_LENGTH) {
				throw new IllegalArgumentException("metadata '" + key + "' is " + String.valueOf(value).length()
						+ " characters long; keep it to " + WorkflowDefinition.MAX_ID_LENGTH);
			}
		}
		return this.runtime.whileOpen(() -> create(plan, normalizedInput, metadata, options, id));
	}

	private String create(WorkflowPlan plan, JsonObject input, JsonObject metadata, StartOptions options, String id) {
		Instant now = this.runtime.now();
		List<StepRecord> steps = new ArrayList<>(plan.size());
		for (int i = 0; i < plan.size(); i++) {
			steps.add(StepRecord.pending(plan.step(i).id(), i));
		}
		Instant startAt = options.startAt().map((at) -> at.truncatedTo(ChronoUnit.MICROS)).orElse(null);
		boolean deferred = startAt != null && startAt.isAfter(now);
		InstanceRecord record = new InstanceRecord(id, plan.key().workflowId(), plan.key().version(),
				WorkflowStatus.PENDING, input, JsonObject.empty(), null, metadata,
				String.valueOf(metadata.get(TRACE_ID)), String.valueOf(metadata.get(CORRELATION_ID)),
				stringOrNull(metadata.get(BUSINESS_ID)), options.idempotencyKey().orElse(null), now, null, null,
				deferred ? startAt : null, deferred ? null : nodeId(),
				deferred ? null : now.plus(this.settings.leaseDuration()), deferred ? 0 : 1, null);
		if (deferred) {
			CreateResult created = this.store.create(record, steps, List.of());
			if (created.created()) {
				this.store.afterCommit(() -> this.runtime.wakeAt(id, startAt));
			}
			return created.instanceId();
		}
		InstanceRun run = new InstanceRun(this.runtime, plan, record, steps, List.of());
		Transition first = run.begin();
		InstanceRecord stored = record.with(Objects.requireNonNull(first.state()));
		if (first.releasesLease()) {
			// the instance ended in its first transition (every step skipped, say)
			stored = stored.withLease(null, null);
		}
		CreateResult created = this.store.create(stored, run.stepRecords(), first.events());
		if (!created.created()) {
			return created.instanceId();
		}
		// inside a caller's transaction, nothing runs before it commits, and nothing at
		// all if it
		// rolls back; the lease taken with the instance makes sure no other node starts
		// it meanwhile
		this.store.afterCommit(() -> {
			this.runtime.adopt(run);
			run.created(first);
		});
		return id;
	}

	private static JsonObject withIds(JsonObject metadata) {
		if (metadata.get(TRACE_ID) instanceof String && metadata.get(CORRELATION_ID) instanceof String) {
			return metadata;
		}
		Map<String, Object> withIds = new LinkedHashMap<>(metadata);
		withIds.put(TRACE_ID, stringOr(metadata.get(TRACE_ID), Ids::traceId));
		withIds.put(CORRELATION_ID, stringOr(metadata.get(CORRELATION_ID), Ids::correlationId));
		return JsonValues.object(withIds, "metadata");
	}

	private static String stringOr(@Nullable Object value, Supplier<String> fallback) {
		return (value != null) ? String.valueOf(value) : fallback.get();
	}

	private static @Nullable String stringOrNull(@Nullable Object value) {
		return (value != null) ? String.valueOf(value) : null;
	}

	@Override
	public Optional<WorkflowResult> awaitCompletion(String instanceId, Duration timeout) {
		Objects.requireNonNull(instanceId, "instanceId");
		Objects.requireNonNull(timeout, "timeout");
		Waiter waiter = this.runtime.waiters().register(instanceId);
		try {
			return awaitCompletion(waiter, current(waiter), timeout);
		}
		finally {
			this.runtime.waiters().unregister(waiter);
		}
	}

	/**
	 * Wait for an instance to finish, on this node or another, looking at the store each
	 * poll interval for the latter.
	 * @param waiter the caller's registration
	 * @param seen the instance as last seen, or {@code null} to wait before looking
	 * @param timeout how long to wait at most
	 * @return the result, or empty if the instance did not finish in time
	 */
	private Optional<WorkflowResult> awaitCompletion(Waiter waiter, @Nullable StoredInstance seen, Duration timeout) {
		long deadline = System.nanoTime() + Math.max(0, saturatedNanos(timeout));
		StoredInstance stored = seen;
		try {
			while (true) {
				if (stored != null && isFinished(stored, waiter)) {
					return Optional.of(InstanceViews.result(stored));
				}
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return Optional.empty();
				}
				StoredInstance finishedHere = waiter.await(Math.min(remaining, this.settings.pollInterval().toNanos()));
				// finished here, or look at the store: another node may have finished it
				stored = (finishedHere != null) ? finishedHere : current(waiter);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new OrchwfException("Interrupted while waiting for instance " + waiter.instanceId(), ex);
		}
	}

	/**
	 * Whether a caller may have the instance's result: it finished, and if this node
	 * drives it, the node is done with it. The store holds the last transition before the
	 * node has told the listeners of its events; the waiter hears of it after they have
	 * been, so a caller never gets the result before the events.
	 */
	private boolean isFinished(StoredInstance stored, Waiter waiter) {
		return stored.instance().status().isTerminal()
				&& (stored == waiter.finishedState() || !this.runtime.drives(waiter.instanceId()));
	}

	/** The instance as this node finished it, else as the store has it. */
	private StoredInstance current(Waiter waiter) {
		StoredInstance finishedHere = waiter.finishedState();
		if (finishedHere != null) {
			return finishedHere;
		}
		Optional<StoredInstance> stored = this.store.load(waiter.instanceId());
		if (stored.isPresent()) {
			return stored.get();
		}
		// finished here, and forgotten by the store, between the two looks
		finishedHere = waiter.finishedState();
		if (finishedHere != null) {
			return finishedHere;
		}
		throw new InstanceNotFoundException(waiter.instanceId());
	}

	private static long saturatedNanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE / 2;
		}
	}

	private WorkflowResult awaitEnd(String instanceId) {
		Waiter waiter = this.runtime.waiters().register(instanceId);
		try {
			return awaitEnd(waiter);
		}
		finally {
			this.runtime.waiters().unregister(waiter);
		}
	}

	private WorkflowResult awaitEnd(Waiter waiter) {
		while (true) {
			// the instance exists and this node drives it, or has just looked at it: no
			// need
			// to look before waiting
			Optional<WorkflowResult> result = awaitCompletion(waiter, null, this.settings.pollInterval());
			if (result.isPresent()) {
				return result.get();
			}
			if (this.runtime.isClosed()) {
				throw new IllegalStateException("The orchestrator closed before instance " + waiter.instanceId()
						+ " finished; it goes on from its stored state on another node or after a restart, "
						+ "and awaitCompletion can wait for it");
			}
		}
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
		return awaitEnd(instanceId);
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
		// stored first, so that whichever node ends up driving the instance cancels it
		if (this.store.requestCancel(instanceId, why, this.runtime.now())) {
			InstanceRun run = this.runtime.run(instanceId);
			if (run == null || !run.cancel(why)) {
				// take it over if no node holds it; otherwise its owner acts at its next
				// heartbeat
				this.runtime.claim(instanceId, Activation.RECOVER);
			}
		}
		return awaitEnd(instanceId);
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
		StoredInstance stored = load(instanceId);
		WorkflowEvent event = new WorkflowEvent(WorkflowEventType.SIGNAL_RECEIVED, instanceId,
				stored.instance().workflowId(), null, 0, this.runtime.now(),
				JsonValues.object(Map.of("name", signalName, "payload", values), "signal event"));
		if (stored.instance().status().isTerminal() || !this.store.addSignal(instanceId, signalName, values, event)) {
			WorkflowStatus status = load(instanceId).instance().status();
			throw new IllegalStateException(
					"Instance " + instanceId + " has finished (" + status + "); it accepts no more signals");
		}
		this.runtime.events().dispatch(List.of(event));
		this.runtime.signalled(instanceId);
	}

	@Override
	public List<WorkflowEvent> history(String instanceId) {
		load(instanceId);
		return this.store.history(instanceId);
	}

	@Override
	public void launch() {
		this.runtime.launch();
	}

	@Override
	public String nodeId() {
		return this.settings.nodeId();
	}

	@Override
	public void close() {
		this.runtime.shutdown();
	}

	private StoredInstance load(String instanceId) {
		Objects.requireNonNull(instanceId, "instanceId");
		return this.store.load(instanceId).orElseThrow(() -> new InstanceNotFoundException(instanceId));
	}

	private void requireLaunched() {
		if (this.runtime.isClosed()) {
			throw new IllegalStateException("The orchestrator is closed; build a new one");
		}
		if (!this.runtime.isLaunched()) {
			throw new IllegalStateException(
					"The orchestrator is not launched; call launch() once every workflow is registered");
		}
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

	/**
	 * Starts and cancels the children of child steps for the node.
	 */
	private final class Children implements ChildWorkflows {

		@Override
		public void create(InstanceRun parent, String parentStepId, String childId, String workflowId,
				JsonObject input) {
			WorkflowPlan plan = WorkflowEngine.this.registry.latest(workflowId)
				.orElseThrow(() -> new WorkflowNotFoundException(workflowId));
			WorkflowEngine.this.store.checkValue(input, "input");
			JsonObject parentMetadata = parent.metadata();
			Map<String, Object> metadata = new LinkedHashMap<>();
			for (String key : List.of(TRACE_ID, CORRELATION_ID, BUSINESS_ID)) {
				if (parentMetadata.get(key) != null) {
					metadata.put(key, parentMetadata.get(key));
				}
			}
			metadata.put(ChildLinks.PARENT_INSTANCE_ID, parent.instanceId());
			metadata.put(ChildLinks.PARENT_STEP_ID, parentStepId);
			metadata.put(ChildLinks.PARENT_WORKFLOW_ID, parent.workflowId());
			// the key makes a second start of one child (after a lost node) return it
			StartOptions options = StartOptions.builder().idempotencyKey(CHILD_KEY_PREFIX + childId).build();
			WorkflowEngine.this.runtime.whileOpen(() -> WorkflowEngine.this.create(plan, input,
					withIds(JsonValues.object(metadata, "metadata")), options, childId));
		}

		@Override
		public void cancel(String childId, String reason) {
			if (WorkflowEngine.this.store.requestCancel(childId, reason, WorkflowEngine.this.runtime.now())) {
				InstanceRun run = WorkflowEngine.this.runtime.run(childId);
				if (run == null || !run.cancel(reason)) {
					WorkflowEngine.this.runtime.claim(childId, Activation.RECOVER);
				}
			}
		}

	}

}
