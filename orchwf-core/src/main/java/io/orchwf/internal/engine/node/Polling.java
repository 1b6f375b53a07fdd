package io.orchwf.internal.engine.node;

import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import io.orchwf.internal.engine.support.CoalescedTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How this node claims due and orphaned instances: at every poll interval, and at once
 * when a notice says instances are claimable or when it has room again for a start it
 * left to others. Polls asked for while one runs make it run once more, never at the same
 * time as it: two could claim more than the node has room for.
 */
final class Polling {

	private static final Logger logger = LoggerFactory.getLogger(Polling.class);

	private final EngineSettings settings;

	private final NodeLifecycle lifecycle;

	private final Claims claims;

	private final WakeUps wakeUps;

	private final IntSupplier driven;

	private final Supplier<Instant> clock;

	private final CoalescedTask polls;

	/** Whether a start was left in the store for any node because this one was full. */
	private final AtomicBoolean startsLeft = new AtomicBoolean();

	/**
	 * Poll for a node.
	 * @param settings the node's settings
	 * @param lifecycle whether the node accepts work
	 * @param claims how it claims
	 * @param wakeUps the wake-ups of the runs it holds, fired by each poll when due
	 * @param driven how many instances it drives
	 * @param clock the engine's time
	 * @param executor where polls run
	 */
	Polling(EngineSettings settings, NodeLifecycle lifecycle, Claims claims, WakeUps wakeUps, IntSupplier driven,
			Supplier<Instant> clock, Executor executor) {
		this.settings = settings;
		this.lifecycle = lifecycle;
		this.claims = claims;
		this.wakeUps = wakeUps;
		this.driven = driven;
		this.clock = clock;
		this.polls = new CoalescedTask(executor, this::pollOnce);
	}

	/**
	 * Poll soon, besides the poll interval.
	 */
	void request() {
		this.polls.request();
	}

	/**
	 * A start that this node, full, left in the store for any node: it claims it itself
	 * once it has room, unless another node did first.
	 */
	void startLeft() {
		this.startsLeft.set(true);
		// at once if there is room: a start of a limited workflow is left to a claim
		// even on a node with room, for the claim to count its workflow's slots
		request();
	}

	/**
	 * A run of this node ended: room for a start it left to others, if any waits, and a
	 * slot of its workflow's concurrency limit for the next instance queued for one.
	 * @param freedSlot whether the run's workflow has a concurrency limit
	 */
	void runEnded(boolean freedSlot) {
		if (freedSlot || this.startsLeft.get()) {
			request();
		}
	}

	/**
	 * Claim what is due, up to the node's room.
	 */
	private void pollOnce() {
		if (!this.lifecycle.isAccepting()) {
			return;
		}
		try {
			// the wake-ups of runs held here, which the store's due instances do not show
			this.wakeUps.fireDue(this.clock.get());
			this.lifecycle.ifAccepting(() -> {
				int free = this.settings.maxActiveInstances() - this.driven.getAsInt();
				if (free > 0 && this.claims.claimDue(free) < free) {
					// nothing left to claim, of what this node left to others or any
					// other
					this.startsLeft.set(false);
				}
				return null;
			}, null);
		}
		catch (RuntimeException ex) {
			logger.warn("Polling for claimable instances failed; trying again in {}", this.settings.pollInterval(), ex);
		}
	}

}
