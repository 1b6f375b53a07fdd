/**
 * One try of a step's code. An {@code Attempt} is decided by the state machine; the
 * {@code AttemptRunner} runs it on the node's pools within its timeout, gives it its
 * {@code AttemptContext}, runs its code inside the orchestrator's step interceptors
 * ({@code StepInterception}), and reports how it ended, as an output or a
 * {@code StepFailure}, to its {@code AttemptOwner} (the run). What it needs of the node
 * comes as one {@code AttemptServices}. Depends only on {@code pool}.
 */
@NullMarked
package io.orchwf.internal.engine.attempt;

import org.jspecify.annotations.NullMarked;
