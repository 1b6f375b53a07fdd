package io.orchwf.benchmarks;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.Orchestrator;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.store.jdbc.JdbcStateStore;

/**
 * orchwf's durable throughput: workflows of sequential no-op steps on PostgreSQL, started
 * by concurrent clients on one node and run to completion, every transition committed
 * before it is acted on. Measured from the first start to the last completion.
 */
final class OrchwfBurnDown {

	static final String WORKFLOW = "burn_down";

	private OrchwfBurnDown() {
	}

	/**
	 * Run the burn-down.
	 * @param workflows how many workflows
	 * @param steps steps per workflow
	 * @param concurrency client threads, and database connections
	 * @return what was measured
	 */
	static Throughput run(int workflows, int steps, int concurrency) throws Exception {
		try (BenchmarkDatabase database = BenchmarkDatabase.withOrchwf("orchwf", concurrency)) {
			AtomicInteger completed = new AtomicInteger();
			CountDownLatch[] allDone = { new CountDownLatch(0) };
			try (Orchestrator orchestrator = Orchestrator.builder(JdbcStateStore.builder(database.dataSource()).build())
				.workers(concurrency)
				.maxActiveInstances(workflows + 1000)
				.listener((event) -> {
					if (event.type() == WorkflowEventType.WORKFLOW_COMPLETED) {
						completed.incrementAndGet();
						allDone[0].countDown();
					}
				})
				.build()) {
				orchestrator.register(chain(WORKFLOW, steps));
				// warm up the JIT, the pool and the database's caches
				burn(orchestrator, Math.min(500, workflows), concurrency, allDone);
				completed.set(0);
				Meter meter = Meter.start(database);
				burn(orchestrator, workflows, concurrency, allDone);
				Throughput throughput = meter.stop("orchwf", workflows, (long) workflows * steps);
				long done = orchestrator
					.list(io.orchwf.WorkflowFilter.builder().status(WorkflowStatus.COMPLETED).build(), 1, 0)
					.total();
				if (completed.get() != workflows || done < workflows) {
					throw new IllegalStateException("only " + completed.get() + " of " + workflows + " completed");
				}
				return throughput;
			}
		}
	}

	static WorkflowDefinition chain(String id, int steps) {
		WorkflowDefinition.Builder builder = WorkflowDefinition.builder(id, id);
		for (int i = 0; i < steps; i++) {
			StepDefinition.Builder step = StepDefinition.builder("s" + i, "Step " + i, (context) -> Map.of());
			if (i > 0) {
				step.dependsOn("s" + (i - 1));
			}
			builder.step(step.build());
		}
		return builder.build();
	}

	private static void burn(Orchestrator orchestrator, int workflows, int clients, CountDownLatch[] allDone)
			throws Exception {
		allDone[0] = new CountDownLatch(workflows);
		ClientThreads.run(clients, workflows, (i) -> {
			orchestrator.startAsync(WORKFLOW, null);
			return null;
		});
		if (!allDone[0].await(Duration.ofMinutes(10).toMillis(), TimeUnit.MILLISECONDS)) {
			throw new IllegalStateException(allDone[0].getCount() + " workflows did not complete");
		}
	}

}
