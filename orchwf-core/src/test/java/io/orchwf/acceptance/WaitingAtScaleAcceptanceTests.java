package io.orchwf.acceptance;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.orchwf.Orchestrator;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.store.StateStore;
import io.orchwf.store.memory.InMemoryStateStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract, "Semantics / Waiting": a workflow waiting for a signal is WAITING and
 * holds no thread. Ten thousand workflows park on an {@code awaitSignal} step (in-memory
 * store); the JVM's live thread count must not grow by anything like one thread per
 * workflow, and no node drives them; then every one is signalled and completes.
 */
class WaitingAtScaleAcceptanceTests extends WaitingAcceptanceSupport {

	private static final int WORKFLOWS = 10_000;

	private static final int THREAD_ALLOWANCE = 100;

	private static final Duration GENEROUS = Duration.ofSeconds(60);

	@Override
	protected StateStore newStore() {
		// every instance is awaited after all have finished: the store must keep them all
		return new InMemoryStateStore(WORKFLOWS + 1);
	}

	@Test
	void tenThousandWorkflowsWaitingForASignalHoldNoThreads() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		Orchestrator orchestrator = node((builder) -> builder.pollInterval(Duration.ofMillis(50)));
		orchestrator.register(workflow("parked", StepDefinition.awaitSignal("go", "go"),
				step("done", (ctx) -> Map.of("done", ctx.input().get("i"))).dependsOn("go")));
		// warm up: one instance through the whole path, so that pools exist before the
		// baseline is taken
		String warmUp = orchestrator.startAsync("parked", Map.of("i", -1));
		awaitWaiting(orchestrator, warmUp, "go");
		orchestrator.signal(warmUp, "go", Map.of("n", -1));
		assertThat(finish(orchestrator, warmUp).status()).isEqualTo(WorkflowStatus.COMPLETED);
		int before = threads.getThreadCount();

		List<String> ids = new ArrayList<>(WORKFLOWS);
		for (int i = 0; i < WORKFLOWS; i++) {
			ids.add(orchestrator.startAsync("parked", Map.of("i", i)));
		}
		WorkflowFilter waiting = WorkflowFilter.builder().workflowId("parked").status(WorkflowStatus.WAITING).build();
		await().atMost(GENEROUS)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> orchestrator.list(waiting, 1, 0).total() == WORKFLOWS);
		await().atMost(GENEROUS).pollInterval(Duration.ofMillis(50)).until(() -> orchestrator.activeInstances() == 0);
		int parked = threads.getThreadCount();
		int allThreads = Thread.getAllStackTraces().size();
		assertThat(parked - before)
			.as("live threads grew from %d to %d (%d in getAllStackTraces) for %d waiting workflows", before, parked,
					allThreads, WORKFLOWS)
			.isLessThan(THREAD_ALLOWANCE);
		assertThat(orchestrator.busyWorkers()).isZero();

		long started = System.nanoTime();
		for (int i = 0; i < WORKFLOWS; i++) {
			orchestrator.signal(ids.get(i), "go", Map.of("n", i));
		}
		for (int i = 0; i < WORKFLOWS; i++) {
			Duration left = GENEROUS.minusNanos(System.nanoTime() - started);
			String id = ids.get(i);
			WorkflowResult result = orchestrator.awaitCompletion(id, left.isNegative() ? Duration.ZERO : left)
				.orElseThrow(() -> new AssertionError("instance " + id + " did not complete within " + GENEROUS
						+ " of the signals; status: " + orchestrator.status(id)));
			assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
			assertThat(result.output()).containsEntry("n", i).containsEntry("done", i);
		}
		assertThat(threads.getThreadCount() - before).isLessThan(THREAD_ALLOWANCE);
	}

}
