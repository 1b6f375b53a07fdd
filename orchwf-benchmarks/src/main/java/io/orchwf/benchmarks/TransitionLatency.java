package io.orchwf.benchmarks;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.orchwf.StepStatus;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.InstanceState;
import io.orchwf.store.InstanceUpdate;
import io.orchwf.store.StepRecord;
import io.orchwf.store.jdbc.JdbcStateStore;

/**
 * The store's share of a durable step's latency: the write of the transition that a
 * step's end makes in a chain (the step completed, the next one started, their two
 * events, the fence checked), through {@link JdbcStateStore#apply} on one connection at a
 * time, with no engine around it. Beside {@link StepLatency} it splits a step's latency
 * into the store's write and the engine's own work.
 */
final class TransitionLatency {

	private static final int STEPS = 20;

	private TransitionLatency() {
	}

	/**
	 * Time the writes.
	 * @param transitions how many to time, after as many unmeasured
	 * @return each write's time in nanoseconds, sorted
	 */
	static long[] measure(int transitions) {
		try (BenchmarkDatabase database = BenchmarkDatabase.withOrchwf("transition", 2)) {
			JdbcStateStore store = JdbcStateStore.builder(database.dataSource()).build();
			long[] nanos = new long[transitions];
			int written = -transitions;
			while (written < transitions) {
				Chain chain = Chain.claimed(store);
				for (int step = 0; step < STEPS - 1 && written < transitions; step++) {
					InstanceUpdate update = chain.completing(step);
					long start = System.nanoTime();
					if (!store.apply(List.of(update)).isEmpty()) {
						throw new IllegalStateException("the transition's fence did not match");
					}
					if (written >= 0) {
						nanos[written] = System.nanoTime() - start;
					}
					written++;
				}
			}
			Arrays.sort(nanos);
			return nanos;
		}
	}

	/**
	 * A running instance of a chain of steps, claimed by this benchmark.
	 */
	private record Chain(String id, long fence, InstanceState running) {

		static Chain claimed(JdbcStateStore store) {
			String id = UUID.randomUUID().toString();
			Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
			InstanceRecord instance = new InstanceRecord(id, "chain", "1", WorkflowStatus.PENDING, Map.of(), Map.of(),
					null, Map.of(), "trace-" + id, "correlation-" + id, null, null, now, null, null, null, null, null,
					0, null);
			List<StepRecord> steps = new ArrayList<>();
			for (int i = 0; i < STEPS; i++) {
				steps.add(StepRecord.pending("s" + i, i));
			}
			store.create(instance, steps, List.of());
			long fence = store.claim(id, "benchmark", now, now.plusSeconds(3600), false)
				.orElseThrow()
				.instance()
				.fence();
			return new Chain(id, fence, new InstanceState(WorkflowStatus.RUNNING, Map.of(), null, now, null, null));
		}

		/**
		 * Step {@code step} completes and the next one starts, as the engine stores it.
		 */
		InstanceUpdate completing(int step) {
			Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
			String done = "s" + step;
			String next = "s" + (step + 1);
			List<StepRecord> rows = List.of(
					new StepRecord(done, step, StepStatus.COMPLETED, 1, Map.of(), null, now, now, null, step + 1),
					new StepRecord(next, step + 1, StepStatus.RUNNING, 1, Map.of(), null, now, null, null, 0));
			List<WorkflowEvent> events = List.of(
					new WorkflowEvent(WorkflowEventType.STEP_COMPLETED, this.id, "chain", done, 1, now,
							Map.of("durationMs", 0)),
					new WorkflowEvent(WorkflowEventType.STEP_STARTED, this.id, "chain", next, 1, now, Map.of()));
			return new InstanceUpdate(this.id, this.fence, Instant.now(), this.running, false, rows, events,
					InstanceUpdate.SIGNALS_IGNORED, List.of(), false);
		}

	}

}
