package io.orchwf.benchmarks;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.orchwf.Orchestrator;
import io.orchwf.WorkflowResult;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.store.jdbc.JdbcStateStore;

/**
 * The latency of a durable step: workflows of sequential no-op steps run one at a time,
 * and the time from one step's completion to the next one's, each transition committed on
 * the way (the next step's start and the previous one's end share a commit).
 */
final class StepLatency {

	private StepLatency() {
	}

	/**
	 * Time the steps.
	 * @param workflows how many workflows to run, one after the other
	 * @param steps steps per workflow
	 * @return each step's latency in nanoseconds, sorted
	 */
	static long[] measure(int workflows, int steps) throws Exception {
		try (BenchmarkDatabase database = BenchmarkDatabase.withOrchwf("latency", 4)) {
			Map<String, Long> lastCompletion = new ConcurrentHashMap<>();
			long[] latencies = new long[workflows * (steps - 1)];
			int[] count = { 0 };
			boolean[] measuring = { false };
			try (Orchestrator orchestrator = Orchestrator.builder(JdbcStateStore.builder(database.dataSource()).build())
				.listener((event) -> {
					if (event.type() != WorkflowEventType.STEP_COMPLETED) {
						return;
					}
					long now = System.nanoTime();
					Long previous = lastCompletion.put(event.instanceId(), now);
					if (previous != null && measuring[0]) {
						synchronized (latencies) {
							latencies[count[0]++] = now - previous;
						}
					}
				})
				.build()) {
				orchestrator.register(OrchwfBurnDown.chain("latency", steps));
				for (int i = 0; i < 50; i++) {
					run(orchestrator);
				}
				measuring[0] = true;
				for (int i = 0; i < workflows; i++) {
					run(orchestrator);
				}
			}
			long[] measured = Arrays.copyOf(latencies, count[0]);
			Arrays.sort(measured);
			return measured;
		}
	}

	private static void run(Orchestrator orchestrator) {
		WorkflowResult result = orchestrator.start("latency", null);
		if (!result.success()) {
			throw new IllegalStateException("workflow failed: " + result.error().orElse(""));
		}
	}

}
