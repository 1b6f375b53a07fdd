package io.orchwf.internal.engine.support;

import java.util.concurrent.ThreadFactory;
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

}
