/**
 * What Spring Boot applications use of orchwf directly:
 * {@link io.orchwf.spring.WorkflowStep} and {@link io.orchwf.spring.Retry} to declare
 * steps, and {@link io.orchwf.spring.OrchestratorCustomizer} to adjust the orchestrator.
 */
@NullMarked
package io.orchwf.spring;

import org.jspecify.annotations.NullMarked;
