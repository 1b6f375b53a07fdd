package io.orchwf.spring.metrics;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names an Observation of a workflow instance and chooses its key values. Declare a bean
 * of this type to replace {@link DefaultWorkflowObservationConvention}.
 */
public interface WorkflowObservationConvention extends ObservationConvention<WorkflowObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof WorkflowObservationContext;
	}

}
