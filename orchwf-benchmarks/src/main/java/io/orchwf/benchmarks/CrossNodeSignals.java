package io.orchwf.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The signal rounds of {@link TwoNodes}: node A parks workflows on a signal, a node
 * signals each, and the latency from each signal's sending to its workflow's completion,
 * on whichever node completed it, is taken.
 */
final class CrossNodeSignals {

	/** The pause between two signals of a sequential round. */
	private static final int PAUSE_MILLIS = 5;

	/** Client threads of a round at full speed. */
	private static final int CLIENTS = 4;

	private static final String WAITING = "SELECT count(*) FROM orchwf_instances WHERE workflow_id = '"
			+ NodeWorkflows.APPROVAL + "' AND status = 'WAITING'";

	private static final String HELD_COMPLETED = "SELECT count(*) FROM orchwf_instances WHERE workflow_id = '"
			+ NodeWorkflows.HELD + "' AND status = 'COMPLETED'";

	/**
	 * Held workflows per round: three for each of a node's 16 workers, so that every one
	 * is still driven (its first step running or queued) when its signal comes.
	 */
	private static final int HELD = 48;

	private final BenchmarkDatabase database;

	private final NodeProcess a;

	private final NodeProcess b;

	private final int workflows;

	private CrossNodeSignals(BenchmarkDatabase database, NodeProcess a, NodeProcess b, int workflows) {
		this.database = database;
		this.a = a;
		this.b = b;
		this.workflows = workflows;
	}

	static void addTo(Report report, BenchmarkDatabase database, NodeProcess a, NodeProcess b, int workflows)
			throws Exception {
		CrossNodeSignals signals = new CrossNodeSignals(database, a, b, workflows);
		// unmeasured: the signal paths of both JVMs warm up
		signals.round(b, CLIENTS, 0);
		signals.round(a, CLIENTS, 0);
		Round cross = signals.round(b, 1, PAUSE_MILLIS);
		Round same = signals.round(a, 1, PAUSE_MILLIS);
		Round crossFast = signals.round(b, CLIENTS, 0);
		Round sameFast = signals.round(a, CLIENTS, 0);
		cross.addTo(report, "twonodes.signal.cross_node", same, "signalled through A, the parking node");
		report.add("twonodes.signal.cross_node.completed_on_a", cross.completedOnParker, "workflows",
				(double) cross.completedOnParker / workflows, "workflows signalled through B");
		crossFast.addTo(report, "twonodes.signal.cross_node_" + CLIENTS + "_clients", sameFast,
				"signalled through A, " + CLIENTS + " clients");
		report.add("twonodes.signal.cross_node_" + CLIENTS + "_clients.completed_on_a", crossFast.completedOnParker,
				"workflows", (double) crossFast.completedOnParker / workflows, "workflows signalled through B");
		// instances the first node still drives: the notice is what tells it
		signals.heldRound(b);
		Round heldCross = signals.heldRound(b);
		Round heldSame = signals.heldRound(a);
		heldCross.addTo(report, "twonodes.signal.held_cross_node", heldSame, "signalled through A, which drives them");
		heldSame.addTo(report, "twonodes.signal.held_same_node", null, "");
		same.addTo(report, "twonodes.signal.same_node", null, "");
		sameFast.addTo(report, "twonodes.signal.same_node_" + CLIENTS + "_clients", null, "");
	}

