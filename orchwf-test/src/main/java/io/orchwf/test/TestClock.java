package io.orchwf.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A clock for tests that never moves by itself: it reads the same instant until
 * {@link #advance(Duration)} moves it forward (or an {@link OrchwfTestEnvironment} skips
 * time while it waits). It keeps microseconds, as the stores do, and is in UTC.
 *
 * <p>
 * Given to an orchestrator with {@code Orchestrator.builder(store).clock(clock)}, it
 * drives every time the engine decides by: timers, retry backoff, wait timeouts,
 * {@code startAt} and leases. The per-attempt timeout of running step code stays in real
 * time, since the step's own code does.
 */
public final class TestClock extends Clock {

	private final List<Runnable> advanceListeners = new CopyOnWriteArrayList<>();

	private volatile Instant now;

	/**
	 * A clock that reads the given instant until it is moved.
	 * @param start its first instant
	 */
	public TestClock(Instant start) {
		this.now = Objects.requireNonNull(start, "start").truncatedTo(ChronoUnit.MICROS);
	}

	/**
	 * A clock that starts at the real time now and stands still from then on.
	 * @return the clock
	 */
	public static TestClock startingNow() {
		return new TestClock(Clock.systemUTC().instant());
	}

	@Override
	public Instant instant() {
		return this.now;
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	/**
	 * This clock seen in another zone: the same instants, moved by the same calls.
	 * @param zone the zone
	 * @return a view of this clock
	 */
	@Override
	public Clock withZone(ZoneId zone) {
		Objects.requireNonNull(zone, "zone");
		if (zone.equals(ZoneOffset.UTC)) {
			return this;
		}
		return new ZonedView(this, zone);
	}

	/**
	 * Move the clock forward and let whatever became due fire: when the clock belongs to
	 * an {@link OrchwfTestEnvironment}, this returns once its orchestrator has taken the
	 * instances that became due.
	 * @param duration how far; zero does nothing
	 * @throws IllegalArgumentException if the duration is negative: the clock never goes
	 * back, as the engine's time must not
	 */
	public void advance(Duration duration) {
		Objects.requireNonNull(duration, "duration");
		if (duration.isNegative()) {
			throw new IllegalArgumentException(
					"The clock only moves forward, but the duration is " + duration + "; advance by zero or more");
		}
		if (duration.isZero()) {
			return;
		}
		moveTo(this.now.plus(duration));
		this.advanceListeners.forEach(Runnable::run);
	}

	/**
	 * Move the clock to a later instant without telling anyone; the environment's time
	 * skipping, which then waits itself.
	 * @param instant the new time, not before the current one
	 */
	synchronized void moveTo(Instant instant) {
		Instant target = instant.truncatedTo(ChronoUnit.MICROS);
		if (target.isAfter(this.now)) {
			this.now = target;
		}
	}

	void onAdvance(Runnable listener) {
		this.advanceListeners.add(listener);
	}

	@Override
	public String toString() {
		return "TestClock[" + this.now + "]";
	}

	/**
	 * A {@link TestClock} seen in another zone.
	 */
	private static final class ZonedView extends Clock {

		private final TestClock clock;

		private final ZoneId zone;

		ZonedView(TestClock clock, ZoneId zone) {
			this.clock = clock;
			this.zone = zone;
		}

		@Override
		public Instant instant() {
			return this.clock.instant();
		}

		@Override
		public ZoneId getZone() {
			return this.zone;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this.clock.withZone(zone);
		}

	}

}
