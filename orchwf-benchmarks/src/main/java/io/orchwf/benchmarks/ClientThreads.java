package io.orchwf.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * The clients of a burn-down: a fixed number of threads sharing numbered tasks, each
 * thread taking the next number as soon as its previous task has returned, so that
 * exactly that many tasks run at once until all are done.
 */
final class ClientThreads {

	private ClientThreads() {
	}

	/**
	 * Run tasks {@code 0} to {@code count - 1} on {@code clients} threads.
	 * @param clients how many threads
	 * @param count how many tasks
	 * @param task the task of one number
	 * @return the first problem a task reported, or {@code null} if none did
	 * @throws Exception the first exception a task threw
	 */
	static @Nullable String run(int clients, int count, Task task) throws Exception {
		AtomicInteger next = new AtomicInteger();
		AtomicReference<String> problem = new AtomicReference<>();
		ExecutorService threads = Executors.newFixedThreadPool(clients);
		try {
			List<Future<?>> done = new ArrayList<>(clients);
			for (int c = 0; c < clients; c++) {
				done.add(threads.submit(() -> {
					for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
						String reported = task.run(i);
						if (reported != null) {
							problem.compareAndSet(null, reported);
						}
					}
					return null;
				}));
			}
			for (Future<?> client : done) {
				client.get();
			}
		}
		finally {
			threads.shutdownNow();
		}
		return problem.get();
	}

	/** One task of a client thread. */
	@FunctionalInterface
	interface Task {

		/**
		 * Run the task of a number.
		 * @param index the number
		 * @return a problem to report, or {@code null}
		 * @throws Exception if the task failed
		 */
		@Nullable String run(int index) throws Exception;

	}

}
