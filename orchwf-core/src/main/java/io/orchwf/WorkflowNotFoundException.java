package io.orchwf;

/**
 * Thrown when a workflow id (or id and version) is not registered with the orchestrator.
 */
public class WorkflowNotFoundException extends OrchwfException {

	private static final long serialVersionUID = 1L;

	private final String workflowId;

	/**
	 * Create an exception for an unregistered workflow.
	 * @param workflowId the workflow id that was asked for
	 */
	public WorkflowNotFoundException(String workflowId) {
		super("No workflow '" + workflowId + "' is registered; register its WorkflowDefinition first");
		this.workflowId = workflowId;
	}

	/**
	 * Create an exception for an unregistered workflow version.
	 * @param workflowId the workflow id that was asked for
	 * @param version the version that was asked for
	 */
	public WorkflowNotFoundException(String workflowId, String version) {
		super("Version '" + version + "' of workflow '" + workflowId + "' is not registered");
		this.workflowId = workflowId;
	}

	/**
	 * The workflow id that was not found.
	 * @return the workflow id
	 */
	public String getWorkflowId() {
		return this.workflowId;
	}

}
