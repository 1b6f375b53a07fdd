package io.orchwf.event;

import io.orchwf.WorkflowStatus;

/**
 * Hears what an orchestrator does on its own, beside the transitions of the instances it
 * drives (which a {@link WorkflowEventListener} hears): the deletions of its retention.
 * Every method does nothing by default; implement those you need.
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

}
