package io.orchwf.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import io.orchwf.event.WorkflowEvent;

/**
 * One transition of one instance: its new state, the step rows it changes and the events
 * it records. A store applies it only if the instance's fence still equals {@code fence}.
 *
 * @param instanceId the instance
 * @param fence the fence the writer claimed the instance with
 * @param at when the engine decided the transition, by its clock: a store that keeps a
 * time of its own with the write (when a row was updated, when a parked instance with
 * unseen signals becomes due) takes this one, never its own clock's
 * @param state the instance's new state
 * @param releaseLease whether the writer gives up its lease with this write (the instance
 * waits, finished, or the node shuts down)
 * @param steps the changed step rows, whole
 * @param events the events to append to the instance's history, in order
 * @param signalsSeen how many signals of the instance the writer took into account: if it
 * releases the lease of an unfinished instance that has received more, the instance
 * becomes claimable at once, so that a signal that arrived while it was being parked is
 * not missed
 * @param deliveries signals to other instances, stored with this transition or not at all
 * (a finished child workflow tells its parent)
 * @param stateChanged whether {@code state} differs from the state the writer stored
 * last; if it does not, and the lease is kept, a store may leave the instance row as it
 * is (it must still check the fence, and hold the instance against other writers until
 * the update is applied)
 */
public record InstanceUpdate(String instanceId, long fence, Instant at, InstanceState state, boolean releaseLease,
		List<StepRecord> steps, List<WorkflowEvent> events, long signalsSeen, List<SignalDelivery> deliveries,
		boolean stateChanged) {

	/** The {@code signalsSeen} of a writer that does not wait for signals. */
	public static final long SIGNALS_IGNORED = Long.MAX_VALUE;

	/**
	 * Create an update.
	 * @param instanceId the instance
	 * @param fence the writer's fence
	 * @param at when the transition was decided
	 * @param state the new state
	 * @param releaseLease whether the lease is released
	 * @param steps the changed step rows
	 * @param events the events to append
	 * @param signalsSeen the signals the writer took into account
	 * @param deliveries signals to other instances
	 * @param stateChanged whether the state differs from the one stored last
	 */
	public InstanceUpdate {
		Objects.requireNonNull(instanceId, "instanceId");
		Objects.requireNonNull(at, "at");
		Objects.requireNonNull(state, "state");
		steps = List.copyOf(steps);
		events = List.copyOf(events);
		deliveries = List.copyOf(deliveries);
	}

	/**
	 * Create an update whose state may have changed.
	 * @param instanceId the instance
	 * @param fence the writer's fence
	 * @param at when the transition was decided
	 * @param state the new state
	 * @param releaseLease whether the lease is released
	 * @param steps the changed step rows
	 * @param events the events to append
	 * @param signalsSeen the signals the writer took into account
	 * @param deliveries signals to other instances
	 */
	public InstanceUpdate(String instanceId, long fence, Instant at, InstanceState state, boolean releaseLease,
			List<StepRecord> steps, List<WorkflowEvent> events, long signalsSeen, List<SignalDelivery> deliveries) {
		this(instanceId, fence, at, state, releaseLease, steps, events, signalsSeen, deliveries, true);
	}

	/**
	 * Create an update of a writer that does not wait for signals and sends none, whose
	 * state may have changed.
	 * @param instanceId the instance
	 * @param fence the writer's fence
	 * @param at when the transition was decided
	 * @param state the new state
	 * @param releaseLease whether the lease is released
	 * @param steps the changed step rows
	 * @param events the events to append
	 */
	public InstanceUpdate(String instanceId, long fence, Instant at, InstanceState state, boolean releaseLease,
			List<StepRecord> steps, List<WorkflowEvent> events) {
		this(instanceId, fence, at, state, releaseLease, steps, events, SIGNALS_IGNORED, List.of(), true);
	}

}
