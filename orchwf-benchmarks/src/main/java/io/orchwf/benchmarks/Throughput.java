package io.orchwf.benchmarks;

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

}
