package io.orchwf.spring.metrics;

import io.micrometer.common.KeyValues;

/**
 * The default {@link WorkflowObservationConvention}: observation {@value #NAME}, span
 * name {@code workflow <workflow id>}, low-cardinality keys {@code workflow} and
 * {@code outcome}, high-cardinality key {@code instance.id}.
 */
public class DefaultWorkflowObservationConvention implements WorkflowObservationConvention {

	/** The observation name. */
	public static final String NAME = "orchwf.workflow.execution";

	/** Low-cardinality key holding the workflow id. */
	public static final String WORKFLOW = "workflow";

	/** Low-cardinality key holding how the instance ended. */
	public static final String OUTCOME = "outcome";

	/** High-cardinality key holding the instance id. */
	public static final String INSTANCE_ID = "instance.id";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(WorkflowObservationContext context) {
		return "workflow " + context.getWorkflowId();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(WorkflowObservationContext context) {
		return KeyValues.of(WORKFLOW, context.getWorkflowId(), OUTCOME, context.getOutcome());
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(WorkflowObservationContext context) {
		return KeyValues.of(INSTANCE_ID, context.getInstanceId());
	}

}
