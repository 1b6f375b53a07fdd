package io.orchwf.test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.orchwf.Orchestrator;
import io.orchwf.store.StateStore;

/**
 * Whether an orchestrator has nothing to do at the clock's time: no attempt runs, it
 * drives no instance, and the store holds no instance that is due or whose lease expired.
 * Seen once, that may be the gap between a claim and its run; so it counts as quiet only
 * once seen several times in a row over more than two poll intervals of the orchestrator.
 */
final class Quiescence {

	/** How often the test thread looks, in real time. */
	static final Duration LOOK_INTERVAL = Duration.ofMillis(2);

	private static final int LOOKS_IN_A_ROW = 4;

	private final Orchestrator orchestrator;

	private final StateStore store;

	private final TestClock clock;

	private final long quietNanos;

	private int looks;

	private long quietSince;

	Quiescence(Orchestrator orchestrator, StateStore store, TestClock clock, Duration pollInterval) {
		this.orchestrator = orchestrator;
		this.store = store;
		this.clock = clock;
		this.quietNanos = pollInterval.multipliedBy(2).toNanos();
	}

	/**
	 * Look once more.
	 * @return {@code true} once nothing has happened for long enough
	 */
	boolean isQuiet() {
		if (!nothingToDo()) {
			this.looks = 0;
			return false;
		}
		long now = System.nanoTime();
		if (this.looks++ == 0) {
			this.quietSince = now;
		}
		return this.looks >= LOOKS_IN_A_ROW && now - this.quietSince >= this.quietNanos;
	}

	/**
	 * Start counting again: something changed (the clock moved).
	 */
	void reset() {
		this.looks = 0;
	}

	/**
	 * The time to skip to: the earliest stored wake-up, if it is ahead of the clock.
	 * @return the wake-up, or empty if nothing waits for a time
	 */
	Optional<Instant> nextWakeUp() {
		return this.store.earliestWakeUp().filter((at) -> at.isAfter(this.clock.instant()));
	}

	private boolean nothingToDo() {
		return this.orchestrator.busyWorkers() == 0 && this.orchestrator.activeInstances() == 0
				&& this.store.countClaimable(this.clock.instant()) == 0;
	}

}
