package io.orchwf.benchmarks;

import java.util.Locale;

/**
 * Every figure of the performance section in one run, each beside its reference from the
 * same run: the in-memory engine against hand-written {@code CompletableFuture}s (JMH);
 * the durable burn-down against single-row insert transactions at the same connection
 * count and against DBOS Transact and Spring Batch on the same database (and, with as
 * many workflows in flight as the peers have, against DBOS again); the durable step
 * latency, and the store's write of a step's transition alone, against one commit's
 * latency.
 *
 * <p>
 * Arguments: workflows of the orchwf burn-down (default 5,000), of the peers' (default
 * 500; they are slower, and the figures are per step), steps per workflow (default 10),
 * connections (default 16). Each burn-down runs twice unmeasured, then five times, each
 * in a fresh database, and the median run is reported. Prints a table and one
 * {@code RESULT} line per figure.
 */
public final class BenchmarkSuite {

	/**
	 * How many times each burn-down runs unmeasured first: on two cores the JIT compiler
	 * takes a good part of the machine through the first few burn-downs in a JVM
	 * (orchwf's third ran at two thirds of the speed of its fifth), which says nothing
	 * about a service that has been up for a minute. With two, the median of the five
	 * measured runs is the fifth run or a later one. Every engine gets the same.
	 */
	private static final int WARM_UPS = 2;

	/**
	 * How long each run of the single-row insert reference inserts, after two seconds
	 * unmeasured: a few seconds, as a burn-down of orchwf takes.
	 */
	private static final double INSERT_SECONDS = 4.0;

	/** How many times each burn-down runs measured; the median run is reported. */
	private static final int RUNS = 5;

	/**
	 * How many rounds of step, transition-write and commit latencies alternate: the
	 * latency of a commit on this machine drifts by a third from one minute to the next,
	 * so they are taken in turns rather than one after the other.
	 */
	private static final int LATENCY_ROUNDS = 5;

	private BenchmarkSuite() {
	}

