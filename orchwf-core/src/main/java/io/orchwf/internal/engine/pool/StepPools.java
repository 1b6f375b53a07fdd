package io.orchwf.internal.engine.pool;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.orchwf.internal.engine.support.DaemonThreads;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads steps run on.
 *
 * <p>
 * Async steps run on a fixed pool of {@code workers} threads whose queue is ordered by
 * step priority, then by submission, so that a busy pool starts the most important ready
 * step first. Sync steps, compensations and engine chores run on the lane pool, which
 * grows on demand and lets idle threads go: an instance runs at most one sync step at a
 * time, so the lanes of the instances being driven are what it holds, and an instance
 * that runs nothing holds no thread. When a lane task submits another lane task (a sync
 * step completing and starting the next), the new task runs on the same thread after the
 * current one returns, saving a thread hand-off per step.
 */
public final class StepPools {

	private static final Logger logger = LoggerFactory.getLogger(StepPools.class);

	private static final ThreadLocal<@Nullable Lane> CURRENT_LANE = new ThreadLocal<>();

	/** How long an idle lane thread waits for a task before it ends. */
	private static final Duration LANE_KEEP_ALIVE = Duration.ofSeconds(30);

	private final ThreadPoolExecutor workers;

	private final LanePool lanes;

	private final AtomicLong sequence = new AtomicLong();

	private final AtomicInteger busyWorkers = new AtomicInteger();

	public StepPools(int workers, @Nullable ThreadFactory threadFactory) {
		this.workers = new ThreadPoolExecutor(workers, workers, 60, TimeUnit.SECONDS, new PriorityBlockingQueue<>(),
				factory(threadFactory, "orchwf-worker-"));
		this.lanes = new LanePool(factory(threadFactory, "orchwf-lane-"), LANE_KEEP_ALIVE);
	}

	private static ThreadFactory factory(@Nullable ThreadFactory delegate, String prefix) {
		return (delegate != null) ? delegate : DaemonThreads.named(prefix);
	}

	/**
	 * Run an async step attempt on the worker pool.
	 * @param priority the step's priority; higher runs first when the pool is busy
	 * @param task the attempt
	 */
	public void submitAsync(int priority, Runnable task) {
		this.workers.execute(new PrioritizedTask(priority, this.sequence.incrementAndGet(), task));
	}

	/**
	 * Run a task on a lane thread. When the calling thread is running a lane task of the
	 * same owner (the same instance), the task runs on this thread once the current one
	 * returns instead.
	 * @param owner what the task belongs to, or {@code null} for a task never run inline
	 * @param task the task
	 */
	public void submitLane(@Nullable Object owner, Runnable task) {
		Lane current = CURRENT_LANE.get();
		if (owner != null && current != null && current.owner == owner) {
			current.queue.add(task);
			return;
		}
		this.lanes.execute(() -> runLane(owner, task));
	}

	/**
	 * Run work that may block (store calls) on a lane thread, off the thread that commits
	 * transitions.
	 * @param work the work
	 * @param ifClosing what to do instead when the pools no longer take work
	 */
	public void onNodeThread(Runnable work, Runnable ifClosing) {
		try {
			submitLane(null, work);
		}
		catch (RejectedExecutionException ex) {
			ifClosing.run();
		}
	}

	private static void runLane(@Nullable Object owner, Runnable first) {
		if (owner == null) {
			runQuietly(first);
			return;
		}
		Lane lane = new Lane(owner);
		CURRENT_LANE.set(lane);
		try {
			Runnable task = first;
			while (task != null) {
				runQuietly(task);
				task = lane.queue.poll();
			}
		}
		finally {
			CURRENT_LANE.remove();
		}
	}

	private static void runQuietly(Runnable task) {
		try {
			task.run();
		}
		catch (RuntimeException | Error ex) {
			logger.error("orchwf lane task failed", ex);
		}
	}

	/**
	 * Count a step's code as running (until {@link #stepEnded()}).
	 */
	public void stepStarted() {
		this.busyWorkers.incrementAndGet();
	}

	/**
	 * Count a step's code as no longer running.
	 */
	public void stepEnded() {
		this.busyWorkers.decrementAndGet();
	}

	/**
	 * How many steps run their code now, on any of the pools.
	 * @return the busy count
	 */
	public int busyWorkers() {
		return this.busyWorkers.get();
	}

	/**
	 * Stop accepting tasks and wait for running ones.
	 * @param timeout how long to wait
	 * @return {@code true} if every task ended in time
	 */
	public boolean shutdown(Duration timeout) throws InterruptedException {
		this.workers.shutdown();
		this.lanes.shutdown();
		long deadline = System.nanoTime() + timeout.toNanos();
		boolean workersDone = this.workers.awaitTermination(Math.max(0, deadline - System.nanoTime()),
				TimeUnit.NANOSECONDS);
		boolean lanesDone = this.lanes.awaitTermination(Math.max(0, deadline - System.nanoTime()),
				TimeUnit.NANOSECONDS);
		return workersDone && lanesDone;
	}

	/**
	 * Interrupt whatever still runs.
	 */
	public void shutdownNow() {
		this.workers.shutdownNow();
		this.lanes.shutdownNow();
	}

	/**
	 * The pools as executor services, for diagnostics.
	 * @return the worker pool
	 */
	ExecutorService workerPool() {
		return this.workers;
	}

	private static final class Lane {

		private final Object owner;

		private final ArrayDeque<Runnable> queue = new ArrayDeque<>();

		Lane(Object owner) {
			this.owner = owner;
		}

	}

	private record PrioritizedTask(int priority, long sequence,
			Runnable task) implements Runnable, Comparable<PrioritizedTask> {

		@Override
		public void run() {
			this.task.run();
		}

		@Override
		public int compareTo(PrioritizedTask other) {
			int byPriority = Integer.compare(other.priority, this.priority);
			return (byPriority != 0) ? byPriority : Long.compare(this.sequence, other.sequence);
		}

	}

}
