package io.orchwf.store;

import java.util.Objects;

/**
 * A workflow id and version: what a node can run, and so what it may claim.
 *
 * @param workflowId the workflow definition id
 * @param version the definition version
 */
public record WorkflowKey(String workflowId, String version) {

	/**
	 * Create a key.
	 * @param workflowId the workflow definition id
	 * @param version the definition version
	 */
	public WorkflowKey {
		Objects.requireNonNull(workflowId, "workflowId");
		Objects.requireNonNull(version, "version");
	}

}
