package io.orchwf.spring.metrics;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names an Observation of a step attempt and chooses its key values. Declare a bean of
 * this type to replace {@link DefaultStepObservationConvention}.
 */
public interface StepObservationConvention extends ObservationConvention<StepObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof StepObservationContext;
	}

}
