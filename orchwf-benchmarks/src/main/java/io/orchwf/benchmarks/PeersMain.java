package io.orchwf.benchmarks;

/**
 * Runs the peers' burn-downs alone, one after the other, each in a fresh database of the
 * same PostgreSQL: {@link DbosBurnDown} (DBOS Transact) and {@link SpringBatchBurnDown}
 * (Spring Batch), the shape of orchwf's burn-down (workflows of no-op steps, a fixed
 * number in flight). Prints each one's steps per second, commits, WAL bytes and machine
 * CPU per step.
 *
 * <p>
 * Arguments: workflows (default 500), steps per workflow (default 10), workflows in
 * flight (default 16).
 */
public final class PeersMain {

	private PeersMain() {
	}

	public static void main(String[] args) throws Exception {
		int workflows = (args.length > 0) ? Integer.parseInt(args[0]) : 500;
		int steps = (args.length > 1) ? Integer.parseInt(args[1]) : 10;
		int concurrency = (args.length > 2) ? Integer.parseInt(args[2]) : 16;
		Throughput dbos = DbosBurnDown.run(workflows, steps, concurrency);
		Throughput springBatch = SpringBatchBurnDown.run(workflows, steps, concurrency);
		Report report = new Report("peers' burn-down: " + workflows + " workflows x " + steps + " no-op steps, "
				+ concurrency + " in flight");
		add(report, "dbos", dbos);
		add(report, "springbatch", springBatch);
		report.print();
	}

	private static void add(Report report, String name, Throughput throughput) {
		report.add(name + ".seconds", throughput.seconds(), "s", Double.NaN, "");
		report.add(name + ".steps_per_second", throughput.stepsPerSecond(), "steps/s", Double.NaN, "");
		report.add(name + ".commits_per_step", throughput.commitsPerStep(), "commits", Double.NaN, "");
		report.add(name + ".wal_bytes_per_step", throughput.walBytesPerStep(), "bytes", Double.NaN, "");
		report.add(name + ".cpu_us_per_step", throughput.cpuMicrosPerStep(), "us", Double.NaN, "");
	}

}
