package io.orchwf.internal.engine.node;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import io.orchwf.StartOptions;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowStatus;
import io.orchwf.internal.engine.run.InstanceRun;
import io.orchwf.internal.engine.run.RunHost;
import io.orchwf.internal.engine.statemachine.Transition;
import io.orchwf.internal.engine.support.Ids;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.internal.json.JsonValues;
import io.orchwf.internal.plan.WorkflowPlan;
import io.orchwf.store.CreateResult;
import io.orchwf.store.FlowControl;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.StateStore;
import io.orchwf.store.StepRecord;
import org.jspecify.annotations.Nullable;

/**
 * How an instance comes to exist: its metadata gets its ids, its first transition is
 * decided before it is stored, so that the instance, its steps and its first events are
 * one write, and only once that write commits (with the caller's transaction, if there is
 * one) does this node drive it. A deferred start is stored with its start time as its
 * wake-up instead, and a start on a node that drives as many instances as it may is
 * stored due at once, for any node to claim (on PostgreSQL another node hears of it at
 * once; this node claims it when it has room, unless another did first).
 */
public final class InstanceCreation {

	static final String TRACE_ID = "trace_id";

	static final String CORRELATION_ID = "correlation_id";

	static final String BUSINESS_ID = "business_id";

	private final EngineSettings settings;

	private final StateStore store;

	private final RunHost host;

	private final Map<String, InstanceRun> runs;

	private final Runnable startLeft;

	/**
	 * Create the node's instance creation.
	 * @param settings the engine's settings
	 * @param host the node, which drives what is created
	 * @param runs the node's runs, by instance id, where a created instance is registered
	 * once it is stored
	 * @param startLeft told of a start left for any node to claim
	 */
	InstanceCreation(EngineSettings settings, RunHost host, Map<String, InstanceRun> runs, Runnable startLeft) {
		this.settings = settings;
		this.startLeft = startLeft;
		this.store = settings.store();
		this.host = host;
		this.runs = runs;
	}

	/**
	 * An instance's metadata as it is stored: normalized, with trace and correlation ids
	 * generated when absent, checked against the store.
	 * @param metadata the caller's metadata
	 * @return the metadata to store
	 * @throws IllegalArgumentException if the store cannot hold it, or an id is too long
	 */
	public JsonObject metadata(JsonObject metadata) {
		JsonObject withIds = withIds(metadata);
		this.store.checkValue(withIds, "metadata");
		for (String key : List.of(TRACE_ID, CORRELATION_ID, BUSINESS_ID)) {
			Object value = withIds.get(key);
			if (value != null && String.valueOf(value).length() > WorkflowDefinition.MAX_ID_LENGTH) {
				throw new IllegalArgumentException("metadata '" + key + "' is " + String.valueOf(value).length()
						+ " characters long; keep it to " + WorkflowDefinition.MAX_ID_LENGTH);
			}
		}
		return withIds;
	}

	/**
	 * Create an instance; call within {@link NodeLifecycle#whileOpen}.
	 * @param plan its workflow version
	 * @param input its input, normalized and checked
	 * @param metadata its metadata, from {@link #metadata}
	 * @param options the start options
	 * @param id its id
	 * @return its id, or that of the instance with the same idempotency key
	 */
	public String create(WorkflowPlan plan, JsonObject input, JsonObject metadata, StartOptions options, String id) {
		Instant now = this.host.now();
		Instant startAt = options.startAt().map((at) -> at.truncatedTo(ChronoUnit.MICROS)).orElse(null);
		boolean deferred = startAt != null && startAt.isAfter(now);
		FlowControl flow = flow(plan.definition(), options);
		// an instance of a limited workflow starts through a claim, which counts its
		// slots
		boolean full = !deferred && (flow.limited() || this.runs.size() >= this.settings.maxActiveInstances());
		if (full) {
			startAt = now;
			deferred = true;
		}
		InstanceRecord record = new InstanceRecord(id, plan.key().workflowId(), plan.key().version(),
				WorkflowStatus.PENDING, input, JsonObject.empty(), null, metadata,
				String.valueOf(metadata.get(TRACE_ID)), String.valueOf(metadata.get(CORRELATION_ID)),
				stringOrNull(metadata.get(BUSINESS_ID)), options.idempotencyKey().orElse(null), now, null, null,
				deferred ? startAt : null, deferred ? null : this.host.nodeId(),
				deferred ? null : now.plus(this.settings.leaseDuration()), deferred ? 0 : 1, null, flow);
		if (deferred) {
			List<StepRecord> steps = new ArrayList<>(plan.size());
			for (int i = 0; i < plan.size(); i++) {
				steps.add(StepRecord.pending(plan.step(i).id(), i));
			}
			CreateResult created = this.store.create(record, steps, List.of());
			Instant wakeAt = startAt;
			if (created.created() && full) {
				this.startLeft.run();
			}
			else if (created.created()) {
				this.store.afterCommit(() -> this.host.wakeAt(id, wakeAt));
			}
			return created.instanceId();
		}
		// no step records: a new instance's steps are all pending
		InstanceRun run = new InstanceRun(this.host, plan, record, List.of(), List.of());
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
		// all
		// if it rolls back; the lease taken with the instance makes sure no other node
		// starts it meanwhile
		this.store.afterCommit(() -> {
			this.runs.put(id, run);
			run.created(first);
		});
		return id;
	}

	/** How the instance takes part in its workflow's limits. */
	private static FlowControl flow(WorkflowDefinition definition, StartOptions options) {
		return FlowControl.of(options.concurrencyKey().orElse(null), options.priority(),
				definition.maxConcurrency().orElse(0), definition.maxConcurrencyPerKey().orElse(0));
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

}
