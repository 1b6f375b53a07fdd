package io.orchwf.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.Orchestrator;
import io.orchwf.StartOptions;
import io.orchwf.StepExecutor;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.store.StateStore;
import io.orchwf.store.jdbc.JdbcStateStore;
import io.orchwf.testing.SharedPostgres;
import io.orchwf.testing.SwitchableDataSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several nodes on one PostgreSQL database, and the database going away under them: every
 * step runs exactly once and every instance completes.
 */
class PostgresMultiNodeTests extends ScenarioSupport {

	private static final int INSTANCES = 300;

	private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();

	private final Set<String> nodesThatRan = ConcurrentHashMap.newKeySet();

	@Override
	protected StateStore newStore() {
		return SharedPostgres.emptyStore();
	}

	private StepExecutor counted(String nodeId) {
		return (context) -> {
			this.executions.computeIfAbsent(context.instanceId() + "/" + context.stepId(), (key) -> new AtomicInteger())
				.incrementAndGet();
			this.nodesThatRan.add(nodeId);
			return Map.of(context.stepId(), true);
		};
	}

	private WorkflowDefinition definition(String nodeId) {
		StepExecutor step = counted(nodeId);
		return workflow("fan", step("a", step), step("b", step).dependsOn("a").async(true),
				step("c", step).dependsOn("a").async(true), step("d", step).dependsOn("b", "c"));
	}

	private Orchestrator node(String nodeId, StateStore store) {
		Orchestrator node = orchestrator((builder) -> Orchestrator.builder(store)
			.nodeId(nodeId)
			.workers(8)
			.pollInterval(Duration.ofMillis(50))
			.heartbeatInterval(Duration.ofMillis(500))
			.leaseDuration(Duration.ofSeconds(3)));
		node.register(definition(nodeId));
		return node;
	}

	@Test
	void twoNodesOnOneDatabaseRunEveryStepExactlyOnce() {
		Orchestrator first = node("node-1", this.store);
		Orchestrator second = node("node-2", this.store);
		List<String> ids = new ArrayList<>();
		// deferred starts are claimed by whichever node polls first; direct ones stay
		// local
		Instant soon = Instant.now().plusMillis(300);
		for (int i = 0; i < INSTANCES; i++) {
			Orchestrator starter = (i % 2 == 0) ? first : second;
			StartOptions options = (i % 3 == 0) ? StartOptions.builder().startAt(soon).build() : StartOptions.none();
			ids.add(starter.startAsync("fan", Map.of("i", i), options));
		}
		for (String id : ids) {
			WorkflowResult result = first.awaitCompletion(id, WAIT).orElseThrow();
			assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
			assertThat(result.output()).containsKeys("a", "b", "c", "d");
		}
		assertThat(this.executions).hasSize(INSTANCES * 4)
			.allSatisfy((key, count) -> assertThat(count.get()).as(key).isEqualTo(1));
		assertThat(this.nodesThatRan).containsExactlyInAnyOrder("node-1", "node-2");
	}

	@Test
	void aDatabaseOutageMidRunNeitherLosesNorRepeatsWork() throws InterruptedException {
		SwitchableDataSource database = new SwitchableDataSource(SharedPostgres.database().dataSource());
		StateStore flaky = JdbcStateStore.builder(database).build();
		CountDownLatch running = new CountDownLatch(8);
		CountDownLatch outage = new CountDownLatch(1);
		Orchestrator node = orchestrator((builder) -> Orchestrator.builder(flaky)
			.nodeId("node-1")
			.workers(8)
			.pollInterval(Duration.ofMillis(50))
			.heartbeatInterval(Duration.ofMillis(500))
			.leaseDuration(Duration.ofSeconds(5)));
		StepExecutor step = counted("node-1");
		node.register(workflow("outage", step("a", step), step("b", (context) -> {
			running.countDown();
			outage.await(10, TimeUnit.SECONDS);
			return step.execute(context);
		}).dependsOn("a").async(true), step("c", step).dependsOn("b")));
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			ids.add(node.startAsync("outage", Map.of("i", i)));
		}
		assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
		database.down();
		outage.countDown();
		Thread.sleep(1500); // steps finish while their writes cannot reach the database
		database.up();
		for (String id : ids) {
			assertThat(node.awaitCompletion(id, WAIT).orElseThrow().status()).isEqualTo(WorkflowStatus.COMPLETED);
		}
		assertThat(this.executions).hasSize(40 * 3)
			.allSatisfy((key, count) -> assertThat(count.get()).as(key).isEqualTo(1));
	}

}
