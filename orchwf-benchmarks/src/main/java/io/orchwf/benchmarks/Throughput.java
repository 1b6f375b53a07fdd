package io.orchwf.benchmarks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a durable burn-down measured: workflows of no-op steps run to completion.
 *
 * @param engine who ran them
 * @param workflows how many workflows
 * @param steps how many steps in all
 * @param seconds from the first start to the last completion
 * @param commits transactions committed in the benchmark's database meanwhile
 * @param walBytes WAL written by the server meanwhile
 * @param cpuSeconds CPU time of the whole machine meanwhile (the JVM and PostgreSQL), or
 * {@code NaN} where it cannot be read
 */
record Throughput(String engine, long workflows, long steps, double seconds, long commits, long walBytes,
		double cpuSeconds) {

	double stepsPerSecond() {
		return this.steps / this.seconds;
	}

	double commitsPerStep() {
		return (double) this.commits / this.steps;
	}

	double walBytesPerStep() {
		return (double) this.walBytes / this.steps;
	}

	double cpuMicrosPerStep() {
		return this.cpuSeconds * 1e6 / this.steps;
	}

	/**
	 * Run a few times unmeasured, then measure several times and keep the median run, by
	 * steps per second: a run of a few seconds on a shared 2-core machine varies by a
	 * fifth from one to the next, and the first runs in a JVM spend much of the machine
	 * compiling (several seconds of JIT compilation per run for orchwf, until a few runs
	 * have gone), which says nothing about a long-running service.
	 * @param warmUps how many runs go unmeasured first
	 * @param runs how many times, an odd number
	 * @param measurement one run
	 * @return the median run, all its figures from that run
	 * @throws Exception if a run failed
	 */
	static Throughput medianOf(int warmUps, int runs, Measurement measurement) throws Exception {
		for (int i = 0; i < warmUps; i++) {
			measurement.run();
		}
		List<Throughput> measured = new ArrayList<>(runs);
		for (int i = 0; i < runs; i++) {
			measured.add(measurement.run());
		}
		measured.sort(Comparator.comparingDouble(Throughput::stepsPerSecond));
		return measured.get(runs / 2);
	}

	/** One measured run. */
	@FunctionalInterface
	interface Measurement {

		Throughput run() throws Exception;

	}

}
