package io.orchwf.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.orchwf.Page;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import org.jspecify.annotations.Nullable;

/**
 * Where workflow instances, their steps, their history and their signals are kept: the
 * SPI that the in-memory and JDBC stores implement.
 *
 * <p>
 * Every method is one atomic unit (one transaction in a database). The engine calls
 * {@link #apply} with transitions of many instances at once, so a store can commit them
 * together (group commit). Values ({@code input}, {@code output}, payloads) are maps of
 * JSON values: strings, numbers, booleans, nulls, lists and maps with string keys; a
 * store keeps them as JSON would.
 *
 * <p>
 * Leases make one node at a time drive an instance. A node claims instances
 * ({@link #claimDue}, {@link #claim}), which increments their fence; it renews its leases
 * ({@link #renewLeases}); each of its writes carries the fence it claimed with, and a
 * store rejects a write whose fence is stale. A store may keep one lease expiry per node
 * rather than per instance (the shipped stores do): every claim and renewal of a node
 * then extends all the leases it holds, and all of them expire together when it stops
 * renewing. Times are the calling node's clock, so the nodes' clocks must agree to well
 * within a lease duration (keep them synchronized with NTP).
 */
public interface StateStore {

	/**
	 * Store a new instance with its steps and first events, unless its idempotency key is
	 * taken. An instance created with a lease owner is leased to that node until its
	 * {@code leaseExpiresAt} (or later, if the node's leases last longer).
	 * @param instance the instance row
	 * @param steps its step rows, in definition order
	 * @param events its first events
	 * @return the new instance's id, or the id of the instance holding the same
	 * idempotency key (then nothing is written)
	 */
	CreateResult create(InstanceRecord instance, List<StepRecord> steps, List<WorkflowEvent> events);

	/**
	 * Apply transitions of one or more instances, all or nothing except for fenced-out
	 * instances: an update whose fence no longer matches is skipped, the others are
	 * applied. An update that releases the lease of an instance with a pending
	 * cancellation request, or that has received more signals than the writer has seen,
	 * makes it claimable at once, whatever its {@code wakeAt}; an update to a terminal
	 * state clears a pending cancellation request. The update's signal deliveries are
	 * stored with it.
	 * @param updates the transitions; several for one instance apply in list order
	 * @return the ids of the instances whose updates were rejected because their fence is
	 * stale; their writer must stop driving them
	 */
	Set<String> apply(List<InstanceUpdate> updates);

	/**
	 * Read an instance with its steps.
	 * @param instanceId the instance id
	 * @return the instance, or empty if there is none
	 */
	Optional<StoredInstance> load(String instanceId);

	/**
	 * Read an instance without its steps: what a signal or a view of the instance's state
	 * needs.
	 * @param instanceId the instance id
	 * @return the instance, or empty if there is none
	 */
	default Optional<InstanceRecord> loadInstance(String instanceId) {
		return load(instanceId).map(StoredInstance::instance);
	}

	/**
	 * List instances matching a filter, newest first.
	 * @param filter the criteria
	 * @param limit the page size, at least 1
	 * @param offset how many matching instances to skip
	 * @return the page, with the total number of matches
	 */
	Page<StoredInstance> list(WorkflowFilter filter, int limit, int offset);

	/**
	 * Count instances by state.
	 * @param workflowId only this workflow, or {@code null} for all
	 * @return the count of each state that has instances
	 */
	Map<WorkflowStatus, Long> countByStatus(@Nullable String workflowId);

	/**
	 * Count the unfinished instances of each workflow version, to find those no node can
	 * run because their version is not registered.
	 * @return the count of instances that are neither completed, failed nor cancelled, by
	 * workflow version; versions without any are absent
	 */
	Map<WorkflowKey, Long> countUnfinished();

	/**
	 * Count the instances that wait to be claimed: due wake-ups without a lease, and
	 * leases that expired.
	 * @param now the current time
	 * @return the backlog
	 */
	long countClaimable(Instant now);

	/**
	 * The earliest wake-up of the unfinished instances no node holds (a timer, a retry, a
	 * wait's deadline or a deferred start, due or not) and of the schedules (their next
	 * tick). A test kit that skips time moves its clock there once nothing runs.
	 * @return the earliest wake-up, or empty if no unleased instance waits for a time and
	 * there is no schedule
	 */
	Optional<Instant> earliestWakeUp();

	/**
	 * Read an instance's history.
	 * @param instanceId the instance id
	 * @return its events in the order they were stored; empty if there are none
	 */
	List<WorkflowEvent> history(String instanceId);

	/**
	 * Claim claimable instances of the given workflows, oldest due first: unleased ones
	 * whose {@code wakeAt} is due, and running or compensating ones whose lease expired.
	 * Claimed rows get the node as owner and their fence incremented.
	 * @param nodeId the claiming node
	 * @param workflows the workflow versions the node can run
	 * @param now the current time
	 * @param leaseExpiresAt when the new leases end
	 * @param limit the most instances to claim
	 * @return the claimed instances, as updated, with their steps and signals
	 */
	List<ClaimedInstance> claimDue(String nodeId, Collection<WorkflowKey> workflows, Instant now,
			Instant leaseExpiresAt, int limit);

