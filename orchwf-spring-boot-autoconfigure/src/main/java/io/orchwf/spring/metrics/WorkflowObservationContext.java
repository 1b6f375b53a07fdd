package io.orchwf.spring.metrics;

import io.micrometer.observation.Observation;

/**
 * What an Observation of one workflow instance knows: the workflow, the instance and,
 * once it has ended, how.
 */
public class WorkflowObservationContext extends Observation.Context {

	/**
	 * Outcome of an observation that was closed before its instance ended on this node.
	 */
	public static final String UNKNOWN = "UNKNOWN";

	private final String workflowId;

	private final String instanceId;

	private String outcome = UNKNOWN;

	/**
	 * Create a context.
	 * @param workflowId the workflow id
	 * @param instanceId the instance id
	 */
	public WorkflowObservationContext(String workflowId, String instanceId) {
		this.workflowId = workflowId;
		this.instanceId = instanceId;
	}

	/**
	 * The workflow the instance runs.
	 * @return the workflow id
	 */
	public String getWorkflowId() {
		return this.workflowId;
	}

	/**
	 * The observed instance.
	 * @return the instance id
	 */
	public String getInstanceId() {
		return this.instanceId;
	}

	/**
	 * How the instance ended: {@code COMPLETED}, {@code FAILED}, {@code CANCELLED}, or
	 * {@value #UNKNOWN} while it runs and when this node stopped observing it before its
	 * end (it went on on another node, or it waited longer than observations are kept).
	 * @return the outcome
	 */
	public String getOutcome() {
		return this.outcome;
	}

	/**
	 * Set how the instance ended.
	 * @param outcome the outcome
	 */
	public void setOutcome(String outcome) {
		this.outcome = outcome;
	}

}
