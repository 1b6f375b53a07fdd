package io.orchwf.store.memory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

import io.orchwf.Page;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.internal.json.JsonValues;
import io.orchwf.internal.json.TextFlaw;
import io.orchwf.store.ClaimedInstance;
import io.orchwf.store.ConcurrencySlots;
import io.orchwf.store.CreateResult;
import io.orchwf.store.FlowControl;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.InstanceState;
import io.orchwf.store.InstanceUpdate;
import io.orchwf.store.LeaseRenewal;
import io.orchwf.store.ScheduleRecord;
import io.orchwf.store.SignalDelivery;
import io.orchwf.store.SignalRecord;
import io.orchwf.store.StateStore;
import io.orchwf.store.StepRecord;
import io.orchwf.store.StoredInstance;
import io.orchwf.store.WorkflowKey;
import org.jspecify.annotations.Nullable;

/**
 * A {@link StateStore} in the heap of this JVM: for tests, development and workflows that
 * need not survive a restart.
 *
 * <p>
 * It keeps the semantics of the JDBC store, so that code tested on it behaves the same in
 * production: values are stored as JSON would store them (maps with string keys, lists,
 * strings, numbers as {@code Integer}/{@code Long}/{@code BigInteger}/{@code Double},
 * booleans, nulls) and anything JSON cannot hold is rejected; stored values are copies,
 * immutable, so neither the caller nor a step can change what is stored; times keep
 * microseconds; leases, fences and claims work as they do in a database, so several
 * orchestrators in one JVM can share an instance of it as several nodes share a database.
 * Every method is atomic.
 *
 * <p>
 * Unlike a database, the heap is not the place to keep every instance ever run: the store
 * keeps the {@linkplain #InMemoryStateStore(int) most recently finished} instances (by
 * default {@value #DEFAULT_MAX_FINISHED_INSTANCES}) with their steps, history and
 * signals, and forgets older finished ones, so that a long-running application on this
 * store holds memory for the instances it runs, not for all it has run. Unfinished
 * instances are always kept. The bound is kept small on purpose: finished instances that
 * live long enough to be promoted to the old generation and die there cost the garbage
 * collector far more than the engine's own work (ten times as many made a chain of no-op
 * steps more than twice as slow).
 */
public class InMemoryStateStore implements StateStore {

	/**
	 * How many finished instances a store created with the no-argument constructor keeps.
	 */
	public static final int DEFAULT_MAX_FINISHED_INSTANCES = 1_000;

	private final int maxFinishedInstances;

	/** The ids of the finished instances kept, the earliest finished first. */
	private final Set<String> finished = new LinkedHashSet<>();

	private final Map<String, InstanceRecord> instances = new LinkedHashMap<>();

	private final Map<String, Map<String, StepRecord>> steps = new HashMap<>();

	private final Map<String, List<WorkflowEvent>> events = new HashMap<>();

	private final Map<String, List<SignalRecord>> signals = new HashMap<>();

	private final Map<String, String> idempotencyKeys = new HashMap<>();

	/** The schedules, by name. */
	private final Map<String, ScheduleRecord> schedules = new TreeMap<>();

	/** Until when each node's leases last; the instance rows only name their owner. */
	private final Map<String, Instant> nodes = new HashMap<>();

	private long signalSequence;

	/**
	 * Create an empty store that keeps the {@value #DEFAULT_MAX_FINISHED_INSTANCES} most
	 * recently finished instances.
	 */
	public InMemoryStateStore() {
		this(DEFAULT_MAX_FINISHED_INSTANCES);
	}

