package io.orchwf.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The burn-down of {@link TwoNodes}: workflows of no-op steps run by one node, and by two
 * nodes each starting and driving half of them, taken in turns, with a count of the steps
 * that ran twice.
 */
final class TwoNodeBurnDown {

	/** How many times each of one node and two nodes runs measured, in turns. */
	static final int RUNS = 3;

	/**
	 * Two-node runs unmeasured first, which warm up both JVMs (as in
	 * {@link BenchmarkSuite}, the JIT compiler takes much of the machine in the first
	 * runs).
	 */
	private static final int WARM_UPS = 2;

	/** Steps stored as started more than once in their instance's history. */
	private static final String STORED_TWICE = """
			SELECT count(*) FROM (
				SELECT h.instance_id, e ->> 'step'
				FROM orchwf_history h CROSS JOIN LATERAL jsonb_array_elements(h.events) e
				WHERE e ->> 'type' = 'STEP_STARTED'
				GROUP BY 1, 2 HAVING count(*) > 1) twice
			""";

	private static final String COMPLETED = "SELECT count(*) FROM orchwf_instances WHERE workflow_id = '"
			+ NodeWorkflows.BURN + "' AND status = 'COMPLETED'";

	private final BenchmarkDatabase database;

	private final List<NodeProcess> nodes;

	private final int workflows;

	private final int steps;

	/** Step executions beyond one per step, in every run. */
	private long ranTwice;

	/** Steps stored as started twice, in every run. */
	private long storedTwice;

	/** Steps run in every run. */
	private long stepsRun;

	/** Steps node B ran in the two-node runs, and all steps of those runs. */
	private long onSecond;

	private long twoNodeSteps;

	private TwoNodeBurnDown(BenchmarkDatabase database, List<NodeProcess> nodes, int workflows, int steps) {
		this.database = database;
		this.nodes = nodes;
		this.workflows = workflows;
		this.steps = steps;
	}

	static void addTo(Report report, BenchmarkDatabase database, NodeProcess a, NodeProcess b, int workflows, int steps)
			throws Exception {
		TwoNodeBurnDown burnDown = new TwoNodeBurnDown(database, List.of(a, b), workflows, steps);
		Throughput[] twoAndOne = Throughput.mediansInTurns(WARM_UPS, RUNS, () -> burnDown.run(List.of(a, b)),
				() -> burnDown.run(List.of(a)));
		Throughput two = twoAndOne[0];
		Throughput one = twoAndOne[1];
		report.add("twonodes.burn.one_node.steps_per_second", one.stepsPerSecond(), "steps/s", Double.NaN, "");
		report.add("twonodes.burn.two_nodes.steps_per_second", two.stepsPerSecond(), "steps/s",
				two.stepsPerSecond() / one.stepsPerSecond(),
				String.format(Locale.ROOT, "one node's steps/s (%.0f)", one.stepsPerSecond()));
		report.add("twonodes.burn.two_nodes.commits_per_step", two.commitsPerStep(), "commits",
				two.commitsPerStep() / one.commitsPerStep(),
				String.format(Locale.ROOT, "one node's (%.3f)", one.commitsPerStep()));
		report.add("twonodes.burn.two_nodes.cpu_us_per_step", two.cpuMicrosPerStep(), "us (machine)",
				two.cpuMicrosPerStep() / one.cpuMicrosPerStep(),
				String.format(Locale.ROOT, "one node's (%.0f us)", one.cpuMicrosPerStep()));
		report.add("twonodes.burn.two_nodes.share_of_node_b", (double) burnDown.onSecond / burnDown.twoNodeSteps,
				"of steps", Double.NaN, "");
		report.add("twonodes.duplicate_steps", burnDown.ranTwice, "steps",
				(double) burnDown.ranTwice / burnDown.stepsRun,
				"steps run in all burn-downs (" + burnDown.stepsRun + ")");
		report.add("twonodes.duplicate_steps.stored", burnDown.storedTwice, "steps",
				(double) burnDown.storedTwice / burnDown.stepsRun, "steps run in all burn-downs");
	}

	/**
	 * One burn-down in the emptied database, the workflows split among the starters.
	 */
	private Throughput run(List<NodeProcess> starters) throws Exception {
		TwoNodes.clear(this.database);
		long totalSteps = (long) this.workflows * this.steps;
		// at least 200 steps/s, or something is wrong
		Duration timeout = TwoNodes.PATIENCE.plusSeconds(totalSteps / 200);
		Meter meter = Meter.start(this.database);
		List<String[]> windows = new ArrayList<>();
		// every node on a thread of its own, all at once
		ExecutorService callers = Executors.newFixedThreadPool(starters.size());
		try {
			List<Future<List<String[]>>> burns = new ArrayList<>();
			for (int i = 0; i < starters.size(); i++) {
				int share = this.workflows / starters.size() + ((i < this.workflows % starters.size()) ? 1 : 0);
				NodeProcess node = starters.get(i);
				String command = "burn " + share + " " + TwoNodes.CONNECTIONS + " " + timeout.toSeconds();
				burns.add(callers.submit(() -> node.call(command, timeout.plusSeconds(5))));
			}
			for (Future<List<String[]>> burn : burns) {
				windows.add(burn.get().get(0));
			}
		}
		finally {
			callers.shutdownNow();
		}
		long first = windows.stream().mapToLong((window) -> Long.parseLong(window[1])).min().orElseThrow();
		long last = windows.stream().mapToLong((window) -> Long.parseLong(window[2])).max().orElseThrow();
		StringBuilder each = new StringBuilder();
		for (int i = 0; i < windows.size(); i++) {
			each.append(String.format(Locale.ROOT, "; %s from %.3f to %.3f s", starters.get(i).name(),
					(Long.parseLong(windows.get(i)[1]) - first) / 1e6,
					(Long.parseLong(windows.get(i)[2]) - first) / 1e6));
		}
		TwoNodes.log(String.format(Locale.ROOT, "%d node(s): %d steps in %.3f s%s", starters.size(), totalSteps,
				(last - first) / 1e6, each));
		Throughput metered = meter.stop("orchwf, " + starters.size() + " node(s)", this.workflows, totalSteps);
		long completed = TwoNodes.count(this.database, COMPLETED);
		if (completed != this.workflows) {
			throw new IllegalStateException("only " + completed + " of " + this.workflows + " workflows completed");
		}
		long executions = 0;
		for (NodeProcess node : this.nodes) {
			long ran = Long.parseLong(node.call("executions", Duration.ofSeconds(10)).get(0)[1]);
			executions += ran;
			if (starters.size() > 1 && node == this.nodes.get(1)) {
				this.onSecond += ran;
			}
		}
		this.ranTwice += executions - totalSteps;
		this.storedTwice += TwoNodes.count(this.database, STORED_TWICE);
		this.stepsRun += totalSteps;
		if (starters.size() > 1) {
			this.twoNodeSteps += totalSteps;
		}
		return new Throughput(metered.engine(), this.workflows, totalSteps, (last - first) / 1e6, metered.commits(),
				metered.walBytes(), metered.cpuSeconds());
	}

}
