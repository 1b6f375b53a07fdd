package io.orchwf.internal.engine.write;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.internal.engine.support.Backoff;
import io.orchwf.internal.engine.support.DaemonThreads;
import io.orchwf.store.InstanceUpdate;
import io.orchwf.store.StateStore;
import io.orchwf.store.StoreException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the transitions of many instances together (group commit). A few committer
 * threads each take every transition waiting at that moment and store them with one
 * {@link StateStore#apply} call, so a busy node pays one commit for many transitions,
 * while an idle one commits a lone transition at once: no transition waits for a batch to
 * fill. An idle node commits a transition decided on an attempt's thread on that thread,
 * sparing two thread hand-offs. A store outage is retried with backoff, holding the
 * transitions (and their instances) until the store is back; a batch the store refuses
 * for good is split to find the transitions at fault, and only those are abandoned.
 */
public final class GroupCommitTransitionWriter implements TransitionWriter {

	private static final Logger logger = LoggerFactory.getLogger(GroupCommitTransitionWriter.class);

	/** The most transitions one commit takes. */
	static final int MAX_BATCH = 512;

	private static final Duration FIRST_RETRY = Duration.ofMillis(50);

	private static final Duration MAX_RETRY = Duration.ofSeconds(5);

	/**
	 * Put on the queue to wake a committer that waits for work, so that it sees it must
	 * stop.
	 */
	private static final Pending WAKE_UP = new Pending(null, new CompletableFuture<>());

	private final StateStore store;

	private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();

	private final List<Thread> committers = new ArrayList<>();

	/** How many commits run now, on committers or on attempt threads. */
	private final AtomicInteger committing = new AtomicInteger();

	private volatile boolean closed;

	public GroupCommitTransitionWriter(StateStore store, int concurrency) {
		this.store = store;
		ThreadFactory factory = DaemonThreads.named("orchwf-commit-");
		for (int i = 0; i < concurrency; i++) {
			Thread committer = factory.newThread(this::commitLoop);
			this.committers.add(committer);
			committer.start();
		}
	}

	@Override
	public CompletableFuture<WriteOutcome> write(InstanceUpdate update) {
		Pending pending = new Pending(update, new CompletableFuture<>());
		if (this.closed) {
			pending.outcome.complete(WriteOutcome.ABANDONED);
			return pending.outcome;
		}
		this.queue.add(pending);
		if (this.closed) {
			abandonQueued();
		}
		return pending.outcome;
	}

	/**
	 * Commit on the calling thread if no other commit runs and none waits, as an idle
	 * node's committer would at once anyway; else queue the transition for the
	 * committers. A failed attempt here is handed to the committers, which retry a
	 * passing outage and abandon a transition the store refuses.
	 */
	@Override
	public CompletableFuture<WriteOutcome> writeOnAttemptThread(InstanceUpdate update) {
		// an interrupted thread might fail to get a connection
		if (this.closed || !this.queue.isEmpty() || Thread.currentThread().isInterrupted()
				|| !this.committing.compareAndSet(0, 1)) {
			return write(update);
		}
		Set<String> rejected;
		try {
			rejected = this.store.apply(List.of(update));
		}
		catch (RuntimeException ex) {
			logger.debug("Could not store a transition of instance {} at once; queueing it", update.instanceId(), ex);
			return write(update);
		}
		finally {
			this.committing.decrementAndGet();
		}
		return CompletableFuture
			.completedFuture(rejected.contains(update.instanceId()) ? WriteOutcome.REJECTED : WriteOutcome.APPLIED);
	}

	private void commitLoop() {
		List<Pending> batch = new ArrayList<>();
		while (!this.closed) {
			try {
				Pending first = this.queue.take();
				if (first == WAKE_UP) {
					continue;
				}
				batch.add(first);
				this.queue.drainTo(batch, MAX_BATCH - 1);
				batch.removeIf((pending) -> pending == WAKE_UP);
				if (!batch.isEmpty()) {
					this.committing.incrementAndGet();
					try {
						commit(batch);
					}
					finally {
						this.committing.decrementAndGet();
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			catch (RuntimeException | Error ex) {
				logger.error("Committing {} transitions failed; their instances stop here", batch.size(), ex);
				batch.forEach((pending) -> pending.outcome.complete(WriteOutcome.ABANDONED));
			}
			finally {
				batch.clear();
			}
		}
	}

	private void commit(List<Pending> batch) throws InterruptedException {
		List<InstanceUpdate> updates = new ArrayList<>(batch.size());
		batch.forEach((pending) -> updates.add(pending.update));
		Duration delay = FIRST_RETRY;
		while (true) {
			Set<String> rejected;
			try {
				rejected = this.store.apply(updates);
			}
			catch (StoreException ex) {
				if (!ex.isTransient()) {
					refused(batch, ex);
					return;
				}
				if (this.closed) {
					batch.forEach((pending) -> pending.outcome.complete(WriteOutcome.ABANDONED));
					return;
				}
				logger.warn("Could not store {} transitions; retrying in {} ms", batch.size(), delay.toMillis(), ex);
				Thread.sleep(delay.toMillis());
				delay = Backoff.doubled(delay, MAX_RETRY);
				continue;
			}
			catch (RuntimeException ex) {
				refused(batch, ex);
				return;
			}
			for (Pending pending : batch) {
				// runs the instance's after-commit actions on this thread; they are quick
				pending.outcome.complete(
						rejected.contains(pending.update.instanceId()) ? WriteOutcome.REJECTED : WriteOutcome.APPLIED);
			}
			return;
		}
	}

	/**
	 * The store refused a batch for good. One bad transition must not stop the instances
	 * that share its commit: commit the halves apart, down to the transitions that fail
	 * on their own, which are abandoned.
	 */
	private void refused(List<Pending> batch, RuntimeException failure) throws InterruptedException {
		if (batch.size() == 1) {
			logger.error("The store refused a transition of instance {}; this node hands it back",
					batch.get(0).update.instanceId(), failure);
			batch.get(0).outcome.complete(WriteOutcome.ABANDONED);
			return;
		}
		int half = batch.size() / 2;
		commit(batch.subList(0, half));
		commit(batch.subList(half, batch.size()));
	}

	private void abandonQueued() {
		int wakeUps = 0;
		Pending pending;
		while ((pending = this.queue.poll()) != null) {
			if (pending == WAKE_UP) {
				wakeUps++;
			}
			else {
				pending.outcome.complete(WriteOutcome.ABANDONED);
			}
		}
		// the wake-ups belong to committers that have not seen theirs yet
		for (int i = 0; i < wakeUps; i++) {
			this.queue.add(WAKE_UP);
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.committers.forEach((committer) -> this.queue.add(WAKE_UP));
		for (Thread committer : this.committers) {
			try {
				committer.join(MAX_RETRY.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		abandonQueued();
	}

	private record Pending(@Nullable InstanceUpdate update, CompletableFuture<WriteOutcome> outcome) {
	}

}
