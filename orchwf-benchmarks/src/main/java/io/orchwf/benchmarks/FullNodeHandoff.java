package io.orchwf.benchmarks;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The full node of {@link TwoNodes}: a node with {@code maxActiveInstances(1)}, busy with
 * one long workflow, starts short ones, which an idle node should take; the latency from
 * each start to its workflow's step starting on the idle node is taken, against the same
 * starts on the node before it is full.
 */
final class FullNodeHandoff {

	/** The pause between two starts. */
	private static final int PAUSE_MILLIS = 5;

	private final NodeProcess full;

	private final NodeProcess idle;

	private final int starts;

	private FullNodeHandoff(NodeProcess full, NodeProcess idle, int starts) {
		this.full = full;
		this.idle = idle;
		this.starts = starts;
	}

	static void addTo(Report report, BenchmarkDatabase database, NodeProcess full, NodeProcess idle, int starts)
			throws Exception {
		TwoNodes.clear(database);
		FullNodeHandoff handoff = new FullNodeHandoff(full, idle, starts);
		// unmeasured, then the reference: the node is not full yet, and runs them itself
		handoff.startShort();
		Starts alone = handoff.startShort();
		full.call("hold", TwoNodes.PATIENCE);
		Starts whenFull;
		try {
			whenFull = handoff.startShort();
		}
		finally {
			full.call("release", Duration.ofSeconds(10));
		}
		long[] taken = whenFull.latencies(idle.name());
		long[] reference = alone.latencies(full.name());
		for (double percentile : new double[] { 50, 99 }) {
			String suffix = String.format(Locale.ROOT, ".p%.0f", percentile);
			double value = (taken.length > 0) ? TwoNodes.millis(Report.percentile(taken, percentile)) : Double.NaN;
			double same = TwoNodes.millis(Report.percentile(reference, percentile));
			report.add("twonodes.handoff" + suffix, value, "ms", value / same,
					String.format(Locale.ROOT, "start to step on one idle node (%.3f ms)", same));
		}
		report.add("twonodes.handoff.taken_by_b", taken.length, "workflows", (double) taken.length / starts,
				"workflows started on the full node");
		for (double percentile : new double[] { 50, 99 }) {
			report.add(String.format(Locale.ROOT, "twonodes.handoff.same_node.p%.0f", percentile),
					TwoNodes.millis(Report.percentile(reference, percentile)), "ms", Double.NaN, "");
		}
		if (taken.length < starts) {
			System.out.println("-- note: the full node ran " + (starts - taken.length) + " of the " + starts
					+ " workflows started on it itself");
		}
	}

	/**
	 * Start the short workflows on the full node, one after the other, and wait until
	 * each one's step has started on either node.
	 */
	private Starts startShort() throws Exception {
		Map<String, Long> started = new HashMap<>();
		for (String[] line : this.full.call("start " + NodeWorkflows.SHORT + " " + this.starts + " " + PAUSE_MILLIS,
				TwoNodes.PATIENCE)) {
			started.put(line[1], Long.parseLong(line[2]));
		}
		Map<String, Step> steps = new HashMap<>();
		TwoNodes.await(this.starts + " short workflows' steps to start", () -> {
			for (NodeProcess node : List.of(this.full, this.idle)) {
				for (String[] line : node.call("firststeps", Duration.ofSeconds(10))) {
					if (started.containsKey(line[1])) {
						steps.put(line[1], new Step(node.name(), Long.parseLong(line[2])));
					}
				}
			}
			return steps.size() == started.size();
		});
		return new Starts(started, steps);
	}

	/** Where and when a short workflow's step started. */
	private record Step(String node, long micros) {
	}

	/** When each short workflow was started, and where and when its step started. */
	private record Starts(Map<String, Long> started, Map<String, Step> steps) {

		/**
		 * From the start to the step of the workflows whose step ran on a node, sorted.
		 */
		long[] latencies(String node) {
			return this.steps.entrySet()
				.stream()
				.filter((step) -> step.getValue().node().equals(node))
				.mapToLong((step) -> step.getValue().micros() - this.started.get(step.getKey()))
				.sorted()
				.toArray();
		}

	}

}
