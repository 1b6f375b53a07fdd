package io.orchwf.store;

import java.util.Map;
import java.util.Set;

/**
 * The outcome of {@link StateStore#renewLeases}.
 *
 * @param lost the instances whose lease the node no longer holds; it must stop driving
 * them
 * @param cancelRequests cancellations requested for instances the node still holds,
 * instance id to reason
 */
public record LeaseRenewal(Set<String> lost, Map<String, String> cancelRequests) {

	/**
	 * Create a renewal outcome.
	 * @param lost the leases the node lost
	 * @param cancelRequests pending cancellations of the leases it holds
	 */
	public LeaseRenewal {
		lost = Set.copyOf(lost);
		cancelRequests = Map.copyOf(cancelRequests);
	}

}
