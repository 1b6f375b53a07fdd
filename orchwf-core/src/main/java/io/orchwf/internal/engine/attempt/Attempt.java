package io.orchwf.internal.engine.attempt;

import java.time.Instant;

import io.orchwf.internal.json.JsonObject;
import org.jspecify.annotations.Nullable;

/**
 * One execution of a step (or of its compensator), from launch to result.
 *
 * <p>
 * It guards the interrupt protocol: the thread is interrupted only while it runs the
 * step's own code, never afterwards while the engine records the result, and an attempt
 * stopped before it started never starts. Its identity tells a current result from a late
 * one: the instance keeps the attempt it waits for, and ignores any other.
 */
public final class Attempt extends WatchedDeadline {

	/** The {@link #element()} of an attempt that runs a whole step. */
	public static final int NO_ELEMENT = -1;

	private enum State {

		/** Launched, not yet running the step's code. */
		NEW,

		/** Running the step's code. */
		RUNNING,

		/** Done with the step's code, or never to run it. */
		EXITED

	}

	private final int step;

	private final int number;

	private final int element;

	private final boolean compensation;

	private final JsonObject input;

	private final Instant createdAt;

	private State state = State.NEW;

	private @Nullable Thread thread;

	private volatile boolean interrupted;

	/** The watch of its timeout, once armed. */
	private volatile @Nullable StepDeadlines deadlines;

	private @Nullable Instant startedAt;

	public Attempt(int step, int number, boolean compensation, JsonObject input, Instant createdAt) {
		this(step, number, NO_ELEMENT, compensation, input, createdAt);
	}

	/**
	 * An attempt at one element of a forEach step.
	 */
	public Attempt(int step, int number, int element, JsonObject input, Instant createdAt) {
		this(step, number, element, false, input, createdAt);
	}

	private Attempt(int step, int number, int element, boolean compensation, JsonObject input, Instant createdAt) {
		this.step = step;
		this.number = number;
		this.element = element;
		this.compensation = compensation;
		this.input = input;
		this.createdAt = createdAt;
	}

	public int step() {
		return this.step;
	}

	public int number() {
		return this.number;
	}

	/**
	 * The element of a forEach step this attempt runs.
	 * @return its index, or {@link #NO_ELEMENT}
	 */
	public int element() {
		return this.element;
	}

	public boolean compensation() {
		return this.compensation;
	}

	public JsonObject input() {
		return this.input;
	}

	Instant createdAt() {
		return this.createdAt;
	}

	/**
	 * Enter the step's code on the current thread.
	 * @param now the time of the engine's clock
	 * @return {@code false} if the attempt was stopped before it started
	 */
	synchronized boolean enter(Instant now) {
		if (this.state != State.NEW) {
			return false;
		}
		this.state = State.RUNNING;
		this.thread = Thread.currentThread();
		this.startedAt = now;
		return true;
	}

	/**
	 * Leave the step's code; clears an interrupt aimed at it.
	 */
	void exit() {
		synchronized (this) {
			this.state = State.EXITED;
			this.thread = null;
		}
		Thread.interrupted();
		cancelTimeout();
	}

	/**
	 * Ask the attempt to stop: interrupt its thread if it runs the step's code, and make
	 * it never start if it has not. Its timeout stays armed, to bound the wait for it to
	 * stop.
	 * @return {@code true} if it runs the step's code and will report how it ended;
	 * {@code false} if it will never run or has already ended
	 */
	public synchronized boolean interrupt() {
		this.interrupted = true;
		if (this.state == State.NEW) {
			this.state = State.EXITED;
			return false;
		}
		if (this.state == State.RUNNING && this.thread != null) {
			this.thread.interrupt();
			return true;
		}
		return false;
	}

	/**
	 * Stop waiting for the attempt: interrupt it as {@link #interrupt()} does and disarm
	 * its timeout; whatever it reports later is ignored.
	 */
	public void abandon() {
		interrupt();
		cancelTimeout();
	}

	/**
	 * Whether the attempt was asked to stop.
	 * @return {@code true} once interrupted or abandoned
	 */
	public boolean isInterrupted() {
		return this.interrupted;
	}

	/**
	 * Bound the attempt by a timeout, unless it has already left its code.
	 * @param deadlines the node's watch
	 * @param listener told once the timeout passes
	 * @param timeoutNanos the timeout
	 */
	void armTimeout(StepDeadlines deadlines, WatchedDeadline.Listener listener, long timeoutNanos) {
		this.deadlines = deadlines;
		deadlines.watch(this, System.nanoTime() + timeoutNanos, listener);
		boolean exited;
		synchronized (this) {
			exited = this.state == State.EXITED;
		}
		if (exited) {
			deadlines.unwatch(this);
		}
	}

	private void cancelTimeout() {
		StepDeadlines deadlines = this.deadlines;
		if (deadlines != null) {
			deadlines.unwatch(this);
		}
	}

	/**
	 * When the step's code began, on the engine's clock: the start of the attempt as its
	 * duration counts it, which may be later than its launch (it may have waited for a
	 * thread).
	 * @return the instant, or {@code null} if the code never began
	 */
	public synchronized @Nullable Instant startedAt() {
		return this.startedAt;
	}

}
