/**
 * Registered workflows compiled for the engine: a {@code WorkflowPlan} is one version of
 * a workflow with its steps by index, its dependency edges as arrays, its topological
 * order and each step's effective retry policy and timeout; the {@code WorkflowRegistry}
 * finds the plan of a version, or the latest. Depends only on the public API.
 */
@NullMarked
package io.orchwf.internal.plan;

import org.jspecify.annotations.NullMarked;
