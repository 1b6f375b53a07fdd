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
		return median(measured);
	}

	/**
	 * Like {@link #medianOf}, for an engine and its reference taken in turns: after the
	 * engine's unmeasured runs, each of its measured runs is followed by a run of the
	 * reference, and the median of each is reported. The throughput of this machine
	 * drifts by a fifth from one minute to the next; taken in turns, the two see the same
	 * minutes and the drift stays out of their ratio.
	 * @param warmUps how many runs of the engine go unmeasured first
	 * @param runs how many times each runs measured, an odd number
	 * @param engine one run of the engine
	 * @param reference one run of the reference
	 * @return the engine's median run, then the reference's
	 * @throws Exception if a run failed
	 */
	static Throughput[] mediansInTurns(int warmUps, int runs, Measurement engine, Measurement reference)
			throws Exception {
		for (int i = 0; i < warmUps; i++) {
			engine.run();
		}
		List<Throughput> engineRuns = new ArrayList<>(runs);
		List<Throughput> referenceRuns = new ArrayList<>(runs);
		for (int i = 0; i < runs; i++) {
			engineRuns.add(engine.run());
			referenceRuns.add(reference.run());
		}
		return new Throughput[] { median(engineRuns), median(referenceRuns) };
	}

	private static Throughput median(List<Throughput> runs) {
		List<Throughput> sorted = new ArrayList<>(runs);
		sorted.sort(Comparator.comparingDouble(Throughput::stepsPerSecond));
		return sorted.get(sorted.size() / 2);
	}

	/** One measured run. */
	@FunctionalInterface
	interface Measurement {

		Throughput run() throws Exception;

	}

}
