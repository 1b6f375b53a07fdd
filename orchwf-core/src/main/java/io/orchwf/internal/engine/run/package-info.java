/**
 * One workflow instance driven on this node. {@code InstanceRun} takes every input (an
 * attempt's end, a timeout, a due wake-up, a signal, a cancellation), lets the state
 * machine decide under the run's lock, hands the transition to its
 * {@code TransitionPipeline}, which commits one write at a time, and carries out the
 * follow-ups of each committed transition: launching attempts, arming wake-ups, starting
 * children. What the run needs from the node is the {@code RunHost} interface, so nothing
 * here knows the node. Depends on {@code statemachine}, {@code attempt}, {@code write}
 * and {@code pool}.
 */
@NullMarked
package io.orchwf.internal.engine.run;

import org.jspecify.annotations.NullMarked;
