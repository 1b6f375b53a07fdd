package io.orchwf.internal.engine;

/**
 * The metadata keys that tie a child workflow instance to the step of its parent that
 * started it.
 */
final class ChildLinks {

	static final String PARENT_INSTANCE_ID = "parent_instance_id";

	static final String PARENT_STEP_ID = "parent_step_id";

	static final String PARENT_WORKFLOW_ID = "parent_workflow_id";

	private ChildLinks() {
	}

}
