package io.orchwf.spring.metrics;

import io.micrometer.observation.Observation;

/**
 * What an Observation of one step attempt knows: the workflow, the step, the instance,
 * the attempt and, once it has ended, how.
 */
public class StepObservationContext extends Observation.Context {

	private final String workflowId;

	private final String stepId;

	private final String instanceId;

	private final int attempt;

	private String outcome = WorkflowObservationContext.UNKNOWN;

	/**
	 * Create a context.
	 * @param workflowId the workflow id
	 * @param stepId the step id
	 * @param instanceId the instance id
	 * @param attempt the attempt number, from 1
	 */
	public StepObservationContext(String workflowId, String stepId, String instanceId, int attempt) {
		this.workflowId = workflowId;
		this.stepId = stepId;
		this.instanceId = instanceId;
		this.attempt = attempt;
	}

	/**
	 * The workflow the step belongs to.
	 * @return the workflow id
	 */
	public String getWorkflowId() {
		return this.workflowId;
	}

	/**
	 * The observed step.
	 * @return the step id
	 */
	public String getStepId() {
		return this.stepId;
	}

	/**
	 * The instance the attempt belongs to.
	 * @return the instance id
	 */
	public String getInstanceId() {
		return this.instanceId;
	}

	/**
	 * The observed attempt.
	 * @return the attempt number, from 1
	 */
	public int getAttempt() {
		return this.attempt;
	}

	/**
	 * How the attempt ended: {@code COMPLETED}, {@code RETRYING} (it failed and the step
	 * will be retried), {@code FAILED}, or {@value WorkflowObservationContext#UNKNOWN}
	 * while it runs and when this node stopped observing it before its end.
	 * @return the outcome
	 */
	public String getOutcome() {
		return this.outcome;
	}

	/**
	 * Set how the attempt ended.
	 * @param outcome the outcome
	 */
	public void setOutcome(String outcome) {
		this.outcome = outcome;
	}

}
