package io.orchwf.internal.engine.attempt;

import java.time.Instant;
import java.util.function.Supplier;

import io.orchwf.internal.engine.pool.StepPools;
import io.orchwf.store.StateStore;

/**
 * What the attempts of every run on a node share, gathered once by the node so that a run
 * hands them on without knowing them.
 *
 * @param pools the threads attempts run on
 * @param deadlines the watch that bounds attempts by their timeouts
 * @param store the store, which checks that outputs can be stored
 * @param clock the engine's clock, which dates the start of each attempt's code
 * @param interception the interceptors the code of each attempt runs within
 */
public record AttemptServices(StepPools pools, StepDeadlines deadlines, StateStore store, Supplier<Instant> clock,
		StepInterception interception) {
}
