package io.orchwf.benchmarks;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;

import io.orchwf.Orchestrator;
import io.orchwf.WorkflowDefinition;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.store.jdbc.JdbcStateStore;

/**
 * What a concurrency limit costs: a burn-down of a backlog of workflows on PostgreSQL
 * whose workflow has {@code maxConcurrency} above the workers' count, against the same
 * burn-down without a limit. Every start of a limited workflow goes through a claim that
 * locks its workflow's row and counts its slots; the runs take turns, the median of each
 * is compared.
 *
 * <p>
 * Arguments: workflows (default 20,000), steps per workflow (default 5), client threads
 * and workers (default 16), the limit (default 64), runs of each kind (default 3).
 */
public final class LimitedBurnDown {

	private LimitedBurnDown() {
	}

	public static void main(String[] args) throws Exception {
		int workflows = (args.length > 0) ? Integer.parseInt(args[0]) : 20_000;
		int steps = (args.length > 1) ? Integer.parseInt(args[1]) : 5;
		int concurrency = (args.length > 2) ? Integer.parseInt(args[2]) : 16;
		int limit = (args.length > 3) ? Integer.parseInt(args[3]) : 64;
		int runs = (args.length > 4) ? Integer.parseInt(args[4]) : 3;
		Throughput[] medians = Throughput.mediansInTurns(1, runs, () -> run(workflows, steps, concurrency, limit),
				() -> run(workflows, steps, concurrency, 0));
		Throughput limited = medians[0];
		Throughput unlimited = medians[1];
		Report report = new Report(
				"Limited burn-down: " + workflows + " workflows of " + steps + " steps, maxConcurrency " + limit + ", "
						+ concurrency + " clients and workers, PostgreSQL, one node");
		report.add("limited.steps_per_second", limited.stepsPerSecond(), "steps/s",
				limited.stepsPerSecond() / unlimited.stepsPerSecond(), String.format(Locale.ROOT,
						"the same burn-down without a limit (%.0f steps/s)", unlimited.stepsPerSecond()));
		report.add("limited.commits_per_step", limited.commitsPerStep(), "commits",
				limited.commitsPerStep() / unlimited.commitsPerStep(), "without a limit");
		report.print();
	}

	private static Throughput run(int workflows, int steps, int concurrency, int limit) throws Exception {
		try (BenchmarkDatabase database = BenchmarkDatabase.withOrchwf("limited", concurrency + 4)) {
			CountDownLatch[] done = { new CountDownLatch(0) };
			try (Orchestrator orchestrator = Orchestrator.builder(JdbcStateStore.builder(database.dataSource()).build())
				.workers(concurrency)
				.maxActiveInstances(workflows + 1000)
				.listener((event) -> {
					if (event.type() == WorkflowEventType.WORKFLOW_COMPLETED) {
						done[0].countDown();
					}
				})
				.build()) {
				WorkflowDefinition chain = OrchwfBurnDown.chain(OrchwfBurnDown.WORKFLOW, steps);
				orchestrator.register((limit > 0) ? chain.toBuilder().maxConcurrency(limit).build() : chain);
				OrchwfBurnDown.backlog(orchestrator, Math.max(500, workflows / 10), concurrency, done);
				Meter meter = Meter.start(database);
				OrchwfBurnDown.backlog(orchestrator, workflows, concurrency, done);
				return meter.stop((limit > 0) ? "limited" : "unlimited", workflows, (long) workflows * steps);
			}
		}
	}

}
