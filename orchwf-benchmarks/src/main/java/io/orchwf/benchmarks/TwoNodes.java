package io.orchwf.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Two orchwf nodes in separate JVMs on one PostgreSQL database, their poll and heartbeat
 * intervals at their defaults: how much work they share, and how fast one learns of work
 * that the other made for it. This JVM creates the database and its schema, launches each
 * node as a child JVM ({@link BenchmarkNode}, with this JVM's java binary and class path)
 * and drives it by a text protocol on its standard input and output. Times that cross
 * processes are taken from the wall clock ({@link java.time.Instant#now()}, to the
 * microsecond), which both nodes on this machine share.
 *
 * <ol>
 * <li>Throughput: a burn-down of workflows of no-op steps in a chain, run by node A
 * alone, then by A and B together, each starting half of the workflows at once from 16
 * client threads and driving what it started (a node drives what it starts, so a split of
 * the starts is how two nodes share a backlog; the nodes are configured alike, the second
 * one adding its JVM, pool and workers as a second server would). Measured from the first
 * start to the last completion, on either node: two two-node runs unmeasured, then
 * {@value TwoNodeBurnDown#RUNS} of each in turns, the median of each reported, every run
 * in the emptied database. Every step execution is counted by the step's code on either
 * node: with every workflow completed, whatever exceeds workflows times steps ran twice
 * ({@code twonodes.duplicate_steps}, which must be 0); steps stored as started twice in
 * the history are counted too.</li>
 * <li>Signal to completion: A parks workflows on a signal; once all are stored
 * {@code WAITING}, B signals them one at a time (5 ms apart), then, in a second round, as
 * fast as 4 client threads go. Latency is from the time just before B's {@code signal}
 * call to the {@code WORKFLOW_COMPLETED} seen by a listener on whichever node completed
 * the workflow (which one is reported). The same rounds with A signalling its own
 * workflows are the reference; a round at full speed through each node goes unmeasured
 * first. Then the same for instances A still drives (a step of 1.5 s runs beside the
 * wait, so A holds them): B signals 48 of them, 5 ms apart, and the latency is to the end
 * of the step that waited for the signal; A hears of each signal through the store's
 * notice.</li>
 * <li>A full node's starts: a node A' with {@code maxActiveInstances(1)} runs one
 * workflow whose step holds until the benchmark ends it; then A' starts short workflows,
 * one after the other (5 ms apart), which the idle node B should run. Latency is from the
 * time just before A' 's {@code startAsync} call to the start of the workflow's step on
 * B; how many B took is reported (with none, the latency is {@code NaN}). The reference
 * is the same starts on A' before it is full, run by A' itself.</li>
 * </ol>
 *
 * <p>
 * A figure that does not arrive within a minute fails the benchmark. Arguments (all
 * optional): burn-down workflows (default 2,000), steps per workflow (default 10),
 * signalled workflows per round (default 200), starts on the full node (default 20).
 */
public final class TwoNodes {

	/** Connections of each node's pool, and of the burn-down's client threads. */
	static final int CONNECTIONS = 16;

	/** How long a figure may take to arrive. */
	static final Duration PATIENCE = Duration.ofSeconds(60);

	private TwoNodes() {
	}

	public static void main(String[] args) throws Exception {
		int workflows = argument(args, 0, 2000);
		int steps = argument(args, 1, 10);
		int signals = argument(args, 2, 200);
		int starts = argument(args, 3, 20);
		Report report = new Report(String.format(Locale.ROOT,
				"Two nodes in separate JVMs on one PostgreSQL, default poll and heartbeat intervals: burn-down of %d "
						+ "workflows x %d no-op steps, %d signalled workflows per round, %d starts on a full node",
				workflows, steps, signals, starts));
		try (BenchmarkDatabase database = BenchmarkDatabase.withOrchwf("twonodes", 2);
				NodeProcess b = NodeProcess.launch(database, "node-b", steps, roomFor(workflows), CONNECTIONS)) {
			try (NodeProcess a = NodeProcess.launch(database, "node-a", steps, roomFor(workflows), CONNECTIONS)) {
				log("burn-down, one node and two nodes in turns");
				TwoNodeBurnDown.addTo(report, database, a, b, workflows, steps);
				log("signal to completion, across nodes and on one node");
				CrossNodeSignals.addTo(report, database, a, b, signals);
			}
			try (NodeProcess full = NodeProcess.launch(database, "node-a-full", steps, 1, CONNECTIONS)) {
				log("starts on a full node");
				FullNodeHandoff.addTo(report, database, full, b, starts);
			}
		}
		report.print();
	}

	/**
	 * A node's {@code maxActiveInstances} with room for every workflow it starts, as in
	 * the one-node burn-down: each node drives what it starts, so that the burn-down
	 * measures two nodes sharing a database, not a full node handing starts over (the
	 * third part measures that).
	 */
	private static int roomFor(int workflows) {
		return workflows + 1000;
	}

	/**
	 * Delete every instance, with its steps, history and signals, so that each
	 * measurement starts from the same tables.
	 */
	static void clear(BenchmarkDatabase database) {
		try (Connection connection = database.dataSource().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("DELETE FROM orchwf_instances");
			statement.execute("DELETE FROM orchwf_idempotency_keys");
			statement.execute("VACUUM ANALYZE orchwf_instances, orchwf_steps, orchwf_history, orchwf_signals");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not empty the benchmark's tables", ex);
		}
	}

	/**
	 * The single number a query returns.
	 */
	static long count(BenchmarkDatabase database, String sql) {
		try (Connection connection = database.dataSource().getConnection();
				Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery(sql)) {
			row.next();
			return row.getLong(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not run " + sql, ex);
		}
	}

	/**
	 * Wait until a condition holds, looking every 20 ms.
	 * @param what what is awaited, for the failure's message
	 * @param condition the condition
	 * @throws IllegalStateException if it does not hold within {@link #PATIENCE}
	 */
	static void await(String what, Callable<Boolean> condition) throws Exception {
		long deadline = System.nanoTime() + PATIENCE.toNanos();
		while (!condition.call()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Gave up after " + PATIENCE.toSeconds() + " s waiting for " + what);
			}
			Thread.sleep(20);
		}
	}

	/**
	 * Microseconds as milliseconds.
	 */
	static double millis(long micros) {
		return micros / 1e3;
	}

	static void log(String phase) {
		System.out.println("-- " + phase);
	}

	private static int argument(String[] args, int index, int fallback) {
		return (args.length > index) ? Integer.parseInt(args[index]) : fallback;
	}

}
