/**
 * The orchwf test kit in Spring Boot tests:
 * {@link io.orchwf.test.spring.AutoConfigureOrchwfTest} gives the application's
 * orchestrator a {@link io.orchwf.test.TestClock} and exposes an
 * {@link io.orchwf.test.OrchwfTestEnvironment} bean over it.
 */
@NullMarked
package io.orchwf.test.spring;

import org.jspecify.annotations.NullMarked;
