package io.orchwf.internal.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.orchwf.Retention;
import io.orchwf.WorkflowStatus;
import io.orchwf.internal.engine.support.DaemonThreads;
import io.orchwf.store.StateStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes finished instances whose retention has passed, every
 * {@link Retention#checkEvery()} of real time, on a thread of its own: each kind's cutoff
 * is the orchestrator's clock minus its period, and the store deletes a batch per
 * transaction until fewer than a batch are left. Between two full batches it rests as
 * long as the last one took, so that a backlog of expired instances takes at most half of
 * what the database gives this node, and the engine's own writes keep the rest.
 */
final class RetentionSweeps {

	private static final Logger logger = LoggerFactory.getLogger(RetentionSweeps.class);

	private static final List<WorkflowStatus> FINISHED = List.of(WorkflowStatus.COMPLETED, WorkflowStatus.FAILED,
			WorkflowStatus.CANCELLED);

	/** The longest rest between two batches. */
	private static final Duration MAX_REST = Duration.ofSeconds(1);

	private final StateStore store;

	private final Retention retention;

	private final Clock clock;

	private final OrchestratorEvents events;

	private final Duration closeTimeout;

	private @Nullable ScheduledExecutorService executor;

	private volatile boolean closed;

	RetentionSweeps(StateStore store, Retention retention, Clock clock, OrchestratorEvents events,
			Duration closeTimeout) {
		this.store = store;
		this.retention = retention;
		this.clock = clock;
		this.events = events;
		this.closeTimeout = closeTimeout;
	}

	/**
	 * Start looking for expired instances, unless every kind is kept for ever.
	 */
	synchronized void start() {
		if (this.retention.keepsForever() || this.executor != null || this.closed) {
			return;
		}
		this.executor = DaemonThreads.every("orchwf-retention-", this.retention.checkEvery(), this::sweep);
	}

	/**
	 * Stop: a batch being deleted finishes, within the shutdown timeout; no other starts.
	 */
	void close() {
		ScheduledExecutorService executor;
		synchronized (this) {
			this.closed = true;
			executor = this.executor;
		}
		if (executor == null) {
			return;
		}
		executor.shutdown();
		try {
			executor.awaitTermination(this.closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Delete what has expired now, kind by kind.
	 */
	void sweep() {
		Instant now = this.clock.instant();
		for (WorkflowStatus status : FINISHED) {
			Optional<Duration> period = this.retention.of(status);
			if (period.isPresent() && !this.closed) {
				try {
					deleteExpired(status, now.minus(period.get()));
				}
				catch (UnsupportedOperationException ex) {
					logger.error("Retention is set but {} cannot delete instances; no instance will be deleted: {}",
							this.store, ex.getMessage());
					stopSweeping();
					return;
				}
				catch (RuntimeException ex) {
					logger.warn("Could not delete {} instances that ended before {}; trying again in {}", status,
							now.minus(period.get()), this.retention.checkEvery(), ex);
				}
			}
		}
	}

	private void deleteExpired(WorkflowStatus status, Instant finishedBefore) {
		while (!this.closed) {
			long started = System.nanoTime();
			int deleted = this.store.deleteFinished(status, finishedBefore, Retention.BATCH_SIZE);
			if (deleted > 0) {
				this.events.instancesDeleted(status, deleted);
			}
			if (deleted < Retention.BATCH_SIZE) {
				return;
			}
			rest(Duration.ofNanos(System.nanoTime() - started));
		}
	}

	private void rest(Duration batchTook) {
		try {
			Thread.sleep(Math.min(batchTook.toMillis(), MAX_REST.toMillis()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.closed = true;
		}
	}

	private synchronized void stopSweeping() {
		if (this.executor != null) {
			this.executor.shutdown();
		}
	}

}
