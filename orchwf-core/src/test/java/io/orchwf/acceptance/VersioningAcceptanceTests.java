package io.orchwf.acceptance;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.Orchestrator;
import io.orchwf.StartOptions;
import io.orchwf.StepDefinition;
import io.orchwf.StepExecutor;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.store.memory.InMemoryStateStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract, "Semantics / Versions": several versions of one workflow id; new starts
 * use the highest; an instance continues on its own version; a node never claims an
 * instance whose version it has not registered.
 */
class VersioningAcceptanceTests extends AcceptanceSupport {

	private static WorkflowDefinition version(String version, StepExecutor first, StepExecutor second) {
		return WorkflowDefinition.builder("billing", "Billing")
			.version(version)
			.steps(StepDefinition.builder("first", "First", first).build(),
					StepDefinition.builder("second", "Second", second).dependsOn("first").build())
			.build();
	}

	private static StepExecutor says(String value) {
		return (ctx) -> Map.of("by", value);
	}

	@Test
	void newStartsUseTheHighestRegisteredVersion() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(version("2.0.0", says("v2"), says("v2")));
		orchestrator.register(version("1.0.0", says("v1"), says("v1")));
		WorkflowResult result = orchestrator.start("billing", Map.of());
		assertThat(result.instance().workflowVersion()).isEqualTo("2.0.0");
		assertThat(result.output()).containsEntry("by", "v2");

		orchestrator.register(version("3.0.0", says("v3"), says("v3")));
		WorkflowResult later = orchestrator.start("billing", Map.of());
		assertThat(later.instance().workflowVersion()).isEqualTo("3.0.0");
		assertThat(later.output()).containsEntry("by", "v3");
	}

	@Test
	void aRunningInstanceContinuesOnTheVersionItStartedWith() throws Exception {
		CountDownLatch firstRunning = new CountDownLatch(1);
		CountDownLatch upgraded = new CountDownLatch(1);
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(version("1.0.0", (ctx) -> {
			firstRunning.countDown();
			upgraded.await(3, TimeUnit.SECONDS);
			return Map.of();
		}, says("v1")));
		String id = orchestrator.startAsync("billing", Map.of());
		assertThat(firstRunning.await(3, TimeUnit.SECONDS)).isTrue();
		orchestrator.register(version("2.0.0", says("v2"), says("v2")));
		upgraded.countDown();
		WorkflowResult result = awaitResult(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.instance().workflowVersion()).isEqualTo("1.0.0");
		assertThat(result.output()).containsEntry("by", "v1");
	}

	@Test
	void aNodeNeverClaimsAnInstanceOfAVersionItHasNotRegistered() {
		InMemoryStateStore store = new InMemoryStateStore();
		AtomicInteger oldNodeRuns = new AtomicInteger();
		StepExecutor oldStep = (ctx) -> {
			oldNodeRuns.incrementAndGet();
			return Map.of("by", "old node");
		};
		// the starter knows v2: it writes an instance due shortly, then leaves before it
		// is due
		Orchestrator starter = orchestrator(store, (builder) -> builder.nodeId("starter"));
		starter.register(version("2.0.0", says("v2"), says("v2")));
		String id = starter.startAsync("billing", Map.of(),
				StartOptions.builder().startAt(Instant.now().plusMillis(150)).build());
		starter.close();
		// an old node runs and polls, but knows only v1
		Orchestrator oldNode = orchestrator(store, (builder) -> builder.nodeId("old"));
		oldNode.register(version("1.0.0", oldStep, oldStep));
		await().during(Duration.ofMillis(400))
			.atMost(Duration.ofSeconds(2))
			.until(() -> oldNodeRuns.get() == 0 && !oldNode.status(id).orElseThrow().status().isTerminal());

		Orchestrator newNode = orchestrator(store, (builder) -> builder.nodeId("new"));
		newNode.register(version("2.0.0", says("v2"), says("v2")));
		WorkflowResult result = newNode.awaitCompletion(id, Duration.ofSeconds(5))
			.orElseThrow(() -> new AssertionError("the node knowing v2 did not run the instance"));
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.instance().workflowVersion()).isEqualTo("2.0.0");
		assertThat(result.output()).containsEntry("by", "v2");
		assertThat(oldNodeRuns.get()).isZero();
	}

}
