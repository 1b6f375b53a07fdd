/**
 * The threads the node runs work on: {@code StepPools} holds the fixed worker pool of
 * async steps, served by priority, and the {@code LanePool} that grows on demand for sync
 * steps, compensations and the engine's chores, where an instance runs one task at a time
 * on its lane. Depends only on {@code support}.
 */
@NullMarked
package io.orchwf.internal.engine.pool;

import org.jspecify.annotations.NullMarked;
