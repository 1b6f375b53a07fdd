package io.orchwf.internal.engine.support;

import java.time.Duration;

/**
 * How the engine waits between tries of its own work while a fault lasts (a commit the
 * database could not take, the start of a child): the delay doubles after each try, up to
 * a cap. The retries of steps follow their {@link io.orchwf.RetryPolicy} instead.
 */
public final class Backoff {

	private Backoff() {
	}

	/**
	 * The delay after this one.
	 * @param delay the delay just waited
	 * @param max the cap
	 * @return twice the delay, at most {@code max}
	 */
	public static Duration doubled(Duration delay, Duration max) {
		Duration twice = delay.multipliedBy(2);
		return (twice.compareTo(max) > 0) ? max : twice;
	}

}