	/**
	 * Claim one instance, whatever its {@code wakeAt}, if no live node holds a lease on
	 * it.
	 * @param instanceId the instance
	 * @param nodeId the claiming node
	 * @param now the current time
	 * @param leaseExpiresAt when the new lease ends
	 * @param finished whether a finished instance may be claimed too (to resume a failed
	 * one); if not, only an unfinished one is
	 * @return the claimed instance, with its steps and signals, or empty if it does not
	 * exist, is finished (and {@code finished} is false), or a live node holds it
	 */
	Optional<ClaimedInstance> claim(String instanceId, String nodeId, Instant now, Instant leaseExpiresAt,
			boolean finished);

	/**
	 * Claim several unfinished instances, whatever their {@code wakeAt}, in one
	 * transaction: those no live node holds, as {@link #claim} claims each. Instances
	 * locked by another claim at that moment are left out, not waited for.
	 * @param instanceIds the instances
	 * @param nodeId the claiming node
	 * @param now the current time
	 * @param leaseExpiresAt when the new leases end
	 * @return the claimed instances, with their steps and signals; those that do not
	 * exist, have finished or are held by a live node are absent
	 */
	default List<ClaimedInstance> claimAll(Collection<String> instanceIds, String nodeId, Instant now,
			Instant leaseExpiresAt) {
		List<ClaimedInstance> claimed = new ArrayList<>(instanceIds.size());
		for (String instanceId : instanceIds) {
			claim(instanceId, nodeId, now, leaseExpiresAt, false).ifPresent(claimed::add);
		}
		return claimed;
	}

	/**
	 * Extend the leases a node holds.
	 * @param nodeId the node
	 * @param instanceIds the instances it believes it holds
	 * @param leaseExpiresAt the new end of the leases
	 * @return the leases it lost, and cancellations requested and signal counts of those
	 * it keeps
	 */
	LeaseRenewal renewLeases(String nodeId, Collection<String> instanceIds, Instant leaseExpiresAt);

	/**
	 * Hand back leases without changing the instances' state, making them claimable at
	 * the given time (a node that stops without finishing its work, or gives up on an
	 * instance whose writes the store refused). The fence moves on, so that a write of
	 * the releasing node still on its way is rejected. Leases the node does not hold are
	 * left alone.
	 * @param nodeId the node giving the leases up
	 * @param instanceIds the instances
	 * @param now the time of the engine's clock
	 * @param wakeAt when they become claimable: now, or later to let a fault pass
	 */
	void releaseLeases(String nodeId, Collection<String> instanceIds, Instant now, Instant wakeAt);

	/**
	 * Ask for an instance to be cancelled by whichever node drives it. An unleased
	 * instance becomes claimable at once.
	 * @param instanceId the instance
	 * @param reason why
	 * @param now the current time
	 * @return {@code false} if the instance does not exist or has finished
	 */
	boolean requestCancel(String instanceId, String reason, Instant now);

	/**
	 * Record a signal for an instance, with its event, and count it: the instance's
	 * signal count is what {@link InstanceUpdate#signalsSeen} and
	 * {@link LeaseRenewal#signalCounts} compare with. A
	 * {@link io.orchwf.WorkflowStatus#WAITING WAITING} instance that no live node holds
	 * becomes claimable at once, so that the signal wakes it.
	 * @param instanceId the instance
	 * @param name the signal name
	 * @param payload the payload, JSON values
	 * @param event the {@code SIGNAL_RECEIVED} event to append to the history
	 * @return {@code false} if the instance does not exist or has finished (nothing is
	 * written)
	 */
	boolean addSignal(String instanceId, String name, Map<String, Object> payload, WorkflowEvent event);

	/**
	 * Record a signal for an instance known by its id alone, as {@link #addSignal} does:
	 * the event names the instance's workflow, which the store learns with the write when
	 * it can (the JDBC store on PostgreSQL writes the signal with one command that
	 * returns it), sparing a read of the instance before it. The default reads the
	 * instance, then calls {@link #addSignal}.
	 * @param instanceId the instance
	 * @param name the signal name
	 * @param payload the payload, JSON values
	 * @param event makes the {@code SIGNAL_RECEIVED} event for the history from the
	 * instance's workflow id; a store may call it more than once
	 * @return the event as stored, or empty if the instance does not exist or has
	 * finished (nothing is written)
	 */
	default Optional<WorkflowEvent> signal(String instanceId, String name, Map<String, Object> payload,
			Function<String, WorkflowEvent> event) {
		Optional<InstanceRecord> instance = loadInstance(instanceId);
		if (instance.isEmpty() || instance.get().status().isTerminal()) {
			return Optional.empty();
		}
		WorkflowEvent received = event.apply(instance.get().workflowId());
		return addSignal(instanceId, name, payload, received) ? Optional.of(received) : Optional.empty();
	}

