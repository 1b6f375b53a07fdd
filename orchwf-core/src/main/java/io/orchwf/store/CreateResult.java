package io.orchwf.store;

import java.util.Objects;

/**
 * The outcome of {@link StateStore#create}.
 *
 * @param instanceId the id of the created instance, or of the existing instance that
 * already holds the idempotency key
 * @param created {@code true} if a new instance was stored
 */
public record CreateResult(String instanceId, boolean created) {

	/**
	 * Create a result.
	 * @param instanceId the instance id
	 * @param created whether a new instance was stored
	 */
	public CreateResult {
		Objects.requireNonNull(instanceId, "instanceId");
	}

}
