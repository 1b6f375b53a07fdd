package io.orchwf.spring.metrics;

import io.micrometer.common.KeyValues;

/**
 * The default {@link StepObservationConvention}: observation {@value #NAME}, span name
 * {@code step <step id>}, low-cardinality keys {@code workflow}, {@code step} and
 * {@code outcome}, high-cardinality keys {@code instance.id} and {@code attempt}.
 */
public class DefaultStepObservationConvention implements StepObservationConvention {

	/** The observation name. */
	public static final String NAME = "orchwf.step.execution";

	/** Low-cardinality key holding the workflow id. */
	public static final String WORKFLOW = "workflow";

	/** Low-cardinality key holding the step id. */
	public static final String STEP = "step";

	/** Low-cardinality key holding how the attempt ended. */
	public static final String OUTCOME = "outcome";

	/** High-cardinality key holding the instance id. */
	public static final String INSTANCE_ID = "instance.id";

	/** High-cardinality key holding the attempt number. */
	public static final String ATTEMPT = "attempt";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(StepObservationContext context) {
		return "step " + context.getStepId();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(StepObservationContext context) {
		return KeyValues.of(WORKFLOW, context.getWorkflowId(), STEP, context.getStepId(), OUTCOME,
				context.getOutcome());
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(StepObservationContext context) {
		return KeyValues.of(INSTANCE_ID, context.getInstanceId(), ATTEMPT, Integer.toString(context.getAttempt()));
	}

}
