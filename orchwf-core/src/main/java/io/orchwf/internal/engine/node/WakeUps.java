package io.orchwf.internal.engine.node;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The wake-ups this node armed, each of which fires once: when its real-time timer does,
 * or, if the engine's clock runs ahead of real time (a test clock moved forward), at the
 * first {@link #fireDue} that finds it due by that clock, whichever comes first.
 */
final class WakeUps {

	private static final Comparator<WakeUp> BY_TIME = Comparator.comparing(WakeUp::at)
		.thenComparingLong(WakeUp::sequence);

	private final ConcurrentSkipListSet<WakeUp> armed = new ConcurrentSkipListSet<>(BY_TIME);

	private final AtomicLong sequence = new AtomicLong();

	private final ScheduledExecutorService timers;

	private final Consumer<String> wake;

	/**
	 * Create the node's wake-ups.
	 * @param timers the node's timer
	 * @param wake looks at an instance again; called on the timer thread, so it must hand
	 * off at once
	 */
	WakeUps(ScheduledExecutorService timers, Consumer<String> wake) {
		this.timers = timers;
		this.wake = wake;
	}

	/**
	 * Arm a wake-up.
	 * @param instanceId the instance to look at again
	 * @param at when, by the engine's clock
	 * @param now the engine's time now
	 */
	void arm(String instanceId, Instant at, Instant now) {
		WakeUp wakeUp = new WakeUp(at, this.sequence.incrementAndGet(), instanceId);
		this.armed.add(wakeUp);
		long delayMicros = Math.max(0, ChronoUnit.MICROS.between(now, at)) + 1000;
		try {
			this.timers.schedule(() -> fire(wakeUp), delayMicros, TimeUnit.MICROSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// closing: the wake-up is stored, another node or a restart will act on it
			this.armed.remove(wakeUp);
		}
	}

	/**
	 * Fire every wake-up due by the engine's clock whose timer has not fired yet.
	 * @param now the engine's time now
	 */
	void fireDue(Instant now) {
		for (WakeUp due : this.armed.headSet(new WakeUp(now, Long.MAX_VALUE, ""), true)) {
			fire(due);
		}
	}

	private void fire(WakeUp wakeUp) {
		// whichever of the timer and the poller removes it fires it
		if (this.armed.remove(wakeUp)) {
			this.wake.accept(wakeUp.instanceId());
		}
	}

	private record WakeUp(Instant at, long sequence, String instanceId) {
	}

}
