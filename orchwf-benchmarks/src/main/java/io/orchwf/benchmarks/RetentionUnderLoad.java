package io.orchwf.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

import javax.sql.DataSource;

import io.orchwf.Orchestrator;
import io.orchwf.Retention;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.store.jdbc.JdbcStateStore;

/**
 * What retention costs the engine: a burn-down of workflows on PostgreSQL while the
 * node's retention deletes a backlog of expired instances, against the same burn-down
 * beside the same backlog with no retention. Each run gets a fresh database holding the
 * backlog (finished 30 days ago, five steps and two history rows each) and a warm-up; the
 * two kinds of run take turns, and the median of each is reported, with how many expired
 * instances went during the measured burn-down and how fast.
 *
 * <p>
 * Arguments: expired instances (default 100,000), workflows in the burn-down (default
 * 30,000), steps per workflow (default 5), client threads (default 16), runs of each kind
 * (default 3).
 */
public final class RetentionUnderLoad {

	private RetentionUnderLoad() {
	}

	public static void main(String[] args) throws Exception {
		int expired = (args.length > 0) ? Integer.parseInt(args[0]) : 100_000;
		int workflows = (args.length > 1) ? Integer.parseInt(args[1]) : 30_000;
		int steps = (args.length > 2) ? Integer.parseInt(args[2]) : 5;
		int clients = (args.length > 3) ? Integer.parseInt(args[3]) : 16;
		int runs = (args.length > 4) ? Integer.parseInt(args[4]) : 3;
		run(expired, workflows, steps, clients, false);
		List<Run> plain = new ArrayList<>();
		List<Run> retained = new ArrayList<>();
		for (int i = 0; i < runs; i++) {
			plain.add(run(expired, workflows, steps, clients, false));
			retained.add(run(expired, workflows, steps, clients, true));
		}
		Run without = median(plain);
		Run with = median(retained);
		Report report = new Report(
				"Retention under load: " + expired + " expired instances deleted during a burn-down of " + workflows
						+ " workflows of " + steps + " steps, " + clients + " clients, PostgreSQL, one node");
		report.add("retention.burn_down.steps_per_second", with.throughput.stepsPerSecond(), "steps/s",
				with.throughput.stepsPerSecond() / without.throughput.stepsPerSecond(), String.format(Locale.ROOT,
						"the same burn-down without retention (%.0f steps/s)", without.throughput.stepsPerSecond()));
		report.add("retention.deleted_during_burn_down", with.deletedDuringBurnDown, "instances",
				(double) with.deletedDuringBurnDown / expired, "the expired backlog");
		report.add("retention.delete_rate", with.deleteRate, "instances/s", Double.NaN,
				"while the burn-down ran, with the pause between batches");
		report.print();
	}

	private static Run run(int expired, int workflows, int steps, int clients, boolean retention) throws Exception {
		try (BenchmarkDatabase database = BenchmarkDatabase.withOrchwf("retention", clients + 4)) {
			insertExpired(database.dataSource(), expired, steps);
			CountDownLatch[] done = { new CountDownLatch(0) };
			Orchestrator.Builder builder = Orchestrator.builder(JdbcStateStore.builder(database.dataSource()).build())
				.workers(clients)
				.maxActiveInstances(workflows + 1000)
				.listener((event) -> {
					if (event.type() == WorkflowEventType.WORKFLOW_COMPLETED) {
						done[0].countDown();
					}
				});
			if (retention) {
				// the burn-down's own instances are a day from expiring: only the backlog
				// goes
				builder.retention(
						Retention.builder().completed(Duration.ofDays(1)).checkEvery(Duration.ofMillis(100)).build());
			}
			try (Orchestrator orchestrator = builder.build()) {
				orchestrator.register(OrchwfBurnDown.chain(OrchwfBurnDown.WORKFLOW, steps));
				OrchwfBurnDown.backlog(orchestrator, Math.max(500, workflows / 10), clients, done);
				long expiredBefore = countExpired(database.dataSource());
				long started = System.nanoTime();
				Meter meter = Meter.start(database);
				OrchwfBurnDown.backlog(orchestrator, workflows, clients, done);
				Throughput throughput = meter.stop(retention ? "with retention" : "without", workflows,
						(long) workflows * steps);
				double seconds = (System.nanoTime() - started) / 1e9;
				long deleted = expiredBefore - countExpired(database.dataSource());
				return new Run(throughput, deleted, deleted / seconds);
			}
		}
	}

	/**
	 * A backlog of instances that completed 30 days ago, as many rows each as the
	 * burn-down's instances have, with the planner's statistics of a steady state.
	 */
	private static void insertExpired(DataSource dataSource, int expired, int steps) throws SQLException {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("""
					INSERT INTO orchwf_instances (id, workflow_id, workflow_version, status, input, output, metadata,
						trace_id, correlation_id, created_at, started_at, completed_at, updated_at)
					SELECT gen_random_uuid(), 'expired', '1', 'COMPLETED', '{}', '{}', '{}', 't', 'c',
						now() - interval '31 days', now() - interval '31 days', now() - interval '30 days', now()
					FROM generate_series(1, %d)
					""".formatted(expired));
			statement.execute(
					"""
							INSERT INTO orchwf_steps (instance_id, step_id, position, status, attempts, output, completion_order)
							SELECT i.id, 's' || p, p, 'COMPLETED', 1, '{}', p
							FROM orchwf_instances i, generate_series(0, %d) p WHERE i.workflow_id = 'expired'
							"""
						.formatted(steps - 1));
			statement.execute("""
					INSERT INTO orchwf_history (instance_id, events)
					SELECT i.id, '[{"type": "WORKFLOW_STARTED"}]' FROM orchwf_instances i, generate_series(1, 2)
					WHERE i.workflow_id = 'expired'
					""");
			statement.execute("ANALYZE");
		}
	}

	private static long countExpired(DataSource dataSource) throws SQLException {
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet row = statement
					.executeQuery("SELECT COUNT(*) FROM orchwf_instances WHERE workflow_id = 'expired'")) {
			row.next();
			return row.getLong(1);
		}
	}

	private static Run median(List<Run> runs) {
		List<Run> sorted = new ArrayList<>(runs);
		sorted.sort((a, b) -> Double.compare(a.throughput.stepsPerSecond(), b.throughput.stepsPerSecond()));
		return sorted.get(sorted.size() / 2);
	}

	private record Run(Throughput throughput, long deletedDuringBurnDown, double deleteRate) {
	}

}
