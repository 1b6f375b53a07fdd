package io.orchwf.internal.engine.run;

import io.orchwf.internal.json.JsonObject;

/**
 * Everything the start of a child instance needs from its parent.
 *
 * @param parentId the parent instance
 * @param parentWorkflowId the parent's workflow
 * @param parentMetadata the parent's metadata, whose trace, correlation and business ids
 * the child inherits
 * @param stepIndex the index of the child step in the parent's workflow
 * @param stepId the id of the child step
 * @param childId the child's instance id, chosen by the parent
 * @param workflowId the child's workflow; its latest version runs
 * @param input the child's input
 */
public record ChildStart(String parentId, String parentWorkflowId, JsonObject parentMetadata, int stepIndex,
		String stepId, String childId, String workflowId, JsonObject input) {
}