	/**
	 * Park workflows on A, signal each through a node, and wait for all to complete.
	 * @param sender the node that signals
	 * @param clients its client threads
	 * @param pauseMillis the pause of each after each signal
	 * @return the round's latencies
	 */
	private Round round(NodeProcess sender, int clients, int pauseMillis) throws Exception {
		TwoNodes.clear(this.database);
		List<String> signal = new ArrayList<>();
		signal.add("signal " + clients + " " + pauseMillis);
		for (String[] id : this.a.call("park " + this.workflows + " " + CLIENTS, TwoNodes.PATIENCE)) {
			signal.add(id[1]);
		}
		signal.add("end");
		TwoNodes.await(this.workflows + " workflows to wait for their signal",
				() -> TwoNodes.count(this.database, WAITING) == this.workflows);
		Map<String, Long> sent = new HashMap<>();
		Duration sending = TwoNodes.PATIENCE.plusMillis((long) this.workflows * pauseMillis / clients);
		for (String[] line : sender.call(signal, sending)) {
			sent.put(line[1], Long.parseLong(line[2]));
		}
		Map<String, Long> completed = new HashMap<>();
		int[] onParker = { 0 };
		TwoNodes.await(this.workflows + " signalled workflows to complete", () -> {
			for (NodeProcess node : List.of(this.a, this.b)) {
				for (String[] line : node.call("completions", Duration.ofSeconds(10))) {
					if (sent.containsKey(line[1]) && completed.put(line[1], Long.parseLong(line[2])) == null
							&& node == this.a) {
						onParker[0]++;
					}
				}
			}
			return completed.size() == sent.size();
		});
		long[] latencies = new long[sent.size()];
		int i = 0;
		for (Map.Entry<String, Long> signalled : sent.entrySet()) {
			latencies[i++] = completed.get(signalled.getKey()) - signalled.getValue();
		}
		Round round = new Round(Report.sorted(latencies, latencies.length), onParker[0]);
		TwoNodes.log(String.format(Locale.ROOT,
				"%d signals through %s, %d client(s), %d ms apart, sent over %.3f s: p50 %.3f ms, p99 %.3f ms, "
						+ "%d completed on %s",
				sent.size(), sender.name(), clients, pauseMillis,
				(Collections.max(sent.values()) - Collections.min(sent.values())) / 1e6, round.p(50), round.p(99),
				onParker[0], this.a.name()));
		return round;
	}

	/**
	 * Start workflows on A whose first step holds them there, signal each through a node
	 * while A drives it (5 ms apart), and take the time from each signal to the end of
	 * the step that waited for it.
	 * @param sender the node that signals
	 * @return the round's latencies
	 */
	private Round heldRound(NodeProcess sender) throws Exception {
		TwoNodes.clear(this.database);
		List<String> signal = new ArrayList<>();
		signal.add("signal 1 " + PAUSE_MILLIS);
		for (String[] id : this.a.call("park " + HELD + " " + CLIENTS + " " + NodeWorkflows.HELD, TwoNodes.PATIENCE)) {
			signal.add(id[1]);
		}
		signal.add("end");
		Map<String, Long> sent = new HashMap<>();
		for (String[] line : sender.call(signal, TwoNodes.PATIENCE)) {
			sent.put(line[1], Long.parseLong(line[2]));
		}
		Map<String, Long> recorded = new HashMap<>();
		TwoNodes.await(HELD + " held workflows to take their signal", () -> {
			for (String[] line : this.a.call("completions", Duration.ofSeconds(10))) {
				if (sent.containsKey(line[1])) {
					recorded.put(line[1], Long.parseLong(line[2]));
				}
			}
			return recorded.size() == sent.size();
		});
		// the next round empties the tables: not under instances still running
		TwoNodes.await(HELD + " held workflows to complete",
				() -> TwoNodes.count(this.database, HELD_COMPLETED) == HELD);
		long[] latencies = new long[sent.size()];
		int i = 0;
		for (Map.Entry<String, Long> signalled : sent.entrySet()) {
			latencies[i++] = recorded.get(signalled.getKey()) - signalled.getValue();
		}
		Round round = new Round(Report.sorted(latencies, latencies.length), sent.size());
		TwoNodes.log(String.format(Locale.ROOT, "%d signals to held instances through %s: p50 %.3f ms, p99 %.3f ms",
				sent.size(), sender.name(), round.p(50), round.p(99)));
		return round;
	}

	/**
	 * The latencies of one round, in microseconds, sorted, and how many of its workflows
	 * completed on the node that parked them.
	 */
	private record Round(long[] latencies, int completedOnParker) {

		double p(double percentile) {
			return TwoNodes.millis(Report.percentile(this.latencies, percentile));
		}

		void addTo(Report report, String name, @Nullable Round reference, String against) {
			for (double percentile : new double[] { 50, 99 }) {
				String suffix = String.format(Locale.ROOT, ".p%.0f", percentile);
				double ratio = (reference != null) ? p(percentile) / reference.p(percentile) : Double.NaN;
				String what = (reference != null)
						? String.format(Locale.ROOT, "%s (%.3f ms)", against, reference.p(percentile)) : "";
				report.add(name + suffix, p(percentile), "ms", ratio, what);
			}
		}

	}

}
