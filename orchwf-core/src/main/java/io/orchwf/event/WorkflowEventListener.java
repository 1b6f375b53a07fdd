package io.orchwf.event;

/**
 * Receives every transition of every workflow instance this node drives.
 *
 * <p>
 * A listener is called after the transition is stored, in order for each instance, on an
 * engine thread: keep it fast and hand slow work to an executor of your own. An exception
 * from a listener is logged and never breaks a workflow.
 */
@FunctionalInterface
public interface WorkflowEventListener {

	/**
	 * Handle one event.
	 * @param event the stored transition
	 */
	void onEvent(WorkflowEvent event);

}
