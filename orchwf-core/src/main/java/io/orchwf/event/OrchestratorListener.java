package io.orchwf.event;

import java.time.Instant;

import io.orchwf.WorkflowStatus;

/**
 * Hears what an orchestrator does on its own, beside the transitions of the instances it
 * drives (which a {@link WorkflowEventListener} hears): the ticks of schedules it fires
 * and the deletions of its retention. Every method does nothing by default; implement
 * those you need.
 *
 * <p>
 * A listener is called on the orchestrator's own thread for that work, after what it
 * reports is committed: keep it fast. An exception from a listener is logged and changes
 * nothing.
 */
public interface OrchestratorListener {

	/**
	 * This node deleted finished instances whose retention had passed, with their steps,
	 * history and signals.
	 * @param status how the deleted instances had ended
	 * @param count how many were deleted, at least one
	 */
	default void instancesDeleted(WorkflowStatus status, int count) {
	}

	/**
	 * This node fired a schedule's tick: it started the tick's instance and moved the
	 * schedule past the tick, which of all the nodes firing that tick one does.
	 * @param scheduleName the schedule
	 * @param workflowId the workflow it started
	 * @param instanceId the instance started
	 * @param tick the tick fired
	 */
	default void scheduleFired(String scheduleName, String workflowId, String instanceId, Instant tick) {
	}

}
