package io.orchwf.internal.engine.node;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

import io.orchwf.WorkflowNotFoundException;
import io.orchwf.internal.engine.attempt.StepFailure;
import io.orchwf.internal.engine.pool.StepPools;
import io.orchwf.internal.engine.run.ChildStart;
import io.orchwf.internal.engine.run.RunHost.ChildCreated;
import io.orchwf.internal.engine.support.Backoff;
import io.orchwf.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and cancels the child instances of child steps for this node, on its threads
 * rather than the one that commits: a start the store cannot take now is tried again with
 * a backoff; a start that can never succeed (an unknown workflow, an input the store
 * refuses) fails the parent's step.
 */
final class ChildStarts {

	private static final Logger logger = LoggerFactory.getLogger(ChildStarts.class);

	private static final Duration FIRST_RETRY = Duration.ofMillis(200);

	private static final Duration MAX_RETRY = Duration.ofSeconds(10);

	private final ChildInstances children;

	private final BiConsumer<String, String> cancel;

	private final StepPools pools;

	private final ScheduledExecutorService timers;

	private final BooleanSupplier closed;

	/**
	 * Create the node's child starts.
	 * @param children creates child instances
	 * @param cancel asks for an instance to be cancelled, by id and reason, wherever it
	 * runs
	 * @param pools the node's pools, whose node threads do the work
	 * @param timers the node's timer, for the next try of a start
	 * @param closed whether the node is closing, when no start is tried again
	 */
	ChildStarts(ChildInstances children, BiConsumer<String, String> cancel, StepPools pools,
			ScheduledExecutorService timers, BooleanSupplier closed) {
		this.children = children;
		this.cancel = cancel;
		this.pools = pools;
		this.timers = timers;
		this.closed = closed;
	}

	/**
	 * Start the child of a child step, unless it exists; then tell the parent.
	 */
	void start(ChildStart start, ChildCreated reply) {
		this.pools.onNodeThread(() -> create(start, reply, FIRST_RETRY),
				() -> reply.childCreated(start.stepIndex(), start.childId(), null));
	}

	private void create(ChildStart start, ChildCreated reply, Duration retryDelay) {
		StepFailure failure = null;
		try {
			this.children.create(start);
		}
		catch (WorkflowNotFoundException ex) {
			failure = StepFailure.permanent("workflow_not_found", ex.getMessage());
		}
		catch (IllegalArgumentException ex) {
			failure = StepFailure.permanent("invalid_input",
					"the input of child workflow " + start.workflowId() + " cannot be stored: " + ex.getMessage());
		}
		catch (IllegalStateException ex) {
			// closing: whichever node recovers the parent starts the child
		}
		catch (StoreException ex) {
			if (!this.closed.getAsBoolean()) {
				logger.warn("Could not start child {} of instance {}; trying again in {}", start.childId(),
						start.parentId(), retryDelay, ex);
				Duration next = Backoff.doubled(retryDelay, MAX_RETRY);
				try {
					this.timers.schedule(
							() -> this.pools.onNodeThread(() -> create(start, reply, next),
									() -> reply.childCreated(start.stepIndex(), start.childId(), null)),
							retryDelay.toMillis(), TimeUnit.MILLISECONDS);
					return;
				}
				catch (RejectedExecutionException rejected) {
					// closing: as above
				}
			}
		}
		reply.childCreated(start.stepIndex(), start.childId(), failure);
	}

	/**
	 * Cancel a child instance, wherever it runs, without waiting for it to end.
	 */
	void cancel(String childId, String reason) {
		this.pools.onNodeThread(() -> {
			try {
				this.cancel.accept(childId, reason);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not cancel child instance {}: {}", childId, ex.getMessage(), ex);
			}
		}, () -> {
		});
	}

}
