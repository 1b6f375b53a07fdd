package io.orchwf.store;

import java.util.List;
import java.util.Objects;

import io.orchwf.event.WorkflowEvent;

/**
 * One transition of one instance: its new state, the step rows it changes and the events
 * it records. A store applies it only if the instance's fence still equals {@code fence}.
 *
 * @param instanceId the instance
 * @param fence the fence the writer claimed the instance with
 * @param state the instance's new state
 * @param releaseLease whether the writer gives up its lease with this write (the instance
 * waits, finished, or the node shuts down)
 * @param steps the changed step rows, whole
 * @param events the events to append to the instance's history, in order
 */
public record InstanceUpdate(String instanceId, long fence, InstanceState state, boolean releaseLease,
		List<StepRecord> steps, List<WorkflowEvent> events) {

	/**
	 * Create an update.
	 * @param instanceId the instance
	 * @param fence the writer's fence
	 * @param state the new state
	 * @param releaseLease whether the lease is released
	 * @param steps the changed step rows
	 * @param events the events to append
	 */
	public InstanceUpdate {
		Objects.requireNonNull(instanceId, "instanceId");
		Objects.requireNonNull(state, "state");
		steps = List.copyOf(steps);
		events = List.copyOf(events);
	}

}
