package io.orchwf.internal.engine;

import io.orchwf.internal.json.JsonObject;

/**
 * Starts and cancels child workflow instances for the node: the part of a child step that
 * needs the orchestrator (its registry, its way of creating instances).
 */
interface ChildWorkflows {

	/**
	 * Create and start a child instance, unless it exists.
	 * @param parent the parent's run
	 * @param parentStepId the step that waits for the child
	 * @param childId the child's instance id
	 * @param workflowId the child's workflow; its latest version runs
	 * @param input the child's input
	 * @throws io.orchwf.WorkflowNotFoundException if no version of the workflow is
	 * registered
	 * @throws IllegalArgumentException if the store cannot hold the input
	 * @throws IllegalStateException if the node is closing
	 */
	void create(InstanceRun parent, String parentStepId, String childId, String workflowId, JsonObject input);

	/**
	 * Ask for a child instance to be cancelled, without waiting for it to end.
	 * @param childId the child
	 * @param reason why
	 */
	void cancel(String childId, String reason);

}
