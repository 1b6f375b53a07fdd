package io.orchwf.internal.engine.support;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work that many requests ask for and one run answers: a request while the work runs
 * makes it run once more afterwards, never at the same time, and a burst of requests
 * costs one or two runs, not one each.
 */
public final class CoalescedTask {

	private static final Logger logger = LoggerFactory.getLogger(CoalescedTask.class);

	private final Executor executor;

	private final Runnable work;

	/** Requests not yet seen by the run under way; non-zero while one runs. */
	private final AtomicInteger requests = new AtomicInteger();

	/**
	 * Coalesce requests for work.
	 * @param executor where the work runs
	 * @param work the work; it handles its own failures
	 */
	public CoalescedTask(Executor executor, Runnable work) {
		this.executor = executor;
		this.work = work;
	}

	/**
	 * Run the work soon: now if it is idle, after the run under way if not.
	 */
	public void request() {
		if (this.requests.getAndIncrement() != 0) {
			return;
		}
		try {
			this.executor.execute(this::runWhileRequested);
		}
		catch (RejectedExecutionException ex) {
			// closing
			this.requests.set(0);
		}
	}

	private void runWhileRequested() {
		int seen = this.requests.get();
		while (true) {
			try {
				this.work.run();
			}
			catch (RuntimeException ex) {
				logger.warn("A task of the engine failed; it runs again at the next request", ex);
			}
			seen = this.requests.addAndGet(-seen);
			if (seen == 0) {
				return;
			}
		}
	}

}
