package io.orchwf.internal.engine.write;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.orchwf.internal.engine.support.Backoff;
import io.orchwf.store.InstanceUpdate;
import io.orchwf.store.StateStore;
import io.orchwf.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each transition at once on the calling thread: for stores whose writes cost no
 * I/O (the in-memory store), where batching would only add a thread hand-off. A failed
 * write is retried with backoff on a background thread until it succeeds or the
 * orchestrator closes; any other failure ends the write {@link WriteOutcome#ABANDONED}.
 */
public final class DirectTransitionWriter implements TransitionWriter {

	private static final Logger logger = LoggerFactory.getLogger(DirectTransitionWriter.class);

	private static final Duration FIRST_RETRY = Duration.ofMillis(50);

	private static final Duration MAX_RETRY = Duration.ofSeconds(5);

	/**
	 * The outcomes of writes stored at once, shared: nobody completes a future the writer
	 * returns.
	 */
	private static final CompletableFuture<WriteOutcome> APPLIED = CompletableFuture
		.completedFuture(WriteOutcome.APPLIED);

	private static final CompletableFuture<WriteOutcome> REJECTED = CompletableFuture
		.completedFuture(WriteOutcome.REJECTED);

	private final StateStore store;

	private final ScheduledExecutorService timers;

	private final Executor background;

	private volatile boolean closed;

	public DirectTransitionWriter(StateStore store, ScheduledExecutorService timers, Executor background) {
		this.store = store;
		this.timers = timers;
		this.background = background;
	}

	@Override
	public CompletableFuture<WriteOutcome> write(InstanceUpdate update) {
		if (this.closed) {
			return CompletableFuture.completedFuture(WriteOutcome.ABANDONED);
		}
		try {
			// the common case, stored at once: a shared future that is done already
			return applied(update) ? APPLIED : REJECTED;
		}
		catch (RuntimeException ex) {
			CompletableFuture<WriteOutcome> outcome = new CompletableFuture<>();
			failed(update, outcome, ex, FIRST_RETRY);
			return outcome;
		}
	}

	private boolean applied(InstanceUpdate update) {
		return !this.store.apply(List.of(update)).contains(update.instanceId());
	}

	private void attempt(InstanceUpdate update, CompletableFuture<WriteOutcome> outcome, Duration nextDelay) {
		if (this.closed) {
			outcome.complete(WriteOutcome.ABANDONED);
			return;
		}
		try {
			outcome.complete(applied(update) ? WriteOutcome.APPLIED : WriteOutcome.REJECTED);
		}
		catch (RuntimeException ex) {
			failed(update, outcome, ex, nextDelay);
		}
	}

	private void failed(InstanceUpdate update, CompletableFuture<WriteOutcome> outcome, RuntimeException failure,
			Duration nextDelay) {
		if (!(failure instanceof StoreException ex) || !ex.isTransient()) {
			refused(update, outcome, failure);
			return;
		}
		logger.warn("Could not store a transition of instance {}; retrying in {} ms", update.instanceId(),
				nextDelay.toMillis(), ex);
		Duration following = Backoff.doubled(nextDelay, MAX_RETRY);
		try {
			this.timers.schedule(() -> this.background.execute(() -> attempt(update, outcome, following)),
					nextDelay.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (RejectedExecutionException rejected) {
			outcome.complete(WriteOutcome.ABANDONED);
		}
	}

	private static void refused(InstanceUpdate update, CompletableFuture<WriteOutcome> outcome,
			RuntimeException failure) {
		// not a passing outage: retrying would wedge the instance
		logger.error("The store refused a transition of instance {}; this node hands it back", update.instanceId(),
				failure);
		outcome.complete(WriteOutcome.ABANDONED);
	}

	@Override
	public void close() {
		this.closed = true;
	}

}
