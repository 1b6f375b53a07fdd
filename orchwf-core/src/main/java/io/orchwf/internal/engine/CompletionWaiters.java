package io.orchwf.internal.engine;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes the callers waiting for an instance to finish when this node finishes it. Callers
 * also poll the store, which covers instances finished by other nodes.
 */
final class CompletionWaiters {

	private final Map<String, CompletableFuture<Void>> waiters = new ConcurrentHashMap<>();

	/**
	 * The signal that the instance finished here, shared by all its waiters.
	 * @param instanceId the instance
	 * @return a future completed when this node finishes the instance
	 */
	CompletableFuture<Void> register(String instanceId) {
		return this.waiters.computeIfAbsent(instanceId, (id) -> new CompletableFuture<>());
	}

	/**
	 * Forget a waiter's signal once it stops waiting.
	 * @param instanceId the instance
	 * @param signal the signal it waited on
	 */
	void unregister(String instanceId, CompletableFuture<Void> signal) {
		this.waiters.remove(instanceId, signal);
	}

	/**
	 * Tell the waiters the instance finished.
	 * @param instanceId the instance
	 */
	void finished(String instanceId) {
		CompletableFuture<Void> signal = this.waiters.remove(instanceId);
		if (signal != null) {
			signal.complete(null);
		}
	}

	/**
	 * Tell every waiter to look at the store again, as the node is closing.
	 */
	void wakeAll() {
		this.waiters.values().forEach((signal) -> signal.complete(null));
		this.waiters.clear();
	}

}
