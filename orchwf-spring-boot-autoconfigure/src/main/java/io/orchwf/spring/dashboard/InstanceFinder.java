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
 * was started with.
 *
 * <p>
 * Neither the API's filter nor the store's SPI looks instances up by idempotency key, so
 * a key is searched among the newest {@value #KEY_SEARCH_LIMIT} instances that match the
 * other filters, through the store's listing; the page says so when it finds nothing.
 */
final class InstanceFinder {

	/** How many of the newest instances a key is searched among. */
	static final int KEY_SEARCH_LIMIT = 5000;

	private static final int PAGE_SIZE = 500;

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
	 * Find an instance by id, else by idempotency key among the newest instances that
	 * match a query's other filters.
	 * @param query the query with its id or key
	 * @return the instance, or empty
	 */
	Optional<WorkflowInstance> byIdOrKey(ListQuery query) {
		String idOrKey = Objects.requireNonNull(query.idOrKey());
		Optional<WorkflowInstance> byId = byId(idOrKey);
		if (byId.isPresent()) {
			return byId;
		}
		for (int offset = 0; offset < KEY_SEARCH_LIMIT; offset += PAGE_SIZE) {
			Page<StoredInstance> page = this.store.list(query.filter(), PAGE_SIZE, offset);
			for (StoredInstance stored : page.items()) {
				if (idOrKey.equals(stored.instance().idempotencyKey())) {
					return byId(stored.instance().id());
				}
			}
			if (!page.hasNext()) {
				break;
			}
		}
		return Optional.empty();
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
