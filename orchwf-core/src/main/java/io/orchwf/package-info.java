/**
 * The orchwf public API: the {@link io.orchwf.Orchestrator}, workflow and step
 * definitions, retry policies, the value types it returns and its exceptions.
 */
@NullMarked
package io.orchwf;

import org.jspecify.annotations.NullMarked;
