package io.orchwf.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures a burn-down: wall time, commits and WAL of its database, and the machine's CPU
 * time, from {@link #start} to {@link #stop}.
 */
final class Meter {

	/** Clock ticks per second of {@code /proc/stat} on Linux. */
	private static final double TICKS_PER_SECOND = 100.0;

	private final BenchmarkDatabase database;

	private final long startNanos;

	private final long startCommits;

	private final long startWal;

	private final double startCpu;

	private Meter(BenchmarkDatabase database) {
		this.database = database;
		quiet();
		this.startCommits = database.commits();
		this.startWal = database.walBytes();
		this.startCpu = machineCpuSeconds();
		this.startNanos = System.nanoTime();
	}

	static Meter start(BenchmarkDatabase database) {
		return new Meter(database);
	}

	/**
	 * Stop measuring.
	 * @param engine who ran the workflows
	 * @param workflows how many
	 * @param steps how many steps in all
	 * @return the measurement
	 */
	Throughput stop(String engine, long workflows, long steps) {
		double seconds = (System.nanoTime() - this.startNanos) / 1e9;
		double cpu = machineCpuSeconds() - this.startCpu;
		long wal = this.database.walBytes() - this.startWal;
		// backends report their commit counts once idle
		quiet();
		long commits = this.database.commits() - this.startCommits;
		return new Throughput(engine, workflows, steps, seconds, commits, wal, cpu);
	}

	private static void quiet() {
		try {
			Thread.sleep(1200);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * CPU time the whole machine spent busy (user, nice, system, irq, softirq), from
	 * {@code /proc/stat}; {@code NaN} elsewhere.
	 */
	static double machineCpuSeconds() {
		try {
			String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			long busy = 0;
			for (int i : new int[] { 1, 2, 3, 6, 7 }) {
				busy += Long.parseLong(cpu[i]);
			}
			return busy / TICKS_PER_SECOND;
		}
		catch (IOException | RuntimeException ex) {
			return Double.NaN;
		}
	}

}
