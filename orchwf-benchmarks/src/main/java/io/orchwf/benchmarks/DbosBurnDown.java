package io.orchwf.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

import dev.dbos.transact.DBOS;
import dev.dbos.transact.StartWorkflowOptions;
import dev.dbos.transact.config.DBOSConfig;
import dev.dbos.transact.workflow.Workflow;
import dev.dbos.transact.workflow.WorkflowHandle;

/**
 * The burn-down of orchwf's throughput figure run by DBOS Transact for Java (1.1.0-m6) on
 * the same PostgreSQL: workflows of {@code steps} sequential no-op steps, {@code
 * concurrency} of them in flight at once, measured from the first start to the last
 * completion with {@link Meter} (wall time, commits of the benchmark's database, WAL,
 * machine CPU).
 *
 * <p>
 * DBOS is configured with {@link DBOSConfig#withDataSource} on the benchmark's own pool
 * ({@code concurrency + 4} connections; orchwf's burn-down gets {@code concurrency}, and
 * DBOS keeps one for {@code LISTEN}), so the database is its system database (schema
 * {@code dbos}, migrated at launch). The workflow is a {@link Workflow @Workflow} method
 * on a proxy from {@link DBOS#registerProxy}; each step is {@link DBOS#runStep} of a
 * lambda returning its index, so DBOS checkpoints every step's output in
 * {@code operation_outputs} before the next one runs.
 *
 * <p>
 * Concurrency: {@code concurrency} client threads each start a workflow with
 * {@link DBOS#startWorkflow} (an explicit workflow id) and wait for it with
 * {@link WorkflowHandle#getResult()}, then take the next, so exactly {@code concurrency}
 * workflows run at once (orchwf's clients start all of theirs without waiting, and its
 * node drives them all; starting every DBOS workflow at once and then waiting for all of
 * them was measured too, and gave the same steps per second). This is DBOS's direct way
 * to run a workflow: the start writes its status row and hands it to DBOS's executor. A
 * DBOS queue with a concurrency limit was not used: its workers poll the database (every
 * second by default), which would add polling latency and dequeue transactions that
 * orchwf's direct start does not pay. 100 workflows run first, unmeasured, to warm the
 * JIT, the pool and the database's caches. Before reporting, every workflow's result is
 * checked, and the system tables are counted: every measured workflow in {@code SUCCESS}
 * with exactly {@code steps} recorded step outputs.
 */
final class DbosBurnDown {

	private static final int WARM_UP = 100;

	private DbosBurnDown() {
	}

	/**
	 * Run the burn-down.
	 * @param workflows how many workflows to measure
	 * @param steps no-op steps in each
	 * @param concurrency workflows in flight at once
	 * @return what was measured
	 * @throws Exception if a workflow failed or the check failed
	 */
	static Throughput run(int workflows, int steps, int concurrency) throws Exception {
		try (BenchmarkDatabase database = BenchmarkDatabase.create("dbos", concurrency + 4)) {
			DBOSConfig config = DBOSConfig.defaults("orchwf-bench")
				.withDataSource(database.dataSource())
				.withDatabaseSchema("dbos")
				.withMigrate(true);
			DBOS dbos = new DBOS(config);
			try {
				Burn burn = dbos.registerProxy(Burn.class, new BurnImpl(dbos));
				dbos.launch();
				int expected = steps * (steps - 1) / 2;
				burnDown(dbos, burn, "warm-", WARM_UP, steps, concurrency, expected);
				Meter meter = Meter.start(database);
				burnDown(dbos, burn, "burn-", workflows, steps, concurrency, expected);
				Throughput throughput = meter.stop("dbos", workflows, (long) workflows * steps);
				verify(database, workflows, steps);
				return throughput;
			}
			finally {
				dbos.shutdown();
			}
		}
	}

	/**
	 * Run {@code count} workflows from {@code concurrency} client threads, each starting
	 * one workflow and waiting for its result before the next.
	 */
	private static void burnDown(DBOS dbos, Burn burn, String prefix, int count, int steps, int concurrency,
			int expected) throws Exception {
		String wrong = ClientThreads.run(concurrency, count, (i) -> {
			String id = prefix + i;
			WorkflowHandle<Integer, RuntimeException> handle = dbos.startWorkflow(() -> burn.burn(steps),
					new StartWorkflowOptions(id));
			Integer result = handle.getResult();
			return (result == null || result != expected) ? id + " returned " + result + ", not " + expected : null;
		});
		if (wrong != null) {
			throw new IllegalStateException("DBOS workflow " + wrong);
		}
	}

	/**
	 * Check in DBOS's system tables that every measured workflow succeeded with all its
	 * steps recorded.
	 */
	private static void verify(BenchmarkDatabase database, int workflows, int steps) throws SQLException {
		try (Connection connection = database.dataSource().getConnection();
				Statement statement = connection.createStatement()) {
			Map<String, Long> statuses = new TreeMap<>();
			try (ResultSet rows = statement.executeQuery(
					"SELECT status, count(*) FROM dbos.workflow_status WHERE workflow_uuid LIKE 'burn-%' GROUP BY status")) {
				while (rows.next()) {
					statuses.put(rows.getString(1), rows.getLong(2));
				}
			}
			if (statuses.size() != 1 || statuses.getOrDefault("SUCCESS", 0L) != workflows) {
				throw new IllegalStateException(
						"DBOS workflow statuses " + statuses + ", expected " + workflows + " SUCCESS");
			}
			try (ResultSet row = statement.executeQuery(
					"SELECT count(*), count(DISTINCT workflow_uuid) FROM dbos.operation_outputs WHERE workflow_uuid LIKE 'burn-%' AND function_name LIKE 'step-%'")) {
				row.next();
				if (row.getLong(1) != (long) workflows * steps || row.getLong(2) != workflows) {
					throw new IllegalStateException("DBOS recorded " + row.getLong(1) + " step outputs of "
							+ row.getLong(2) + " workflows, expected " + (long) workflows * steps + " of " + workflows);
				}
			}
		}
	}

	/** The workflow's interface, which DBOS proxies. */
	interface Burn {

		int burn(int steps);

	}

	/** The workflow: {@code steps} sequential no-op steps, each returning its index. */
	static final class BurnImpl implements Burn {

		private final DBOS dbos;

		BurnImpl(DBOS dbos) {
			this.dbos = dbos;
		}

		@Override
		@Workflow(name = "burn")
		public int burn(int steps) {
			int sum = 0;
			for (int i = 0; i < steps; i++) {
				int index = i;
				sum += this.dbos.<Integer, RuntimeException>runStep(() -> index, "step-" + i);
			}
			return sum;
		}

	}

}
