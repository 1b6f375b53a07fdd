package io.orchwf.spring;

import io.orchwf.Orchestrator;

/**
 * Customizes the {@link Orchestrator.Builder} of the auto-configured orchestrator, after
 * the {@code orchwf.*} properties are applied. Beans of this type are applied in their
 * {@link org.springframework.core.annotation.Order order}.
 */
@FunctionalInterface
public interface OrchestratorCustomizer {

	/**
	 * Customize the builder.
	 * @param builder the builder, with the properties applied
	 */
	void customize(Orchestrator.Builder builder);

}
