/**
 * How decided transitions reach the store: {@code TransitionWriter} and its two kinds,
 * the {@code DirectTransitionWriter} (each write at once on the calling thread, for
 * stores whose writes cost no I/O; a failed write retried with a backoff) and the
 * {@code GroupCommitTransitionWriter} (the transitions of many instances in shared
 * commits, for databases). Writers see only the store's {@code InstanceUpdate}, never the
 * state machine. Depends only on {@code support}.
 */
@NullMarked
package io.orchwf.internal.engine.write;

import org.jspecify.annotations.NullMarked;
