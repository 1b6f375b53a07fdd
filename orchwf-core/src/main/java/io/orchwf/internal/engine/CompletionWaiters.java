package io.orchwf.internal.engine;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes the callers waiting for an instance to finish when this node finishes it. Callers
 * also poll the store, which covers instances finished by other nodes.
 */
final class CompletionWaiters {

	private final Map<String, Set<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();

	/**
	 * A signal, of this caller's own, that the instance finished here.
	 * @param instanceId the instance
	 * @return a future completed when this node finishes the instance or closes
	 */
	CompletableFuture<Void> register(String instanceId) {
		CompletableFuture<Void> signal = new CompletableFuture<>();
		this.waiters.computeIfAbsent(instanceId, (id) -> ConcurrentHashMap.newKeySet()).add(signal);
		return signal;
	}

	/**
	 * Forget a waiter's signal once it stops waiting.
	 * @param instanceId the instance
	 * @param signal the signal it waited on
	 */
	void unregister(String instanceId, CompletableFuture<Void> signal) {
		this.waiters.computeIfPresent(instanceId, (id, signals) -> {
			signals.remove(signal);
			return signals.isEmpty() ? null : signals;
		});
	}

	/**
	 * Tell the waiters the instance finished.
	 * @param instanceId the instance
	 */
	void finished(String instanceId) {
		Set<CompletableFuture<Void>> signals = this.waiters.remove(instanceId);
		if (signals != null) {
			signals.forEach((signal) -> signal.complete(null));
		}
	}

	/**
	 * Tell every waiter to look at the store again, as the node is closing.
	 */
	void wakeAll() {
		this.waiters.values().forEach((signals) -> signals.forEach((signal) -> signal.complete(null)));
		this.waiters.clear();
	}

}
