package io.orchwf.benchmarks;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import io.orchwf.benchmarks.jmh.EngineOverheadBenchmark;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link EngineOverheadBenchmark} with JMH and turns its scores into report figures:
 * for each shape (chain of async steps, chain of sync steps, diamond), the time and the
 * bytes allocated per step of orchwf, as a ratio to the hand-written
 * {@link java.util.concurrent.CompletableFuture} code that schedules the same steps on a
 * pool of the same size, plus the baselines' own figures.
 *
 * <p>
 * Time per step is the benchmark's primary score: the benchmarks declare
 * {@code @OperationsPerInvocation(10)}, one invocation being one ten-step workflow, so
 * JMH reports nanoseconds per step. Bytes per step is the GC profiler's
 * {@code gc.alloc.rate.norm}: JMH divides the bytes allocated by every thread of the JVM
 * during an iteration (so the engine's workers and lanes count, not just the caller) by
 * the iteration's operation count, which its generated code has already multiplied by the
 * operations per invocation; the figure is therefore per step as it stands.
 *
 * <p>
 * Two forks, each with three warm-up iterations of one second and five measured ones of
 * two seconds, one caller thread: about two and a half minutes for the six benchmarks.
 */
final class JmhFigures {

	private static final String NORM = "gc.alloc.rate.norm";

	private JmhFigures() {
	}

	/**
	 * Run the benchmarks and add their figures.
	 * @param report where the figures go
	 * @throws IllegalStateException if JMH cannot run them or a benchmark fails
	 */
	static void addTo(Report report) {
		Options options = new OptionsBuilder()
			.include("^" + Pattern.quote(EngineOverheadBenchmark.class.getName()) + "\\.")
			.forks(2)
			.warmupIterations(3)
			.warmupTime(TimeValue.seconds(1))
			.measurementIterations(5)
			.measurementTime(TimeValue.seconds(2))
			.threads(1)
			.addProfiler(GCProfiler.class)
			.shouldFailOnError(true)
			.build();
		Collection<RunResult> results;
		try {
			results = new Runner(options).run();
		}
		catch (RunnerException ex) {
			throw new IllegalStateException("JMH failed: " + ex.getMessage(), ex);
		}
		Map<String, Scores> scores = new HashMap<>();
		for (RunResult result : results) {
			String benchmark = result.getParams().getBenchmark();
			String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
			Result<?> allocation = result.getSecondaryResults().get(NORM);
			scores.put(method, new Scores(result.getPrimaryResult().getScore(),
					(allocation != null) ? allocation.getScore() : Double.NaN));
		}
		add(report, scores, "chain", "orchwfChain", "futureChain", "CompletableFuture chain (thenApplyAsync)");
		add(report, scores, "sync_chain", "orchwfSyncChain", "futureSyncChain",
				"CompletableFuture chain (supplyAsync, then thenApply inline)");
		add(report, scores, "diamond", "orchwfDiamond", "futureDiamond", "CompletableFuture diamond (allOf)");
		for (String[] baseline : new String[][] { { "chain", "futureChain" }, { "sync_chain", "futureSyncChain" },
				{ "diamond", "futureDiamond" } }) {
			Scores future = scores.get(baseline[1]);
			if (future != null) {
				String name = "inmemory." + baseline[0] + ".future.";
				report.add(name + "ns_per_step", future.nanos(), "ns/step", Double.NaN, "");
				report.add(name + "bytes_per_step", future.bytes(), "B/step", Double.NaN, "");
			}
		}
	}

	private static void add(Report report, Map<String, Scores> scores, String shape, String orchwf, String future,
			String reference) {
		Scores engine = scores.get(orchwf);
		Scores baseline = scores.get(future);
		if (engine == null || baseline == null) {
			throw new IllegalStateException("JMH returned no score for " + orchwf + " or " + future);
		}
		report.add("inmemory." + shape + ".ns_per_step", engine.nanos(), "ns/step", engine.nanos() / baseline.nanos(),
				reference);
		report.add("inmemory." + shape + ".bytes_per_step", engine.bytes(), "B/step", engine.bytes() / baseline.bytes(),
				reference);
	}

	private record Scores(double nanos, double bytes) {
	}

}