	/**
	 * Read the signals of one name an instance received.
	 * @param instanceId the instance
	 * @param name the signal name
	 * @return the signals in arrival order
	 */
	List<SignalRecord> signals(String instanceId, String name);

	/**
	 * Read every signal an instance received.
	 * @param instanceId the instance
	 * @return the signals in arrival order; as many as its signal count
	 */
	List<SignalRecord> signals(String instanceId);

	/**
	 * Delete, in one transaction, finished instances that ended with a status before a
	 * time, with their steps, history, signals and idempotency keys: what
	 * {@link io.orchwf.Retention} asks of the store. Unfinished instances are never
	 * deleted. Instances another deletion holds at the moment are left to it, so that
	 * nodes deleting at once delete each instance once; a store may also answer 0 while
	 * another node deletes (the JDBC store on PostgreSQL lets one node at a time).
	 * @param status a finished status
	 * @param finishedBefore the instances whose {@code completedAt} is before this
	 * @param limit the most instances to delete
	 * @return how many instances were deleted; fewer than {@code limit} when no more are
	 * due, or when another node deletes them
	 * @throws UnsupportedOperationException if the store cannot delete instances (the
	 * default)
	 */
	default int deleteFinished(WorkflowStatus status, Instant finishedBefore, int limit) {
		throw new UnsupportedOperationException(getClass().getName()
				+ " does not delete instances; implement StateStore.deleteFinished or leave retention unset");
	}

	/**
	 * Create or replace the schedule of a name. A schedule of that name with the same
	 * definition ({@link ScheduleRecord#sameDefinition}) is kept as it is, with its fire
	 * times: nodes that each declare the schedule at start-up declare one schedule.
	 * @param schedule the schedule, with its first tick
	 * @return the schedule as stored now
	 * @throws UnsupportedOperationException if the store keeps no schedules (the default)
	 */
	default ScheduleRecord saveSchedule(ScheduleRecord schedule) {
		throw new UnsupportedOperationException(
				getClass().getName() + " keeps no schedules; implement the schedule methods of StateStore");
	}

	/**
	 * Delete the schedule of a name.
	 * @param name the schedule's name
	 * @return {@code true} if it existed
	 */
	default boolean deleteSchedule(String name) {
		return false;
	}

	/**
	 * Read every schedule.
	 * @return the schedules, by name; none by default
	 */
	default List<ScheduleRecord> schedules() {
		return List.of();
	}

	/**
	 * Move a schedule past a tick, if no one else did: its next tick becomes
	 * {@code nextFireAt}, and its last fire time the tick fired, only while its next tick
	 * is still {@code expectedNextFireAt}. Of the nodes that fire one tick, one advances
	 * the schedule.
	 * @param name the schedule's name
	 * @param expectedNextFireAt the next tick the caller read
	 * @param firedTick the tick the caller fired
	 * @param nextFireAt the tick after it
	 * @param startedInstanceId the instance the tick started, or {@code null} if it
	 * started none (the last started instance is then kept)
	 * @return {@code true} if this call advanced it
	 */
	default boolean advanceSchedule(String name, Instant expectedNextFireAt, Instant firedTick, Instant nextFireAt,
			@Nullable String startedInstanceId) {
		return false;
	}

	/**
	 * Deliver this store's {@link WorkNotice notices} to a listener, from now until the
	 * subscription is closed: what other nodes (and this one) wrote that one of them
	 * should act on at once. A store that sends no notices (the default; the in-memory
	 * and H2 stores) returns {@link WorkNotice.Subscription#NONE}, and nodes find the
	 * work by polling.
	 * @param listener the listener; called on the store's own thread
	 * @return the subscription, to close when the node stops
	 */
	default WorkNotice.Subscription listen(WorkNotice.Listener listener) {
		return WorkNotice.Subscription.NONE;
	}

	/**
	 * Check that the store can hold a value before the engine uses it (an input, a step
	 * output, a signal payload), so that a value that is too large fails its step or its
	 * start with a clear message instead of failing a write.
	 * @param value normalized JSON values
	 * @param what what the value is, for the message (such as {@code "output of step a"})
	 * @throws IllegalArgumentException if the store cannot hold the value
	 */
	default void checkValue(Map<String, Object> value, String what) {
	}

	/**
	 * How many threads should commit transitions at the same time, each grouping the
	 * transitions waiting at that moment (of many instances) into one {@link #apply}
	 * call. Zero means no grouping: each transition is applied on the thread that decided
	 * it, which suits stores whose writes cost no I/O.
	 * @return the number of committing threads, 0 for none
	 */
	default int writeConcurrency() {
		return 0;
	}

	/**
	 * Run an action once the transaction of the caller that just used this store commits:
	 * a store that joins its caller's transaction (see the JDBC store's
	 * {@code ConnectionProvider}) defers it to the commit and drops it on rollback; any
	 * other store runs it at once.
	 * @param action what to run, such as starting the steps of an instance just created
	 */
	default void afterCommit(Runnable action) {
		action.run();
	}

}
