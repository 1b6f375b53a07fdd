package io.orchwf.benchmarks.jmh;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import io.orchwf.Orchestrator;
import io.orchwf.StepDefinition;
import io.orchwf.StepExecutor;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowResult;
import io.orchwf.store.memory.InMemoryStateStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the in-memory engine costs per step, against hand-written
 * {@link CompletableFuture} code doing the same scheduling.
 *
 * <p>
 * Each operation runs one complete workflow of {@value #STEPS} no-op steps (each returns
 * {@code Map.of()}) and waits for it to end, so with
 * {@code @OperationsPerInvocation(STEPS)} every score is time per step, and the
 * {@code gc.alloc.rate.norm} of the GC profiler is bytes allocated per step. Since the
 * steps do nothing, all of it is engine overhead: planning, state transitions written to
 * the {@link InMemoryStateStore}, events, data-flow merging, hand-offs between threads
 * and waking the caller.
 *
 * <p>
 * The shapes, and their baselines:
 * <ul>
 * <li>{@code orchwfChain}: a linear chain of ten async steps, each on the worker pool.
 * Baseline {@code futureChain}: {@code supplyAsync} then nine {@code thenApplyAsync} on a
 * pool of the same size, so each step is one hand-off to a pool thread, as in the
 * engine.</li>
 * <li>{@code orchwfSyncChain}: the same chain of sync steps (the default), which the
 * engine runs one after another on one lane thread. Baseline {@code futureSyncChain}:
 * {@code supplyAsync} then nine {@code thenApply}, i.e. one hand-off to a pool thread and
 * the rest inline on it.</li>
 * <li>{@code orchwfDiamond}: one step, eight async steps depending on it, one step
 * depending on all eight, every step async. Baseline {@code futureDiamond}: one
 * {@code supplyAsync}, eight {@code thenApplyAsync} on it, {@code allOf} of those, then
 * one {@code thenApplyAsync}.</li>
 * </ul>
 * The baselines are a fair reference because they are the least code that gives the same
 * ordering and parallelism guarantees on the same number of threads: every step runs on a
 * pool thread only once its dependencies have finished, independent steps run
 * concurrently, and the caller blocks until the last step has finished. They lack only
 * what makes a workflow engine: durable state, events, retries, timeouts and the data
 * flow, which is what the ratio prices.
 *
 * <p>
 * One orchestrator, on one in-memory store with its default bounds (it keeps the 1,000
 * most recently finished instances), runs the whole trial, as in a service that has been
 * up for a while.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EngineOverheadBenchmark {

	/** Steps per workflow, in every shape. */
	public static final int STEPS = 10;

	/** Threads of the engine's worker pool and of the baseline's executor. */
	public static final int THREADS = 4;

	private static final int BRANCHES = STEPS - 2;

	private static final String CHAIN = "chain";

	private static final String SYNC_CHAIN = "sync_chain";

	private static final String DIAMOND = "diamond";

	/** The step of every orchwf workflow: does nothing, outputs nothing. */
	private static final StepExecutor NO_OP = (context) -> Map.of();

	/** The step of every baseline: the same no-op. */
	private static final Function<Object, Map<String, Object>> NO_OP_FUNCTION = (input) -> Map.of();

	private static final Supplier<Map<String, Object>> NO_OP_SUPPLIER = Map::of;

	private Orchestrator orchestrator;

	private ThreadPoolExecutor executor;

	@Setup(Level.Trial)
	public void startExecutor() {
		AtomicInteger count = new AtomicInteger();
		this.executor = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				(runnable) -> {
					Thread thread = new Thread(runnable, "baseline-" + count.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		this.executor.prestartAllCoreThreads();
	}

	@Setup(Level.Trial)
	public void startOrchestrator() {
		this.orchestrator = Orchestrator.builder(new InMemoryStateStore()).workers(THREADS).build();
		this.orchestrator.register(chain(CHAIN, true));
		this.orchestrator.register(chain(SYNC_CHAIN, false));
		this.orchestrator.register(diamond());
	}

	@TearDown(Level.Trial)
	public void stopOrchestrator() throws Exception {
		this.orchestrator.close();
	}

	@TearDown(Level.Trial)
	public void stopExecutor() throws InterruptedException {
		this.executor.shutdown();
		if (!this.executor.awaitTermination(10, TimeUnit.SECONDS)) {
			this.executor.shutdownNow();
		}
	}

	private static WorkflowDefinition chain(String id, boolean async) {
		WorkflowDefinition.Builder builder = WorkflowDefinition.builder(id, id);
		for (int i = 0; i < STEPS; i++) {
			StepDefinition.Builder step = StepDefinition.builder("s" + i, "step " + i, NO_OP).async(async);
			if (i > 0) {
				step.dependsOn("s" + (i - 1));
			}
			builder.step(step.build());
		}
		return builder.build();
	}

	private static WorkflowDefinition diamond() {
		WorkflowDefinition.Builder builder = WorkflowDefinition.builder(DIAMOND, DIAMOND);
		builder.step(StepDefinition.builder("first", "first", NO_OP).async(true).build());
		String[] branches = new String[BRANCHES];
		for (int i = 0; i < BRANCHES; i++) {
			branches[i] = "branch" + i;
			builder
				.step(StepDefinition.builder(branches[i], branches[i], NO_OP).dependsOn("first").async(true).build());
		}
		builder.step(StepDefinition.builder("last", "last", NO_OP).dependsOn(branches).async(true).build());
		return builder.build();
	}

	private static WorkflowResult succeeded(WorkflowResult result) {
		if (!result.success()) {
			throw new IllegalStateException("workflow " + result.instance().workflowId() + " ended " + result.status()
					+ ": " + result.error().orElse(""));
		}
		return result;
	}

	@Benchmark
	@OperationsPerInvocation(STEPS)
	public WorkflowResult orchwfChain() {
		return succeeded(this.orchestrator.start(CHAIN, null));
	}

	@Benchmark
	@OperationsPerInvocation(STEPS)
	public WorkflowResult orchwfSyncChain() {
		return succeeded(this.orchestrator.start(SYNC_CHAIN, null));
	}

	@Benchmark
	@OperationsPerInvocation(STEPS)
	public WorkflowResult orchwfDiamond() {
		return succeeded(this.orchestrator.start(DIAMOND, null));
	}

	@Benchmark
	@OperationsPerInvocation(STEPS)
	public Map<String, Object> futureChain() {
		CompletableFuture<Map<String, Object>> future = CompletableFuture.supplyAsync(NO_OP_SUPPLIER, this.executor);
		for (int i = 1; i < STEPS; i++) {
			future = future.thenApplyAsync(NO_OP_FUNCTION, this.executor);
		}
		return future.join();
	}

	@Benchmark
	@OperationsPerInvocation(STEPS)
	public Map<String, Object> futureSyncChain() {
		CompletableFuture<Map<String, Object>> future = CompletableFuture.supplyAsync(NO_OP_SUPPLIER, this.executor);
		for (int i = 1; i < STEPS; i++) {
			future = future.thenApply(NO_OP_FUNCTION);
		}
		return future.join();
	}

	@Benchmark
	@OperationsPerInvocation(STEPS)
	public Map<String, Object> futureDiamond() {
		CompletableFuture<Map<String, Object>> first = CompletableFuture.supplyAsync(NO_OP_SUPPLIER, this.executor);
		CompletableFuture<?>[] branches = new CompletableFuture<?>[BRANCHES];
		for (int i = 0; i < BRANCHES; i++) {
			branches[i] = first.thenApplyAsync(NO_OP_FUNCTION, this.executor);
		}
		return CompletableFuture.allOf(branches).thenApplyAsync(NO_OP_FUNCTION, this.executor).join();
	}

}
