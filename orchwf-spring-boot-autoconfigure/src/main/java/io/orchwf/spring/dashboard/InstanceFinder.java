package io.orchwf.spring.dashboard;

import java.util.Objects;
import java.util.Optional;

import io.orchwf.Orchestrator;
import io.orchwf.Page;
import io.orchwf.WorkflowInstance;
import io.orchwf.store.StateStore;
import io.orchwf.store.StoredInstance;

/**
 * Finds one instance by what an operator has at hand: its id, or the idempotency key it
 * was started with (which the stores look up by their index of keys).
 */
final class InstanceFinder {

	private final Orchestrator orchestrator;

	private final StateStore store;

	InstanceFinder(Orchestrator orchestrator, StateStore store) {
		this.orchestrator = orchestrator;
		this.store = store;
	}

	/**
	 * Find an instance by id.
	 * @param instanceId the id
	 * @return the instance, or empty if there is none, which includes an id the store
	 * could never hold (one that is not a UUID, for the JDBC store)
	 */
	Optional<WorkflowInstance> byId(String instanceId) {
		try {
			return this.orchestrator.status(instanceId);
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Find an instance by id, else by idempotency key, among those that match a query's
	 * other filters.
	 * @param query the query with its id or key
	 * @return the instance, or empty
	 */
	Optional<WorkflowInstance> byIdOrKey(ListQuery query) {
		String idOrKey = Objects.requireNonNull(query.idOrKey());
		Optional<WorkflowInstance> byId = byId(idOrKey);
		if (byId.isPresent()) {
			return byId;
		}
		Page<StoredInstance> byKey = this.store.list(query.filter().toBuilder().idempotencyKey(idOrKey).build(), 1, 0);
		return byKey.items().stream().findFirst().flatMap((stored) -> byId(stored.instance().id()));
	}

	/**
	 * The idempotency key an instance was started with.
	 * @param instanceId the instance
	 * @return the key, or empty if it has none
	 */
	Optional<String> idempotencyKey(String instanceId) {
		try {
			return this.store.load(instanceId).map((stored) -> stored.instance().idempotencyKey());
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

}