	public static void main(String[] args) throws Exception {
		int workflows = argument(args, 0, 5000);
		int peerWorkflows = argument(args, 1, 500);
		int steps = argument(args, 2, 10);
		int connections = argument(args, 3, 16);
		Report report = new Report(String.format(Locale.ROOT,
				"orchwf benchmarks: in memory (JMH), and durable on PostgreSQL (%d workflows of %d no-op steps, "
						+ "%d connections; peers %d workflows)",
				workflows, steps, connections, peerWorkflows));

		log("in-memory engine overhead (JMH)");
		JmhFigures.addTo(report);

		log("orchwf burn-down and single-row insert reference, in turns (" + WARM_UPS
				+ " warm-up burn-downs, then the median of " + RUNS + " of each)");
		Throughput[] orchwfAndInsert = Throughput.mediansInTurns(WARM_UPS, RUNS,
				() -> OrchwfBurnDown.run(workflows, steps, connections, OrchwfBurnDown.UNBOUNDED),
				() -> SingleInsertReference.throughput(connections, INSERT_SECONDS));
		Throughput orchwf = orchwfAndInsert[0];
		Throughput insert = orchwfAndInsert[1];
		log("orchwf burn-down, " + connections + " in flight (" + WARM_UPS + " warm-up runs, then the median of " + RUNS
				+ ")");
		Throughput orchwfBounded = Throughput.medianOf(WARM_UPS, RUNS,
				() -> OrchwfBurnDown.run(workflows, steps, connections, connections));
		log("DBOS burn-down (" + WARM_UPS + " warm-up runs, then the median of " + RUNS + ")");
		Throughput dbos = Throughput.medianOf(WARM_UPS, RUNS,
				() -> DbosBurnDown.run(peerWorkflows, steps, connections));
		log("Spring Batch burn-down (" + WARM_UPS + " warm-up runs, then the median of " + RUNS + ")");
		Throughput batch = Throughput.medianOf(WARM_UPS, RUNS,
				() -> SpringBatchBurnDown.run(peerWorkflows, steps, connections));

		report.add("durable.steps_per_second", orchwf.stepsPerSecond(), "steps/s",
				orchwf.stepsPerSecond() / insert.stepsPerSecond(),
				String.format(Locale.ROOT, "single-row insert transactions/s (%.0f)", insert.stepsPerSecond()));
		report.add("durable.commits_per_step", orchwf.commitsPerStep(), "commits", orchwf.commitsPerStep(),
				"one commit per step");
		report.add("durable.wal_bytes_per_step", orchwf.walBytesPerStep(), "bytes",
				orchwf.walBytesPerStep() / insert.walBytesPerStep(),
				String.format(Locale.ROOT, "WAL of a single-row insert (%.0f bytes)", insert.walBytesPerStep()));
		report.add("durable.cpu_us_per_step", orchwf.cpuMicrosPerStep(), "us (machine)",
				orchwf.cpuMicrosPerStep() / insert.cpuMicrosPerStep(),
				String.format(Locale.ROOT, "CPU of a single-row insert (%.0f us)", insert.cpuMicrosPerStep()));
		report.add("durable.bounded.steps_per_second", orchwfBounded.stepsPerSecond(), "steps/s",
				orchwfBounded.stepsPerSecond() / dbos.stepsPerSecond(), String.format(Locale.ROOT,
						"DBOS's steps/s, %d in flight as here (%.0f)", connections, dbos.stepsPerSecond()));
		report.add("durable.bounded.commits_per_step", orchwfBounded.commitsPerStep(), "commits",
				orchwfBounded.commitsPerStep(), "one commit per step");
		addPeer(report, "dbos", orchwf, dbos);
		addPeer(report, "springbatch", orchwf, batch);

		log("step latency");
		long[][] stepRounds = new long[LATENCY_ROUNDS][];
		long[][] transitionRounds = new long[LATENCY_ROUNDS][];
		long[][] commitRounds = new long[LATENCY_ROUNDS][];
		for (int round = 0; round < LATENCY_ROUNDS; round++) {
			stepRounds[round] = StepLatency.measure(20, 20);
			transitionRounds[round] = TransitionLatency.measure(380);
			commitRounds[round] = SingleInsertReference.commitLatencies(400);
		}
		long[] steps20 = Report.merged(stepRounds);
		long[] transitions = Report.merged(transitionRounds);
		long[] commits = Report.merged(commitRounds);
		double commitP50 = Report.percentile(commits, 50) / 1e6;
		report.add("latency.step.p50", Report.percentile(steps20, 50) / 1e6, "ms",
				Report.percentile(steps20, 50) / 1e6 / commitP50,
				String.format(Locale.ROOT, "one commit's p50 (%.3f ms)", commitP50));
		report.add("latency.step.p99", Report.percentile(steps20, 99) / 1e6, "ms",
				Report.percentile(steps20, 99) / (double) Report.percentile(commits, 99),
				String.format(Locale.ROOT, "one commit's p99 (%.3f ms)", Report.percentile(commits, 99) / 1e6));
		// the store's write alone: what of a step's latency is not the engine's
		report.add("latency.transition.p50", Report.percentile(transitions, 50) / 1e6, "ms",
				Report.percentile(transitions, 50) / 1e6 / commitP50,
				String.format(Locale.ROOT, "one commit's p50 (%.3f ms)", commitP50));
		report.print();
	}

	private static void addPeer(Report report, String name, Throughput orchwf, Throughput peer) {
		report.add("peers." + name + ".steps_per_second", peer.stepsPerSecond(), "steps/s",
				orchwf.stepsPerSecond() / peer.stepsPerSecond(), "orchwf's steps/s over " + name + "'s");
		report.add("peers." + name + ".commits_per_step", peer.commitsPerStep(), "commits",
				orchwf.commitsPerStep() / peer.commitsPerStep(), "orchwf's over " + name + "'s");
		report.add("peers." + name + ".cpu_us_per_step", peer.cpuMicrosPerStep(), "us (machine)",
				orchwf.cpuMicrosPerStep() / peer.cpuMicrosPerStep(), "orchwf's over " + name + "'s");
	}

	private static int argument(String[] args, int index, int fallback) {
		return (args.length > index) ? Integer.parseInt(args[index]) : fallback;
	}

	private static void log(String phase) {
		System.out.println("-- " + phase);
	}

}
