package io.orchwf.internal.engine.pool;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * The lane threads: as many as tasks run at once, each let go after it has been idle for
 * the keep-alive time. Every task submitted wakes an idle thread for it, or starts a new
 * one if none is idle, so that no task waits behind another (a sync step may block for as
 * long as its timeout allows).
 *
 * <p>
 * A {@code ThreadPoolExecutor} on a {@code SynchronousQueue} gives the same guarantee,
 * but it binds each task to the thread that went idle last. Here a task waits in a shared
 * queue, the thread woken for it is the one idle longest, and a thread that finishes its
 * own task takes the next queued one if it gets there first (the woken thread then finds
 * nothing and goes idle again). Measured on two cores, with a caller and a lane taking
 * turns as they do when a caller starts workflows one after another, the
 * {@code SynchronousQueue} hand-off made a chain of sync steps take 1.5 to 1.9 times as
 * long, and so did this pool waking the thread idle shortest. The price: under steady
 * load every idle thread is woken in turn, so threads retire only once the load drops.
 *
 * <p>
 * No task is left behind: a task submitted reserves a thread (woken from idle, or new)
 * unless as many reservations are outstanding as tasks are queued, a reserved thread
 * looks at the queue once it runs, and a thread takes one task per look, only when it is
 * free to run it at once; so there are never more tasks queued than reserved threads
 * still to look. A reservation whose task another thread took serves the next task rather
 * than a new thread being started for it. Queueing a task and looking at the queue each
 * count the reservations under one short lock, so that a look that finds the queue empty
 * and a task that arrives at that moment cannot both count on the other to act. An idle
 * thread either is reserved or retires, by one compare-and-set on its state, never both.
 */
final class LanePool {

	private static final int IDLE = 0;

	private static final int RESERVED = 1;

	private static final int RETIRED = 2;

	private final ThreadFactory threadFactory;

	private final long keepAliveNanos;

	/**
	 * Guards {@link #tasks} and {@link #reserved}, so that the two are counted together.
	 */
	private final Object lock = new Object();

	private final Queue<Runnable> tasks = new ArrayDeque<>();

	/** Idle threads, the one idle longest last: woken from the tail. */
	private final ConcurrentLinkedDeque<Worker> idle = new ConcurrentLinkedDeque<>();

	private final Set<Worker> workers = ConcurrentHashMap.newKeySet();

	/** Threads reserved for the queue that have not looked at it yet. */
	private int reserved;

	private volatile boolean shutdown;

	private volatile boolean stopping;

	LanePool(ThreadFactory threadFactory, Duration keepAlive) {
		this.threadFactory = threadFactory;
		this.keepAliveNanos = keepAlive.toNanos();
	}

	/**
	 * Run a task on an idle thread, or on a new one if every thread is busy.
	 * @param task the task
	 * @throws RejectedExecutionException if the pool is shut down or no thread can be
	 * created
	 */
	void execute(Runnable task) {
		if (this.shutdown) {
			throw new RejectedExecutionException("The lane pool is shut down");
		}
		synchronized (this.lock) {
			this.tasks.add(task);
			if (this.tasks.size() <= this.reserved) {
				return;
			}
			this.reserved++;
		}
		for (Worker worker = this.idle.pollLast(); worker != null; worker = this.idle.pollLast()) {
			if (worker.reserve()) {
				return;
			}
		}
		Worker worker = new Worker();
		Thread thread;
		try {
			thread = this.threadFactory.newThread(worker);
			if (thread == null) {
				throw new RejectedExecutionException("The thread factory made no lane thread");
			}
			worker.thread = thread;
			this.workers.add(worker);
			thread.start();
		}
		catch (RuntimeException | Error ex) {
			this.workers.remove(worker);
			boolean withdrawn;
			synchronized (this.lock) {
				this.reserved--;
				withdrawn = this.tasks.remove(task);
			}
			if (withdrawn) {
				throw (ex instanceof RejectedExecutionException rejected) ? rejected
						: new RejectedExecutionException("Could not start a lane thread", ex);
			}
			// another thread took the task already
		}
	}

	/**
	 * Accept no more tasks; threads end once the queue is empty.
	 */
	void shutdown() {
		this.shutdown = true;
		this.idle.forEach(Worker::wake);
	}

	/**
	 * Accept no more tasks, drop the queued ones and interrupt every thread.
	 */
	void shutdownNow() {
		this.stopping = true;
		synchronized (this.lock) {
			this.tasks.clear();
		}
		shutdown();
		for (Worker worker : this.workers) {
			Thread thread = worker.thread;
			if (thread != null) {
				thread.interrupt();
			}
		}
	}

	/**
	 * Wait for every thread to end, after {@link #shutdown()}.
	 * @param timeout how long to wait at most
	 * @param unit the unit of the timeout
	 * @return {@code true} if every thread ended in time
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
		long deadline = System.nanoTime() + unit.toNanos(timeout);
		while (!this.workers.isEmpty()) {
			for (Worker worker : this.workers) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return this.workers.isEmpty();
				}
				Thread thread = worker.thread;
				if (thread != null) {
					TimeUnit.NANOSECONDS.timedJoin(thread, remaining);
				}
			}
		}
		return true;
	}

	private final class Worker implements Runnable {

		private final AtomicInteger state = new AtomicInteger(RESERVED);

		private volatile @Nullable Thread thread;

		/** Reserve this idle thread for a queued task; {@code false} if it retired. */
		boolean reserve() {
			if (this.state.compareAndSet(IDLE, RESERVED)) {
				wake();
				return true;
			}
			return false;
		}

		void wake() {
			Thread parked = this.thread;
			if (parked != null) {
				LockSupport.unpark(parked);
			}
		}

		@Override
		public void run() {
			try {
				boolean reservation = true;
				while (true) {
					Runnable task = take(reservation);
					reservation = false;
					if (task != null) {
						clearStrayInterrupt();
						task.run();
					}
					else if (awaitReservation()) {
						reservation = true;
					}
					else {
						return;
					}
				}
			}
			finally {
				this.state.set(RETIRED);
				LanePool.this.workers.remove(this);
			}
		}

		/** One look at the queue, using up this thread's reservation if it holds one. */
		private @Nullable Runnable take(boolean reservation) {
			synchronized (LanePool.this.lock) {
				LanePool.this.reserved -= reservation ? 1 : 0;
				return LanePool.this.tasks.poll();
			}
		}

		/** Go idle until reserved ({@code true}) or retired ({@code false}). */
		private boolean awaitReservation() {
			this.state.set(IDLE);
			LanePool.this.idle.addFirst(this);
			long deadline = System.nanoTime() + LanePool.this.keepAliveNanos;
			while (this.state.get() == IDLE) {
				long remaining = deadline - System.nanoTime();
				if ((remaining <= 0 || LanePool.this.shutdown) && this.state.compareAndSet(IDLE, RETIRED)) {
					LanePool.this.idle.remove(this);
					return false;
				}
				clearStrayInterrupt();
				LockSupport.parkNanos(this, remaining);
			}
			return true;
		}

		/**
		 * An interrupt meant for the previous task (a step that timed out, say) must
		 * neither reach the next one nor keep an idle thread from parking; only
		 * {@link #shutdownNow()} interrupts on purpose.
		 */
		private void clearStrayInterrupt() {
			if (!LanePool.this.stopping) {
				Thread.interrupted();
			}
		}

	}

}
