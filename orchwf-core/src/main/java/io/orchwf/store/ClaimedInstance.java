package io.orchwf.store;

import java.util.List;
import java.util.Objects;

/**
 * An instance a node has just claimed, with everything it needs to drive it, read in the
 * claim's own transaction: its row (leased to the node), its steps and its signals.
 *
 * @param instance the instance row, as the claim left it
 * @param steps its step rows, in definition order
 * @param signals the signals it has received, in arrival order
 */
public record ClaimedInstance(InstanceRecord instance, List<StepRecord> steps, List<SignalRecord> signals) {

	/**
	 * Create a claimed instance.
	 * @param instance the instance row
	 * @param steps its step rows
	 * @param signals its signals
	 */
	public ClaimedInstance {
		Objects.requireNonNull(instance, "instance");
		steps = List.copyOf(steps);
		signals = List.copyOf(signals);
	}

}
