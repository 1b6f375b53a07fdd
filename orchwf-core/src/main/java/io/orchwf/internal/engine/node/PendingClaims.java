package io.orchwf.internal.engine.node;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances this node was told to look at and does not drive (one signalled or
 * cancelled, one whose wake-up is due), claimed many in one transaction: those that
 * gather while claims are on their way go together in the next, as transitions do in a
 * group commit. A few claims run at once.
 */
final class PendingClaims {

	private static final Logger logger = LoggerFactory.getLogger(PendingClaims.class);

	/** The most instances one claim takes. */
	static final int MAX_BATCH = 500;

	/** The instances to claim, each with the future of its claim. */
	private final Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();

	/** How many claims run at once. */
	private final int concurrency;

	/** The claiming tasks that run. */
	private final AtomicInteger claiming = new AtomicInteger();

	private final Executor executor;

	private final Function<List<String>, Map<String, CompletableFuture<Void>>> claim;

	/**
	 * Gather claims.
	 * @param concurrency how many claims may run at once
	 * @param executor where the claims run
	 * @param claim claims a batch of instances and drives those it took; answers, for
	 * each, a future completed once its first transition is stored
	 */
	PendingClaims(int concurrency, Executor executor,
			Function<List<String>, Map<String, CompletableFuture<Void>>> claim) {
		this.concurrency = concurrency;
		this.executor = executor;
		this.claim = claim;
	}

	/**
	 * Claim an instance soon, with whatever else is pending then.
	 * @param instanceId the instance
	 * @return completed once this node has stored the instance's first transition after
	 * taking it, or once the claim that took it up ended without taking it
	 */
	CompletableFuture<Void> add(String instanceId) {
		CompletableFuture<Void> claimed = this.pending.computeIfAbsent(instanceId, (id) -> new CompletableFuture<>());
		startClaiming();
		return claimed;
	}

	/**
	 * Start a claiming task if some are pending and fewer than the limit run. A task that
	 * ends calls it again, so that an instance added while every task was about to end is
	 * not left behind.
	 */
	private void startClaiming() {
		while (!this.pending.isEmpty()) {
			int running = this.claiming.get();
			if (running >= this.concurrency) {
				return;
			}
			if (this.claiming.compareAndSet(running, running + 1)) {
				try {
					this.executor.execute(this::drain);
				}
				catch (RejectedExecutionException ex) {
					// closing: whichever node runs next claims them
					this.claiming.decrementAndGet();
					take().values().forEach((future) -> future.complete(null));
				}
				return;
			}
		}
	}

	private void drain() {
		try {
			Map<String, CompletableFuture<Void>> batch = take();
			while (!batch.isEmpty()) {
				Map<String, CompletableFuture<Void>> taken = Map.of();
				try {
					taken = this.claim.apply(List.copyOf(batch.keySet()));
				}
				catch (RuntimeException ex) {
					logger.warn("Could not claim {} instances at once; the poller will", batch.size(), ex);
				}
				for (Map.Entry<String, CompletableFuture<Void>> pending : batch.entrySet()) {
					CompletableFuture<Void> stored = taken.get(pending.getKey());
					if (stored == null) {
						pending.getValue().complete(null);
					}
					else {
						stored.whenComplete((done, failure) -> pending.getValue().complete(null));
					}
				}
				batch = take();
			}
		}
		finally {
			this.claiming.decrementAndGet();
		}
		startClaiming();
	}

	private Map<String, CompletableFuture<Void>> take() {
		Map<String, CompletableFuture<Void>> batch = new LinkedHashMap<>();
		Iterator<Map.Entry<String, CompletableFuture<Void>>> entries = this.pending.entrySet().iterator();
		while (entries.hasNext() && batch.size() < MAX_BATCH) {
			Map.Entry<String, CompletableFuture<Void>> entry = entries.next();
			batch.put(entry.getKey(), entry.getValue());
			entries.remove();
		}
		return batch;
	}

}
