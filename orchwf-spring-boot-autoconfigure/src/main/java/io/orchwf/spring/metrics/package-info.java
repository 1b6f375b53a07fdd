/**
 * Micrometer integration: the {@code orchwf.*} meters, recorded from workflow events and
 * read from the orchestrator, and Observations of workflow instances and step attempts,
 * which become traces when Micrometer Tracing is present.
 */
@NullMarked
package io.orchwf.spring.metrics;

import org.jspecify.annotations.NullMarked;
