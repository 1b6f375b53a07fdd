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
 * @param signalCounts how many signals each instance the node still holds has received,
 * for those that have received any, so that the node notices signals sent through another
 * node
 */
public record LeaseRenewal(Set<String> lost, Map<String, String> cancelRequests, Map<String, Long> signalCounts) {

	/**
	 * Create a renewal outcome.
	 * @param lost the leases the node lost
	 * @param cancelRequests pending cancellations of the leases it holds
	 * @param signalCounts the signal counts of the instances it holds
	 */
	public LeaseRenewal {
		lost = Set.copyOf(lost);
		cancelRequests = Map.copyOf(cancelRequests);
		signalCounts = Map.copyOf(signalCounts);
	}

	/**
	 * Create a renewal outcome without signal counts.
	 * @param lost the leases the node lost
	 * @param cancelRequests pending cancellations of the leases it holds
	 */
	public LeaseRenewal(Set<String> lost, Map<String, String> cancelRequests) {
		this(lost, cancelRequests, Map.of());
	}

}
