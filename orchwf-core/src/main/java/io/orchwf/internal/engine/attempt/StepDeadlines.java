package io.orchwf.internal.engine.attempt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.orchwf.internal.engine.support.DaemonThreads;
import org.jspecify.annotations.Nullable;

/**
 * The timeouts of the attempts running on a node. Every attempt has one (five minutes by
 * default) and almost none reaches it, so arming one must cost next to nothing: an
 * attempt is linked into this watch's list (no allocation, a few pointer writes under a
 * lock) and unlinked when it leaves its code, where a scheduled task per attempt would
 * cost a task object and a priority queue's insertion and removal. One thread sleeps
 * until the earliest deadline in the list and scans it then; a deadline earlier than the
 * one it sleeps for wakes it. The list holds the attempts running now, so a scan is
 * short.
 */
public final class StepDeadlines implements AutoCloseable {

	/**
	 * How long the watching thread sleeps at most between scans, so that a missed wake-up
	 * costs no more than this.
	 */
	private static final long MAX_SLEEP_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final Object lock = new Object();

	private final Thread watcher;

	/** The first deadline of the list; guarded by {@link #lock}. */
	private @Nullable WatchedDeadline first;

	/** Until when the watcher sleeps, in {@link System#nanoTime()}; guarded. */
	private long sleepingUntil = Long.MAX_VALUE;

	private volatile boolean closed;

	/**
	 * Start watching, on a thread of its own.
	 */
	public StepDeadlines() {
		this.watcher = DaemonThreads.named("orchwf-deadlines-").newThread(this::watch);
		this.watcher.start();
	}

	/**
	 * Watch a deadline until it is {@link #unwatch unwatched} or passes.
	 * @param deadline what it bounds, not watched yet
	 * @param deadlineNanos when it passes, in {@link System#nanoTime()}
	 * @param listener told once it passes
	 */
	void watch(WatchedDeadline deadline, long deadlineNanos, WatchedDeadline.Listener listener) {
		synchronized (this.lock) {
			deadline.deadlineNanos = deadlineNanos;
			deadline.listener = listener;
			deadline.watched = true;
			deadline.previousWatched = null;
			deadline.nextWatched = this.first;
			if (this.first != null) {
				this.first.previousWatched = deadline;
			}
			this.first = deadline;
			if (deadlineNanos - this.sleepingUntil < 0) {
				this.sleepingUntil = deadlineNanos;
				this.lock.notifyAll();
			}
		}
	}

	/**
	 * Stop watching a deadline; nothing if it is not watched.
	 * @param deadline what it bounds
	 */
	void unwatch(WatchedDeadline deadline) {
		synchronized (this.lock) {
			unlink(deadline);
		}
	}

	private void unlink(WatchedDeadline deadline) {
		if (!deadline.watched) {
			return;
		}
		WatchedDeadline previous = deadline.previousWatched;
		WatchedDeadline next = deadline.nextWatched;
		if (previous != null) {
			previous.nextWatched = next;
		}
		else {
			this.first = next;
		}
		if (next != null) {
			next.previousWatched = previous;
		}
		deadline.previousWatched = null;
		deadline.nextWatched = null;
		deadline.watched = false;
	}

	private void watch() {
		List<WatchedDeadline> passed = new ArrayList<>();
		List<WatchedDeadline.Listener> listeners = new ArrayList<>();
		while (!this.closed) {
			synchronized (this.lock) {
				long now = System.nanoTime();
				long earliest = now + MAX_SLEEP_NANOS;
				WatchedDeadline deadline = this.first;
				while (deadline != null) {
					WatchedDeadline next = deadline.nextWatched;
					if (deadline.deadlineNanos - now <= 0) {
						unlink(deadline);
						passed.add(deadline);
						listeners.add(deadline.listener);
					}
					else if (deadline.deadlineNanos - earliest < 0) {
						earliest = deadline.deadlineNanos;
					}
					deadline = next;
				}
				if (passed.isEmpty()) {
					this.sleepingUntil = earliest;
					try {
						TimeUnit.NANOSECONDS.timedWait(this.lock, earliest - now);
					}
					catch (InterruptedException ex) {
						return;
					}
					this.sleepingUntil = Long.MAX_VALUE;
					continue;
				}
			}
			for (int i = 0; i < passed.size(); i++) {
				WatchedDeadline.Listener listener = listeners.get(i);
				if (listener != null) {
					listener.passed(passed.get(i));
				}
			}
			passed.clear();
			listeners.clear();
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.watcher.interrupt();
	}

}
