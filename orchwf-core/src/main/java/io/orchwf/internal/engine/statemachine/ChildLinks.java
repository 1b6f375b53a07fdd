package io.orchwf.internal.engine.statemachine;

/**
 * The metadata keys that tie a child workflow instance to the step of its parent that
 * started it.
 */
public final class ChildLinks {

	public static final String PARENT_INSTANCE_ID = "parent_instance_id";

	public static final String PARENT_STEP_ID = "parent_step_id";

	public static final String PARENT_WORKFLOW_ID = "parent_workflow_id";

	private ChildLinks() {
	}

}
