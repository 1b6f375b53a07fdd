package io.orchwf.internal.engine;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import io.orchwf.WorkflowNotFoundException;
import io.orchwf.internal.json.JsonObject;
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

	private final ChildWorkflows children;

	private final StepPools pools;

	private final ScheduledExecutorService timers;

	private final BooleanSupplier closed;

	ChildStarts(ChildWorkflows children, StepPools pools, ScheduledExecutorService timers, BooleanSupplier closed) {
		this.children = children;
		this.pools = pools;
		this.timers = timers;
		this.closed = closed;
	}

	/**
	 * Start the child of a child step, unless it exists; then tell the parent.
	 */
	void start(InstanceRun parent, int stepIndex, String childId, String workflowId, JsonObject input) {
		String parentStepId = parent.stepId(stepIndex);
		this.pools.onNodeThread(() -> create(parent, stepIndex, parentStepId, childId, workflowId, input, FIRST_RETRY),
				() -> parent.childCreated(stepIndex, childId, null));
	}

	private void create(InstanceRun parent, int stepIndex, String parentStepId, String childId, String workflowId,
			JsonObject input, Duration retryDelay) {
		StepFailure failure = null;
		try {
			this.children.create(parent, parentStepId, childId, workflowId, input);
		}
		catch (WorkflowNotFoundException ex) {
			failure = StepFailure.permanent("workflow_not_found", ex.getMessage());
		}
		catch (IllegalArgumentException ex) {
			failure = StepFailure.permanent("invalid_input",
					"the input of child workflow " + workflowId + " cannot be stored: " + ex.getMessage());
		}
		catch (IllegalStateException ex) {
			// closing: whichever node recovers the parent starts the child
		}
		catch (StoreException ex) {
			if (!this.closed.getAsBoolean()) {
				logger.warn("Could not start child {} of instance {}; trying again in {}", childId, parent.instanceId(),
						retryDelay, ex);
				Duration next = Backoff.doubled(retryDelay, MAX_RETRY);
				try {
					this.timers.schedule(
							() -> this.pools.onNodeThread(
									() -> create(parent, stepIndex, parentStepId, childId, workflowId, input, next),
									() -> parent.childCreated(stepIndex, childId, null)),
							retryDelay.toMillis(), TimeUnit.MILLISECONDS);
					return;
				}
				catch (RejectedExecutionException rejected) {
					// closing: as above
				}
			}
		}
		parent.childCreated(stepIndex, childId, failure);
	}

	/**
	 * Cancel a child instance, wherever it runs, without waiting for it to end.
	 */
	void cancel(String childId, String reason) {
		this.pools.onNodeThread(() -> {
			try {
				this.children.cancel(childId, reason);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not cancel child instance {}: {}", childId, ex.getMessage(), ex);
			}
		}, () -> {
		});
	}

}
