/**
 * One try of a step's code. An {@code Attempt} is decided by the state machine; the
 * {@code AttemptRunner} runs it on the node's pools within its timeout, gives it its
 * {@code AttemptContext} and reports how it ended, as an output or a {@code StepFailure},
 * to its {@code AttemptOwner} (the run). Depends only on {@code pool}.
 */
@NullMarked
package io.orchwf.internal.engine.attempt;

import org.jspecify.annotations.NullMarked;
