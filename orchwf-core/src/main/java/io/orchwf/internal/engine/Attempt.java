package io.orchwf.internal.engine;

import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import io.orchwf.internal.json.JsonObject;
import org.jspecify.annotations.Nullable;

/**
 * One execution of a step (or of its compensator), from launch to result.
 *
 * <p>
 * It guards the interrupt protocol: the thread is interrupted only while it runs the
 * step's own code, never afterwards while the engine records the result, and a cancelled
 * attempt that has not started never starts. Its identity tells a current result from a
 * late one: the instance keeps the attempt it waits for, and ignores any other.
 */
final class Attempt {

	private final int step;

	private final int number;

	private final boolean compensation;

	private final JsonObject input;

	private final Instant createdAt;

	private @Nullable Thread thread;

	private volatile boolean cancelled;

	private @Nullable ScheduledFuture<?> timeout;

	private long startNanos;

	Attempt(int step, int number, boolean compensation, JsonObject input, Instant createdAt) {
		this.step = step;
		this.number = number;
		this.compensation = compensation;
		this.input = input;
		this.createdAt = createdAt;
	}

	int step() {
		return this.step;
	}

	int number() {
		return this.number;
	}

	boolean compensation() {
		return this.compensation;
	}

	JsonObject input() {
		return this.input;
	}

	Instant createdAt() {
		return this.createdAt;
	}

	/**
	 * Enter the step's code on the current thread.
	 * @return {@code false} if the attempt was cancelled before it started
	 */
	synchronized boolean enter() {
		if (this.cancelled) {
			return false;
		}
		this.thread = Thread.currentThread();
		this.startNanos = System.nanoTime();
		return true;
	}

	/**
	 * Leave the step's code; clears an interrupt aimed at it.
	 */
	void exit() {
		synchronized (this) {
			this.thread = null;
		}
		Thread.interrupted();
		ScheduledFuture<?> pendingTimeout = this.timeout;
		if (pendingTimeout != null) {
			pendingTimeout.cancel(false);
		}
	}

	/**
	 * Cancel the attempt: interrupt its thread if it is in the step's code, and make it
	 * never start if it has not.
	 */
	void cancel() {
		synchronized (this) {
			this.cancelled = true;
			if (this.thread != null) {
				this.thread.interrupt();
			}
		}
		ScheduledFuture<?> pendingTimeout = this.timeout;
		if (pendingTimeout != null) {
			pendingTimeout.cancel(false);
		}
	}

	boolean isCancelled() {
		return this.cancelled;
	}

	void timeout(ScheduledFuture<?> timeout) {
		this.timeout = timeout;
	}

	/**
	 * How long the step's code has run.
	 * @return milliseconds since {@link #enter()}, 0 if it never started
	 */
	synchronized long elapsedMillis() {
		return (this.startNanos != 0) ? (System.nanoTime() - this.startNanos) / 1_000_000 : 0;
	}

}