	/**
	 * Create an empty store that keeps the given number of the most recently finished
	 * instances (completed, failed or cancelled) and forgets older ones, as if they had
	 * been deleted from a database: they can no longer be loaded, listed or counted, and
	 * their idempotency keys may start new instances.
	 * @param maxFinishedInstances how many finished instances to keep at most, zero or
	 * more
	 */
	public InMemoryStateStore(int maxFinishedInstances) {
		if (maxFinishedInstances < 0) {
			throw new IllegalArgumentException("maxFinishedInstances must be zero or more, but was "
					+ maxFinishedInstances + "; use 0 to keep no finished instance");
		}
		this.maxFinishedInstances = maxFinishedInstances;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * As the JDBC store does, this store refuses the character U+0000 and unpaired
	 * surrogates in strings and keys, so that a value tested here is one a database
	 * takes.
	 */
	@Override
	public void checkValue(Map<String, Object> value, String what) {
		TextFlaw flaw = TextFlaw.in(value);
		if (flaw != null) {
			throw new IllegalArgumentException(flaw.describe(what));
		}
	}

	@Override
	public synchronized CreateResult create(InstanceRecord instance, List<StepRecord> steps,
			List<WorkflowEvent> events) {
		String key = instance.idempotencyKey();
		if (key != null && this.idempotencyKeys.containsKey(key)) {
			return new CreateResult(this.idempotencyKeys.get(key), false);
		}
		if (this.instances.containsKey(instance.id())) {
			throw new IllegalStateException("An instance with id " + instance.id() + " exists already");
		}
		InstanceRecord stored = copy(instance).withLease(instance.leaseOwner(), null);
		String owner = instance.leaseOwner();
		Instant leaseExpiresAt = micros(instance.leaseExpiresAt());
		if (owner != null && leaseExpiresAt != null) {
			Instant expiry = this.nodes.get(owner);
			if (expiry == null || expiry.isBefore(stored.createdAt())) {
				this.nodes.put(owner, leaseExpiresAt);
			}
		}
		Map<String, StepRecord> stepRows = new LinkedHashMap<>();
		for (StepRecord step : steps) {
			stepRows.put(step.stepId(), copy(step));
		}
		List<WorkflowEvent> history = new ArrayList<>();
		events.forEach((event) -> history.add(copy(event)));
		this.instances.put(stored.id(), stored);
		this.steps.put(stored.id(), stepRows);
		this.events.put(stored.id(), history);
		if (key != null) {
			this.idempotencyKeys.put(key, stored.id());
		}
		return new CreateResult(stored.id(), true);
	}

	@Override
	public synchronized Set<String> apply(List<InstanceUpdate> updates) {
		// validate and copy everything first, so that a bad value changes nothing; the
		// engine's values need no copy, and most groups are one transition: no list then
		List<InstanceUpdate> copies = updates;
		for (int i = 0; i < updates.size(); i++) {
			InstanceUpdate copied = copy(updates.get(i));
			if (copied != updates.get(i) && copies == updates) {
				copies = new ArrayList<>(updates);
			}
			if (copies != updates) {
				copies.set(i, copied);
			}
		}
		Set<String> rejected = null;
		for (int u = 0; u < copies.size(); u++) {
			InstanceUpdate update = copies.get(u);
			InstanceRecord current = this.instances.get(update.instanceId());
			if (current == null || current.fence() != update.fence()
					|| (rejected != null && rejected.contains(update.instanceId()))) {
				if (rejected == null) {
					rejected = new HashSet<>();
				}
				rejected.add(update.instanceId());
				continue;
			}
			// most transitions (a step ending, the next starting) leave the instance's
			// state as the writer stored it last
			InstanceRecord next = update.stateChanged() ? current.with(update.state()) : current;
			if (next.status().isTerminal()) {
				next = next.withCancelRequest(null, next.wakeAt());
			}
			if (update.releaseLease()) {
				next = next.withLease(null, null);
				boolean unseenSignals = signalCount(next.id()) > update.signalsSeen();
				if ((next.cancelReason() != null || unseenSignals) && !next.status().isTerminal()) {
					next = next.withCancelRequest(next.cancelReason(), micros(update.at()));
				}
			}
			if (next != current) {
				this.instances.put(next.id(), next);
			}
			Map<String, StepRecord> stepRows = this.steps.get(next.id());
			List<StepRecord> changed = update.steps();
			for (int i = 0; i < changed.size(); i++) {
				stepRows.put(changed.get(i).stepId(), changed.get(i));
			}
			List<WorkflowEvent> history = this.events.get(next.id());
			List<WorkflowEvent> added = update.events();
			for (int i = 0; i < added.size(); i++) {
				history.add(added.get(i));
			}
			for (int i = 0; i < update.deliveries().size(); i++) {
				SignalDelivery delivery = update.deliveries().get(i);
				addSignal(delivery.instanceId(), delivery.name(), delivery.payload(), delivery.event());
			}
			if (next.status().isTerminal()) {
				this.finished.add(next.id());
			}
			else if (current.status().isTerminal()) {
				this.finished.remove(next.id());
			}
		}
		forgetOldestFinished();
		return (rejected != null) ? rejected : Set.of();
	}

	private void forgetOldestFinished() {
		if (this.finished.size() <= this.maxFinishedInstances) {
			return;
		}
		Iterator<String> oldestFirst = this.finished.iterator();
		for (int excess = this.finished.size() - this.maxFinishedInstances; excess > 0; excess--) {
			String id = oldestFirst.next();
			oldestFirst.remove();
			forget(id);
		}
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Beside retention, this store forgets the oldest finished instances beyond its
	 * {@linkplain #InMemoryStateStore(int) bound}, its guard on memory.
	 */
	@Override
	public synchronized int deleteFinished(WorkflowStatus status, Instant finishedBefore, int limit) {
		if (!status.isTerminal()) {
			throw new IllegalArgumentException(status + " instances are unfinished and never deleted");
		}
		int deleted = 0;
		Iterator<String> earliestFirst = this.finished.iterator();
		while (deleted < limit && earliestFirst.hasNext()) {
			String id = earliestFirst.next();
			InstanceRecord instance = this.instances.get(id);
			Instant completedAt = (instance != null) ? instance.completedAt() : null;
			if (instance != null && instance.status() == status && completedAt != null
					&& completedAt.isBefore(finishedBefore)) {
				earliestFirst.remove();
				forget(id);
				deleted++;
			}
		}
		return deleted;
	}

	/** Drop an instance with everything it owns, as a database's delete does. */
	private void forget(String id) {
		InstanceRecord instance = this.instances.remove(id);
		this.steps.remove(id);
		this.events.remove(id);
		this.signals.remove(id);
		if (instance != null && instance.idempotencyKey() != null) {
			this.idempotencyKeys.remove(instance.idempotencyKey(), id);
		}
	}

	@Override
	public synchronized Optional<StoredInstance> load(String instanceId) {
		InstanceRecord instance = this.instances.get(instanceId);
		if (instance == null) {
			return Optional.empty();
		}
		return Optional.of(stored(instance));
	}

	private StoredInstance stored(InstanceRecord instance) {
		List<StepRecord> stepRows = new ArrayList<>(this.steps.get(instance.id()).values());
		stepRows.sort(Comparator.comparingInt(StepRecord::position));
		return new StoredInstance(withNodeLease(instance), stepRows);
	}

	/** A row as read: with its owner's lease expiry. */
	private InstanceRecord withNodeLease(InstanceRecord instance) {
		String owner = instance.leaseOwner();
		return (owner != null) ? instance.withLease(owner, this.nodes.get(owner)) : instance;
	}

	@Override
	public synchronized Page<StoredInstance> list(WorkflowFilter filter, int limit, int offset) {
		List<InstanceRecord> matching = new ArrayList<>();
		for (InstanceRecord instance : this.instances.values()) {
			if (matches(filter, instance)) {
				matching.add(instance);
			}
		}
		matching.sort(Comparator.comparing(InstanceRecord::createdAt).thenComparing(InstanceRecord::id).reversed());
		List<StoredInstance> page = new ArrayList<>();
		for (int i = offset; i < Math.min(matching.size(), offset + limit); i++) {
			page.add(stored(matching.get(i)));
		}
		return new Page<>(page, matching.size(), limit, offset);
	}

	private static boolean matches(WorkflowFilter filter, InstanceRecord instance) {
		return filter.workflowId().map(instance.workflowId()::equals).orElse(true)
				&& (filter.statuses().isEmpty() || filter.statuses().contains(instance.status()))
				&& filter.businessId().map((id) -> id.equals(instance.businessId())).orElse(true)
				&& filter.idempotencyKey().map((key) -> key.equals(instance.idempotencyKey())).orElse(true)
				&& filter.correlationId().map(instance.correlationId()::equals).orElse(true)
				&& filter.traceId().map(instance.traceId()::equals).orElse(true)
				&& filter.createdAfter().map((after) -> !instance.createdAt().isBefore(after)).orElse(true)
				&& filter.createdBefore().map(instance.createdAt()::isBefore).orElse(true);
	}

	@Override
	public synchronized Map<WorkflowStatus, Long> countByStatus(@Nullable String workflowId) {
		Map<WorkflowStatus, Long> counts = new EnumMap<>(WorkflowStatus.class);
		for (InstanceRecord instance : this.instances.values()) {
			if (workflowId == null || workflowId.equals(instance.workflowId())) {
				counts.merge(instance.status(), 1L, Long::sum);
			}
		}
		return counts;
	}

	@Override
	public synchronized Map<WorkflowKey, Long> countUnfinished() {
		Map<WorkflowKey, Long> counts = new HashMap<>();
		for (InstanceRecord instance : this.instances.values()) {
			if (!instance.status().isTerminal()) {
				counts.merge(new WorkflowKey(instance.workflowId(), instance.workflowVersion()), 1L, Long::sum);
			}
		}
		return counts;
	}

	@Override
	public synchronized long countClaimable(Instant now) {
		return this.instances.values().stream().filter((instance) -> dueAt(instance, now) != null).count();
	}

	@Override
	public synchronized Optional<Instant> earliestWakeUp() {
		Optional<Instant> instances = this.instances.values()
			.stream()
			.filter((instance) -> !instance.status().isTerminal() && instance.leaseOwner() == null)
			.map(InstanceRecord::wakeAt)
			.filter(Objects::nonNull)
			.min(Comparator.naturalOrder());
		Optional<Instant> ticks = this.schedules.values()
			.stream()
			.map(ScheduleRecord::nextFireAt)
			.min(Comparator.naturalOrder());
		return (instances.isPresent() && ticks.isPresent()) ? Optional.of(min(instances.get(), ticks.get()))
				: instances.or(() -> ticks);
	}

	private static Instant min(Instant a, Instant b) {
		return a.isBefore(b) ? a : b;
	}

	@Override
	public synchronized ScheduleRecord saveSchedule(ScheduleRecord schedule) {
		ScheduleRecord existing = this.schedules.get(schedule.name());
		if (existing != null && existing.sameDefinition(schedule)) {
			return existing;
		}
		this.schedules.put(schedule.name(), schedule);
		return schedule;
	}

	@Override
	public synchronized boolean deleteSchedule(String name) {
		return this.schedules.remove(name) != null;
	}

	@Override
	public synchronized List<ScheduleRecord> schedules() {
		return List.copyOf(this.schedules.values());
	}

	@Override
	public synchronized boolean advanceSchedule(String name, Instant expectedNextFireAt, Instant firedTick,
			Instant nextFireAt, @Nullable String startedInstanceId) {
		ScheduleRecord current = this.schedules.get(name);
		if (current == null || !current.nextFireAt().equals(expectedNextFireAt)) {
			return false;
		}
		this.schedules.put(name,
				new ScheduleRecord(name, current.workflowId(), current.cron(), current.every(), current.zone(),
						current.input(), current.overlap(), nextFireAt, firedTick,
						(startedInstanceId != null) ? startedInstanceId : current.lastInstanceId()));
		return true;
	}

	@Override
	public synchronized List<WorkflowEvent> history(String instanceId) {
		return List.copyOf(this.events.getOrDefault(instanceId, List.of()));
	}

	@Override
	public synchronized List<ClaimedInstance> claimDue(String nodeId, Collection<WorkflowKey> workflows, Instant now,
			Instant leaseExpiresAt, int limit) {
		this.nodes.put(nodeId, micros(leaseExpiresAt));
		Set<WorkflowKey> runnable = new HashSet<>(workflows);
		List<InstanceRecord> due = new ArrayList<>();
		List<InstanceRecord> queued = new ArrayList<>();
		for (InstanceRecord instance : this.instances.values()) {
			if (dueAt(instance, now) != null
					&& runnable.contains(new WorkflowKey(instance.workflowId(), instance.workflowVersion()))) {
				(waitsForSlot(instance) ? queued : due).add(instance);
			}
		}
		// orphans first, as the JDBC store takes them
		due.sort(Comparator.comparing((InstanceRecord instance) -> instance.leaseOwner() == null)
			.thenComparing((InstanceRecord instance) -> dueAt(instance, now)));
		List<ClaimedInstance> claimed = new ArrayList<>();
		for (InstanceRecord instance : due.subList(0, Math.min(limit, due.size()))) {
			claimed.add(lease(instance, nodeId));
		}
		for (InstanceRecord instance : withSlots(queued, limit - claimed.size())) {
			claimed.add(lease(instance, nodeId));
		}
		return claimed;
	}

	/**
	 * Whether an instance may start only once its workflow's limits leave it a slot: it
	 * has not started, its workflow is limited, and no cancellation (which needs no slot)
	 * is asked for it.
	 */
	private static boolean waitsForSlot(InstanceRecord instance) {
		return instance.status() == WorkflowStatus.PENDING && instance.flow().limited()
				&& instance.cancelReason() == null;
	}

	/**
	 * The queued instances that the limits of their workflows let start now, highest
	 * priority first, then oldest, one workflow's count and each key's growing with each
	 * taken.
	 */
	private List<InstanceRecord> withSlots(List<InstanceRecord> queued, int limit) {
		if (queued.isEmpty() || limit <= 0) {
			return List.of();
		}
		Map<String, ConcurrencySlots> slots = new HashMap<>();
		for (InstanceRecord instance : this.instances.values()) {
			if (holdsSlot(instance)) {
				slots.computeIfAbsent(instance.workflowId(), (id) -> new ConcurrencySlots())
					.held(instance.flow().concurrencyKey(), 1);
			}
		}
		queued.sort(Comparator.comparingInt((InstanceRecord instance) -> -instance.flow().priority())
			.thenComparing(InstanceRecord::createdAt)
			.thenComparing(InstanceRecord::id));
		List<InstanceRecord> taken = new ArrayList<>();
		for (InstanceRecord instance : queued) {
			if (taken.size() >= limit) {
				break;
			}
			if (slots.computeIfAbsent(instance.workflowId(), (id) -> new ConcurrencySlots()).take(instance.flow())) {
				taken.add(instance);
			}
		}
		return taken;
	}

	/**
	 * Whether an instance counts against its workflow's limits: started and unfinished,
	 * and started under a limit (as the JDBC store counts).
	 */
	private static boolean holdsSlot(InstanceRecord instance) {
		FlowControl flow = instance.flow();
		if (flow.maxConcurrency() == 0 && flow.maxConcurrencyPerKey() == 0) {
			return false;
		}
		return switch (instance.status()) {
			case RUNNING, WAITING, COMPENSATING -> true;
			case PENDING -> instance.leaseOwner() != null;
			default -> false;
		};
	}

	private ClaimedInstance lease(InstanceRecord instance, String nodeId) {
		InstanceRecord leased = instance.leasedTo(nodeId, null).withLease(nodeId, null);
		this.instances.put(leased.id(), leased);
		StoredInstance stored = stored(leased);
		return new ClaimedInstance(stored.instance(), stored.steps(), signals(leased.id()));
	}

	/**
	 * When an instance became claimable: its due wake-up, or the expiry of its owner's
	 * leases.
	 */
	private @Nullable Instant dueAt(InstanceRecord instance, Instant now) {
		if (instance.status().isTerminal()) {
			return null;
		}
		if (instance.leaseOwner() == null) {
			return (instance.wakeAt() != null && !instance.wakeAt().isAfter(now)) ? instance.wakeAt() : null;
		}
		Instant expiry = this.nodes.getOrDefault(instance.leaseOwner(), Instant.EPOCH);
		return expiry.isBefore(now) ? expiry : null;
	}

	@Override
	public synchronized Optional<ClaimedInstance> claim(String instanceId, String nodeId, Instant now,
			Instant leaseExpiresAt, boolean finished) {
		this.nodes.put(nodeId, micros(leaseExpiresAt));
		InstanceRecord instance = this.instances.get(instanceId);
		if (instance == null || !isFree(instance, now) || (!finished && instance.status().isTerminal())
				|| (instance.leaseOwner() == null && waitsForSlot(instance))) {
			// an instance waiting for a slot is taken by claimDue, which counts the slots
			return Optional.empty();
		}
		return Optional.of(lease(instance, nodeId));
	}

	private boolean isFree(InstanceRecord instance, Instant now) {
		return instance.leaseOwner() == null
				|| this.nodes.getOrDefault(instance.leaseOwner(), Instant.EPOCH).isBefore(now);
	}

	@Override
	public synchronized LeaseRenewal renewLeases(String nodeId, Collection<String> instanceIds,
			Instant leaseExpiresAt) {
		this.nodes.put(nodeId, micros(leaseExpiresAt));
		Set<String> lost = new HashSet<>();
		Map<String, String> cancelRequests = new HashMap<>();
		Map<String, Long> signalCounts = new HashMap<>();
		for (String id : instanceIds) {
			InstanceRecord instance = this.instances.get(id);
			if (instance == null || !nodeId.equals(instance.leaseOwner())) {
				lost.add(id);
				continue;
			}
			if (instance.cancelReason() != null) {
				cancelRequests.put(id, instance.cancelReason());
			}
			if (signalCount(id) > 0) {
				signalCounts.put(id, signalCount(id));
			}
		}
		return new LeaseRenewal(lost, cancelRequests, signalCounts);
	}

	@Override
	public synchronized void releaseLeases(String nodeId, Collection<String> instanceIds, Instant now, Instant wakeAt) {
		for (String id : instanceIds) {
			InstanceRecord instance = this.instances.get(id);
			if (instance != null && nodeId.equals(instance.leaseOwner())) {
				// a new fence: a write of the releasing node still on its way is rejected
				InstanceRecord released = instance.leasedTo(nodeId, null).withLease(null, null);
				if (!released.status().isTerminal()) {
					released = released.withCancelRequest(released.cancelReason(), micros(wakeAt));
				}
				this.instances.put(id, released);
			}
		}
	}

	@Override
	public synchronized boolean requestCancel(String instanceId, String reason, Instant now) {
		InstanceRecord instance = this.instances.get(instanceId);
		if (instance == null || instance.status().isTerminal()) {
			return false;
		}
		Instant wakeAt = isFree(instance, now) ? now : instance.wakeAt();
		this.instances.put(instanceId, instance.withCancelRequest(reason, wakeAt));
		return true;
	}

	@Override
	public synchronized boolean addSignal(String instanceId, String name, Map<String, Object> payload,
			WorkflowEvent event) {
		InstanceRecord instance = this.instances.get(instanceId);
		if (instance == null || instance.status().isTerminal()) {
			return false;
		}
		Instant receivedAt = event.timestamp().truncatedTo(ChronoUnit.MICROS);
		SignalRecord signal = new SignalRecord(++this.signalSequence, name,
				JsonValues.object(payload, "signal payload"), receivedAt);
		this.signals.computeIfAbsent(instanceId, (id) -> new ArrayList<>()).add(signal);
		this.events.get(instanceId).add(copy(event));
		if (instance.status() == WorkflowStatus.WAITING && isFree(instance, receivedAt)) {
			// the signal wakes it
			this.instances.put(instanceId, instance.withCancelRequest(instance.cancelReason(), receivedAt));
		}
		return true;
	}

	private long signalCount(String instanceId) {
		return this.signals.getOrDefault(instanceId, List.of()).size();
	}

	@Override
	public synchronized List<SignalRecord> signals(String instanceId) {
		return List.copyOf(this.signals.getOrDefault(instanceId, List.of()));
	}

	@Override
	public synchronized List<SignalRecord> signals(String instanceId, String name) {
		List<SignalRecord> received = new ArrayList<>();
		for (SignalRecord signal : this.signals.getOrDefault(instanceId, List.of())) {
			if (signal.name().equals(name)) {
				received.add(signal);
			}
		}
		return received;
	}

	/**
	 * How many finished instances the store keeps at most.
	 * @return the bound given at construction
	 */
	public int maxFinishedInstances() {
		return this.maxFinishedInstances;
	}

	/**
	 * How many instances the store holds.
	 * @return the instance count
	 */
	public synchronized int size() {
		return this.instances.size();
	}

	private static @Nullable Instant micros(@Nullable Instant instant) {
		return (instant != null) ? instant.truncatedTo(ChronoUnit.MICROS) : null;
	}

	private static InstanceRecord copy(InstanceRecord instance) {
		return new InstanceRecord(instance.id(), instance.workflowId(), instance.workflowVersion(), instance.status(),
				JsonValues.object(instance.input(), "input"), JsonValues.object(instance.output(), "output"),
				instance.error(), JsonValues.object(instance.metadata(), "metadata"), instance.traceId(),
				instance.correlationId(), instance.businessId(), instance.idempotencyKey(),
				micros(instance.createdAt()), micros(instance.startedAt()), micros(instance.completedAt()),
				micros(instance.wakeAt()), instance.leaseOwner(), micros(instance.leaseExpiresAt()), instance.fence(),
				instance.cancelReason(), instance.flow());
	}

	// the copies below keep a value as it is when it is already normalized (an immutable
	// JSON object, timestamps in microseconds): what the engine hands over usually is,
	// and
	// copying it again would only make garbage

	private static StepRecord copy(StepRecord step) {
		if (step.output() instanceof JsonObject && isMicros(step.startedAt()) && isMicros(step.completedAt())
				&& isMicros(step.wakeAt())) {
			return step;
		}
		return new StepRecord(step.stepId(), step.position(), step.status(), step.attempts(),
				JsonValues.object(step.output(), "output of step " + step.stepId()), step.error(), step.errorType(),
				micros(step.startedAt()), micros(step.completedAt()), micros(step.wakeAt()), step.completionOrder());
	}

	private static WorkflowEvent copy(WorkflowEvent event) {
		if (event.data() instanceof JsonObject && isMicros(event.timestamp())) {
			return event;
		}
		return new WorkflowEvent(event.type(), event.instanceId(), event.workflowId(), event.stepId(), event.attempt(),
				micros(event.timestamp()), JsonValues.object(event.data(), "event data"));
	}

	private static InstanceState copy(InstanceState state) {
		if (state.output() instanceof JsonObject && isMicros(state.startedAt()) && isMicros(state.completedAt())
				&& isMicros(state.wakeAt())) {
			return state;
		}
		return new InstanceState(state.status(), JsonValues.object(state.output(), "output"), state.error(),
				micros(state.startedAt()), micros(state.completedAt()), micros(state.wakeAt()));
	}

	private static InstanceUpdate copy(InstanceUpdate update) {
		InstanceState state = copy(update.state());
		List<StepRecord> steps = copyAll(update.steps(), InMemoryStateStore::copy);
		List<WorkflowEvent> events = copyAll(update.events(), InMemoryStateStore::copy);
		if (state == update.state() && steps == update.steps() && events == update.events()
				&& update.deliveries().isEmpty()) {
			return update;
		}
		List<SignalDelivery> deliveries = new ArrayList<>(update.deliveries().size());
		for (SignalDelivery delivery : update.deliveries()) {
			deliveries.add(new SignalDelivery(delivery.instanceId(), delivery.name(),
					JsonValues.object(delivery.payload(), "signal payload"), copy(delivery.event())));
		}
		return new InstanceUpdate(update.instanceId(), update.fence(), update.at(), state, update.releaseLease(), steps,
				events, update.signalsSeen(), deliveries, update.stateChanged());
	}

	/** The list itself when copying changes none of its elements, else a new list. */
	private static <T> List<T> copyAll(List<T> values, UnaryOperator<T> copy) {
		List<T> copies = null;
		for (int i = 0; i < values.size(); i++) {
			T value = values.get(i);
			T copied = copy.apply(value);
			if (copied != value && copies == null) {
				copies = new ArrayList<>(values.subList(0, i));
			}
			if (copies != null) {
				copies.add(copied);
			}
		}
		return (copies != null) ? copies : values;
	}

	private static boolean isMicros(@Nullable Instant instant) {
		return instant == null || instant.getNano() % 1000 == 0;
	}

}
