package io.orchwf.benchmarks;

/**
 * Measures the in-memory engine's overhead per step with JMH and prints the figures (see
 * {@link JmhFigures}). Run with
 * {@code mvn -B -q -pl orchwf-benchmarks exec:exec -Dbenchmark=io.orchwf.benchmarks.JmhMain};
 * JMH forks its benchmark JVM with this JVM's class path.
 */
public final class JmhMain {

	private JmhMain() {
	}

	public static void main(String[] args) {
		Report report = new Report("In-memory engine overhead");
		JmhFigures.addTo(report);
		report.print();
	}

}
