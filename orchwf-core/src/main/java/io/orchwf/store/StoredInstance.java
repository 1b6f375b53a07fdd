package io.orchwf.store;

import java.util.List;
import java.util.Objects;

/**
 * An instance row with its step rows.
 *
 * @param instance the instance row
 * @param steps its step rows, in definition order
 */
public record StoredInstance(InstanceRecord instance, List<StepRecord> steps) {

	/**
	 * Create a stored instance.
	 * @param instance the instance row
	 * @param steps its step rows, in definition order
	 */
	public StoredInstance {
		Objects.requireNonNull(instance, "instance");
		steps = List.copyOf(steps);
	}

}
