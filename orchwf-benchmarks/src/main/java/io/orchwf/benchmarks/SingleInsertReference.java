package io.orchwf.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The physical references of the durable figures, on the same database server in the same
 * run: what pgbench would measure. Throughput: concurrent clients each inserting one
 * JSONB row per transaction, as fast as they can. Latency: one client doing the same, one
 * at a time, and the time each commit takes.
 */
final class SingleInsertReference {

	private static final String CREATE = "CREATE TABLE bench_rows (id BIGSERIAL PRIMARY KEY, data JSONB NOT NULL)";

	private static final String INSERT = "INSERT INTO bench_rows (data) VALUES (CAST(? AS jsonb))";

	private static final String ROW = "{\"instance\": \"0192f1de-5a6b-7c8d-9e0f-a1b2c3d4e5f6\", \"step\": \"s1\"}";

	private SingleInsertReference() {
	}

	/**
	 * Single-row insert transactions per second at a number of connections.
	 * @param concurrency the connections, each in its own thread
	 * @param seconds how long to measure
	 * @return the measurement, one "step" per transaction
	 */
	static Throughput throughput(int concurrency, double seconds) throws Exception {
		try (BenchmarkDatabase database = BenchmarkDatabase.create("insert", concurrency)) {
			execute(database, CREATE);
			insertFor(database, concurrency, 2.0);
			Meter meter = Meter.start(database);
			long inserts = insertFor(database, concurrency, seconds);
			return meter.stop("single-row insert", inserts, inserts);
		}
	}

	/**
	 * The commit latency of one connection, inserting one row per transaction.
	 * @param transactions how many transactions to time
	 * @return each transaction's time in nanoseconds, sorted
	 */
	static long[] commitLatencies(int transactions) throws SQLException {
		try (BenchmarkDatabase database = BenchmarkDatabase.create("latency", 1)) {
			execute(database, CREATE);
			long[] nanos = new long[transactions];
			try (Connection connection = database.dataSource().getConnection();
					PreparedStatement insert = connection.prepareStatement(INSERT)) {
				connection.setAutoCommit(true);
				for (int i = -200; i < transactions; i++) {
					long start = System.nanoTime();
					insert.setString(1, ROW);
					insert.executeUpdate();
					if (i >= 0) {
						nanos[i] = System.nanoTime() - start;
					}
				}
			}
			Arrays.sort(nanos);
			return nanos;
		}
	}

	private static long insertFor(BenchmarkDatabase database, int concurrency, double seconds) throws Exception {
		long deadline = System.nanoTime() + (long) (seconds * 1e9);
		AtomicLong inserts = new AtomicLong();
		ExecutorService pool = Executors.newFixedThreadPool(concurrency);
		try {
			Future<?>[] futures = new Future<?>[concurrency];
			for (int c = 0; c < concurrency; c++) {
				futures[c] = pool.submit(() -> {
					try (Connection connection = database.dataSource().getConnection();
							PreparedStatement insert = connection.prepareStatement(INSERT)) {
						connection.setAutoCommit(true);
						while (System.nanoTime() < deadline) {
							insert.setString(1, ROW);
							insert.executeUpdate();
							inserts.incrementAndGet();
						}
					}
					return null;
				});
			}
			for (Future<?> future : futures) {
				future.get();
			}
		}
		finally {
			pool.shutdown();
		}
		return inserts.get();
	}

	private static void execute(BenchmarkDatabase database, String sql) throws SQLException {
		try (Connection connection = database.dataSource().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
