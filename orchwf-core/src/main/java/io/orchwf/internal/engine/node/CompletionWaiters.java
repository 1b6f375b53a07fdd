package io.orchwf.internal.engine.node;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.orchwf.store.StoredInstance;
import org.jspecify.annotations.Nullable;

/**
 * Wakes the callers waiting for an instance to finish when this node finishes it, handing
 * them the instance as its last transition stored it, so that they need not read it back
 * (a round trip on a database, and on the in-memory store an instance it may already have
 * forgotten). Callers also poll the store, which covers instances finished by other
 * nodes.
 */
public final class CompletionWaiters {

	private final Map<String, Set<Waiter>> waiters = new ConcurrentHashMap<>();

	/**
	 * A caller's own registration, to {@link #unregister} once it stops waiting.
	 * @param instanceId the instance, which need not exist yet
	 * @return the waiter
	 */
	public Waiter register(String instanceId) {
		Waiter waiter = new Waiter(instanceId);
		this.waiters.computeIfAbsent(instanceId, (id) -> ConcurrentHashMap.newKeySet()).add(waiter);
		return waiter;
	}

	/**
	 * Forget a waiter once it stops waiting.
	 * @param waiter the waiter
	 */
	public void unregister(Waiter waiter) {
		this.waiters.computeIfPresent(waiter.instanceId, (id, registered) -> {
			registered.remove(waiter);
			return registered.isEmpty() ? null : registered;
		});
	}

	/**
	 * Tell the waiters the instance finished.
	 * @param instanceId the instance
	 * @param finalState the instance as its last transition stored it
	 */
	void finished(String instanceId, StoredInstance finalState) {
		Set<Waiter> registered = this.waiters.remove(instanceId);
		if (registered != null) {
			registered.forEach((waiter) -> waiter.signal.complete(finalState));
		}
	}

	/**
	 * Tell every waiter to look at the store again, as the node is closing.
	 */
	void wakeAll() {
		this.waiters.values().forEach((registered) -> registered.forEach((waiter) -> waiter.signal.complete(null)));
		this.waiters.clear();
	}

	/**
	 * One caller waiting for one instance.
	 */
	public static final class Waiter {

		private final String instanceId;

		/**
		 * Completed with the finished instance, or with {@code null} when the node
		 * closes.
		 */
		private volatile CompletableFuture<@Nullable StoredInstance> signal = new CompletableFuture<>();

		private Waiter(String instanceId) {
			this.instanceId = instanceId;
		}

		public String instanceId() {
			return this.instanceId;
		}

		/**
		 * The instance as this node finished it, if it has.
		 * @return the finished instance, or {@code null}
		 */
		public @Nullable StoredInstance finishedState() {
			return this.signal.getNow(null);
		}

		/**
		 * Wait until this node finishes the instance, it closes, or the time is up.
		 * @param nanos how long to wait at most
		 * @return the finished instance, or {@code null} if it did not finish here in
		 * time
		 * @throws InterruptedException if the caller is interrupted
		 */
		public @Nullable StoredInstance await(long nanos) throws InterruptedException {
			CompletableFuture<@Nullable StoredInstance> current = this.signal;
			try {
				StoredInstance finished = current.get(nanos, TimeUnit.NANOSECONDS);
				if (finished == null) {
					// woken as the node closes: from now on only the store can tell
					this.signal = new CompletableFuture<>();
				}
				return finished;
			}
			catch (TimeoutException ex) {
				return null;
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException("A completion signal never fails", ex);
			}
		}

	}

}
