package io.orchwf.internal.engine.support;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's own threads: daemons, so that an orchestrator left open never keeps a JVM
 * alive, and named, so that a thread dump says what each one does.
 */
public final class DaemonThreads {

	private DaemonThreads() {
	}

	/**
	 * A factory of daemon threads named with a prefix and a count.
	 * @param prefix the name's prefix, such as {@code "orchwf-lane-"}
	 * @return the factory
	 */
	public static ThreadFactory named(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * Run a task every interval, after a first interval, on one daemon thread of its own;
	 * once the executor is shut down, no further run starts.
	 * @param prefix the thread name's prefix, such as {@code "orchwf-retention-"}
	 * @param interval the delay between the end of one run and the start of the next
	 * @param task the task
	 * @return the executor, to shut down
	 */
	public static ScheduledExecutorService every(String prefix, Duration interval, Runnable task) {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, named(prefix));
		executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		long millis = Math.max(1, interval.toMillis());
		executor.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS);
		return executor;
	}

}
