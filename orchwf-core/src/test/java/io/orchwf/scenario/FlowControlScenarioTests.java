package io.orchwf.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.orchwf.Orchestrator;
import io.orchwf.StartOptions;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A workflow's concurrency limits hold across the nodes of a store: instances beyond them
 * stay pending and start as slots free, highest priority first, then oldest, one key's
 * instances one after another when its limit is 1; a queued instance is cancelled at
 * once.
 */
class FlowControlScenarioTests extends ScenarioSupport {

	@Test
	void atMostTheLimitRunAtOnceAcrossTwoNodesAndTheRestStartAsSlotsFree() {
		Orchestrator a = node("node-a");
		Orchestrator b = node("node-b");
		List<String> ids = List.of(a.startAsync("limited", null), b.startAsync("limited", null),
				a.startAsync("limited", null), b.startAsync("limited", null));
		await().atMost(WAIT).until(() -> count(a, ids, WorkflowStatus.WAITING) == 2);
		await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> count(a, ids, WorkflowStatus.PENDING) == 2);
		for (int round = 0; round < 2; round++) {
			String waiting = first(a, ids, WorkflowStatus.WAITING);
			a.signal(waiting, "go", Map.of());
			awaitStatus(a, waiting, WorkflowStatus.COMPLETED);
			await().atMost(WAIT)
				.until(() -> count(a, ids, WorkflowStatus.WAITING) == 2 || count(a, ids, WorkflowStatus.PENDING) == 0);
		}
		assertThat(count(a, ids, WorkflowStatus.PENDING)).isZero();
		assertThat(count(a, ids, WorkflowStatus.WAITING)).isEqualTo(2);
	}

	@Test
	void oneKeysInstancesRunOneAfterAnotherInStartOrder() {
		Orchestrator orchestrator = node("node-a");
		String first = start(orchestrator, "per_customer", "customer-1", 0);
		String second = start(orchestrator, "per_customer", "customer-1", 0);
		String other = start(orchestrator, "per_customer", "customer-2", 0);
		awaitStatus(orchestrator, first, WorkflowStatus.WAITING);
		awaitStatus(orchestrator, other, WorkflowStatus.WAITING);
		await().during(Duration.ofMillis(300))
			.atMost(WAIT)
			.until(() -> orchestrator.status(second).orElseThrow().status() == WorkflowStatus.PENDING);
		orchestrator.signal(first, "go", Map.of());
		awaitStatus(orchestrator, first, WorkflowStatus.COMPLETED);
		awaitStatus(orchestrator, second, WorkflowStatus.WAITING);
	}

	@Test
	void higherPrioritiesGetTheFreedSlotFirst() {
		Orchestrator orchestrator = node("node-a");
		String holder = start(orchestrator, "single", null, 0);
		awaitStatus(orchestrator, holder, WorkflowStatus.WAITING);
		String low = start(orchestrator, "single", null, 0);
		String high = start(orchestrator, "single", null, 5);
		orchestrator.signal(holder, "go", Map.of());
		awaitStatus(orchestrator, high, WorkflowStatus.WAITING);
		assertThat(orchestrator.status(low).orElseThrow().status()).isEqualTo(WorkflowStatus.PENDING);
	}

	@Test
	void aQueuedInstanceIsCancelledAtOnce() {
		Orchestrator orchestrator = node("node-a");
		String holder = start(orchestrator, "single", null, 0);
		awaitStatus(orchestrator, holder, WorkflowStatus.WAITING);
		String queued = start(orchestrator, "single", null, 0);
		assertThat(orchestrator.cancel(queued, "not needed").status()).isEqualTo(WorkflowStatus.CANCELLED);
		assertThat(orchestrator.status(holder).orElseThrow().status()).isEqualTo(WorkflowStatus.WAITING);
	}

	private Orchestrator node(String nodeId) {
		Orchestrator orchestrator = orchestrator((builder) -> builder.nodeId(nodeId));
		orchestrator.register(waiting("limited").maxConcurrency(2).build());
		orchestrator.register(waiting("per_customer").maxConcurrencyPerKey(1).build());
		orchestrator.register(waiting("single").maxConcurrency(1).build());
		return orchestrator;
	}

	private static WorkflowDefinition.Builder waiting(String id) {
		return WorkflowDefinition.builder(id, id)
			.step(StepDefinition.awaitSignal("wait", "go").build())
			.step(StepDefinition.builder("after", "After", (context) -> Map.of()).dependsOn("wait").build());
	}

	private static String start(Orchestrator orchestrator, String workflowId, String key, int priority) {
		return orchestrator.startAsync(workflowId, null,
				StartOptions.builder().concurrencyKey(key).priority(priority).build());
	}

	private static long count(Orchestrator orchestrator, List<String> ids, WorkflowStatus status) {
		return ids.stream().filter((id) -> orchestrator.status(id).orElseThrow().status() == status).count();
	}

	private static String first(Orchestrator orchestrator, List<String> ids, WorkflowStatus status) {
		return ids.stream()
			.filter((id) -> orchestrator.status(id).orElseThrow().status() == status)
			.findFirst()
			.orElseThrow();
	}

}
