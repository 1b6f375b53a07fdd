package io.orchwf.store;

import java.util.Map;
import java.util.Objects;

import io.orchwf.event.WorkflowEvent;

/**
 * A signal one instance sends another as part of a transition, stored as
 * {@link StateStore#addSignal} stores one: a finished child workflow tells its parent. A
 * delivery to an instance that does not exist or has finished is dropped.
 *
 * @param instanceId the receiving instance
 * @param name the signal name
 * @param payload the payload, JSON values
 * @param event the receiver's {@code SIGNAL_RECEIVED} event
 */
public record SignalDelivery(String instanceId, String name, Map<String, Object> payload, WorkflowEvent event) {

	/**
	 * Create a delivery.
	 * @param instanceId the receiver
	 * @param name the signal name
	 * @param payload the payload
	 * @param event the receiver's event
	 */
	public SignalDelivery {
		Objects.requireNonNull(instanceId, "instanceId");
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(payload, "payload");
		Objects.requireNonNull(event, "event");
	}

}
