package io.orchwf.internal.engine;

import java.time.Duration;
import java.util.Optional;

import io.orchwf.InstanceNotFoundException;
import io.orchwf.OrchwfException;
import io.orchwf.WorkflowResult;
import io.orchwf.internal.engine.node.CompletionWaiters.Waiter;
import io.orchwf.internal.engine.node.NodeRuntime;
import io.orchwf.store.StateStore;
import io.orchwf.store.StoredInstance;
import org.jspecify.annotations.Nullable;

/**
 * Waits for an instance to finish, on this node or another: a caller waiting for an
 * instance this node finishes is handed its final state by the node; for one driven
 * elsewhere it looks at the store, more and more seldom up to each poll interval. A
 * caller never gets a result before the listeners of this node have seen the instance's
 * last events.
 */
final class CompletionAwaiting {

	/** How soon a caller waiting for an instance driven elsewhere first looks again. */
	private static final Duration FIRST_LOOK = Duration.ofMillis(10);

	private final StateStore store;

	private final NodeRuntime runtime;

	private final Duration pollInterval;

	CompletionAwaiting(StateStore store, NodeRuntime runtime, Duration pollInterval) {
		this.store = store;
		this.runtime = runtime;
		this.pollInterval = pollInterval;
	}

	/**
	 * Wait for an instance to finish, looking at the store first.
	 * @return the result, or empty if it did not finish in time
	 * @throws InstanceNotFoundException if there is no such instance
	 */
	Optional<WorkflowResult> awaitCompletion(String instanceId, Duration timeout) {
		Waiter waiter = this.runtime.waiters().register(instanceId);
		try {
			return awaitCompletion(waiter, current(waiter), timeout);
		}
		finally {
			this.runtime.waiters().unregister(waiter);
		}
	}

	/**
	 * Wait for an instance to finish, however long it takes.
	 * @return the result
	 * @throws IllegalStateException if the orchestrator closes first
	 */
	WorkflowResult awaitEnd(String instanceId) {
		Waiter waiter = this.runtime.waiters().register(instanceId);
		try {
			return awaitEnd(waiter);
		}
		finally {
			this.runtime.waiters().unregister(waiter);
		}
	}

	/**
	 * Wait for an instance a caller registered for before it existed.
	 * @return the result
	 * @throws IllegalStateException if the orchestrator closes first
	 */
	WorkflowResult awaitEnd(Waiter waiter) {
		while (true) {
			// the instance exists and this node drives it, or has just looked at it: no
			// need to look before waiting
			Optional<WorkflowResult> result = awaitCompletion(waiter, null, this.pollInterval);
			if (result.isPresent()) {
				return result.get();
			}
			if (this.runtime.lifecycle().isClosed()) {
				throw new IllegalStateException("The orchestrator closed before instance " + waiter.instanceId()
						+ " finished; it goes on from its stored state on another node or after a restart, "
						+ "and awaitCompletion can wait for it");
			}
		}
	}

	/**
	 * Wait for an instance to finish, on this node or another, looking at the store for
	 * the latter after 10 ms, then twice as long each time up to the poll interval.
	 * @param waiter the caller's registration
	 * @param seen the instance as last seen, or {@code null} to wait before looking
	 * @param timeout how long to wait at most
	 * @return the result, or empty if the instance did not finish in time
	 */
	private Optional<WorkflowResult> awaitCompletion(Waiter waiter, @Nullable StoredInstance seen, Duration timeout) {
		long deadline = System.nanoTime() + Math.max(0, saturatedNanos(timeout));
		StoredInstance stored = seen;
		// another node finishes most instances within milliseconds of their last
		// step: look soon, then less and less often, up to the poll interval
		long interval = Math.min(FIRST_LOOK.toNanos(), this.pollInterval.toNanos());
		try {
			while (true) {
				if (stored != null && isFinished(stored, waiter)) {
					return Optional.of(InstanceViews.result(stored));
				}
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return Optional.empty();
				}
				StoredInstance finishedHere = waiter.await(Math.min(remaining, interval));
				interval = Math.min(interval * 2, this.pollInterval.toNanos());
				// finished here, or look at the store: another node may have finished it
				stored = (finishedHere != null) ? finishedHere : current(waiter);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new OrchwfException("Interrupted while waiting for instance " + waiter.instanceId(), ex);
		}
	}

	/**
	 * Whether a caller may have the instance's result: it finished, and if this node
	 * drives it, the node is done with it. The store holds the last transition before the
	 * node has told the listeners of its events; the waiter hears of it after they have
	 * been, so a caller never gets the result before the events.
	 */
	private boolean isFinished(StoredInstance stored, Waiter waiter) {
		return stored.instance().status().isTerminal()
				&& (stored == waiter.finishedState() || !this.runtime.drives(waiter.instanceId()));
	}

	/** The instance as this node finished it, else as the store has it. */
	private StoredInstance current(Waiter waiter) {
		StoredInstance finishedHere = waiter.finishedState();
		if (finishedHere != null) {
			return finishedHere;
		}
		Optional<StoredInstance> stored = this.store.load(waiter.instanceId());
		if (stored.isPresent()) {
			return stored.get();
		}
		// finished here, and forgotten by the store, between the two looks
		finishedHere = waiter.finishedState();
		if (finishedHere != null) {
			return finishedHere;
		}
		throw new InstanceNotFoundException(waiter.instanceId());
	}

	private static long saturatedNanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE / 2;
		}
	}

}
