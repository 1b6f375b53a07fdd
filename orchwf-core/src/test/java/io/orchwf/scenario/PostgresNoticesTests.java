package io.orchwf.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.orchwf.Orchestrator;
import io.orchwf.StepDefinition;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.store.StateStore;
import io.orchwf.store.WorkNotice;
import io.orchwf.store.jdbc.JdbcStateStore;
import io.orchwf.testing.SharedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes, each with its own store, on one PostgreSQL database, polling and renewing
 * leases only every few tens of seconds: what one node does for an instance the other
 * should act on reaches the other through the store's notices, within a second or two,
 * never at its next poll or heartbeat.
 */
class PostgresNoticesTests extends ScenarioSupport {

	/** Far beyond what any assertion here waits: only a notice can be in time. */
	private static final Duration POLL = Duration.ofSeconds(40);

	private static final Duration HEARTBEAT = Duration.ofSeconds(30);

	/** How long a notice may take here, on a busy machine; a second in practice. */
	private static final Duration IN_TIME = Duration.ofSeconds(3);

	private final CountDownLatch release = new CountDownLatch(1);

	private final Map<String, String> recordedBy = new ConcurrentHashMap<>();

	@Override
	protected StateStore newStore() {
		return SharedPostgres.emptyStore();
	}

	@AfterEach
	void releaseBlockedSteps() {
		this.release.countDown();
	}

	private Orchestrator node(String nodeId, int maxActive) {
		StateStore own = JdbcStateStore.builder(SharedPostgres.database().dataSource()).build();
		Orchestrator node = orchestrator((builder) -> Orchestrator.builder(own)
			.nodeId(nodeId)
			.workers(4)
			.maxActiveInstances(maxActive)
			.pollInterval(POLL)
			.heartbeatInterval(HEARTBEAT)
			.leaseDuration(Duration.ofSeconds(90))
			.shutdownTimeout(Duration.ofSeconds(2))
			.listener(this.events::add));
		// a step that holds its instance (and its lease) on the node until released
		StepDefinition slow = StepDefinition.builder("slow", "Slow", (context) -> {
			this.release.await(30, TimeUnit.SECONDS);
			return Map.of();
		}).async(true).build();
		StepDefinition approval = StepDefinition.awaitSignal("approval", "approve").build();
		StepDefinition approved = record(nodeId).dependsOn("approval").build();
		node.register(WorkflowDefinition.builder("held", "Held").step(slow).step(approval).step(approved).build());
		node.register(WorkflowDefinition.builder("approval", "Approval").step(approval).step(approved).build());
		node.register(WorkflowDefinition.builder("quick", "Quick").step(record(nodeId).build()).build());
		// a parent held by its node (its slow step runs) while its child runs elsewhere
		node.register(WorkflowDefinition.builder("parent", "Parent")
			.step(slow)
			.step(StepDefinition.childWorkflow("child", "quick").build())
			.step(record(nodeId).dependsOn("child").build())
			.build());
		return node;
	}

	/** The step that says which node ran it. */
	private StepDefinition.Builder record(String nodeId) {
		return StepDefinition.builder("record", "Record", (context) -> {
			this.recordedBy.put(context.instanceId(), nodeId);
			return Map.of("by", nodeId);
		});
	}

	private void awaitStep(Orchestrator node, String instanceId, String stepId, StepStatus status) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> node.status(instanceId)
				.flatMap((instance) -> instance.steps()
					.stream()
					.filter((step) -> step.stepId().equals(stepId))
					.findFirst())
				.map((step) -> step.status() == status)
				.orElse(false));
	}

	@Test
	void aSignalThroughOneNodeReachesAnInstanceTheOtherDrives() {
		Orchestrator first = node("node-a", 16);
		Orchestrator second = node("node-b", 16);
		String id = first.startAsync("held", Map.of());
		awaitStep(first, id, "approval", StepStatus.WAITING);
		awaitStep(first, id, "slow", StepStatus.RUNNING);

		second.signal(id, "approve", Map.of("by", "test"));

		// the instance is still held by the first node: its slow step runs
		await().atMost(IN_TIME).until(() -> this.recordedBy.containsKey(id));
		assertThat(this.recordedBy).containsEntry(id, "node-a");
		this.release.countDown();
		assertThat(first.awaitCompletion(id, WAIT).map(WorkflowResult::status)).contains(WorkflowStatus.COMPLETED);
	}

	@Test
	void aCancellationThroughOneNodeReachesAnInstanceTheOtherDrives() {
		Orchestrator first = node("node-a", 16);
		Orchestrator second = node("node-b", 16);
		String id = first.startAsync("held", Map.of());
		awaitStep(first, id, "slow", StepStatus.RUNNING);

		long started = System.nanoTime();
		WorkflowResult cancelled = second.cancel(id, "no longer needed");

		assertThat(cancelled.status()).isEqualTo(WorkflowStatus.CANCELLED);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(IN_TIME);
	}

	@Test
	void aFullNodesStartIsTakenByAnIdleNode() {
		Orchestrator full = node("node-a", 1);
		Orchestrator idle = node("node-b", 16);
		String holding = full.startAsync("held", Map.of());
		awaitStep(full, holding, "slow", StepStatus.RUNNING);

		List<String> quick = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			quick.add(full.startAsync("quick", Map.of("i", i)));
		}

		for (String id : quick) {
			Optional<WorkflowResult> result = idle.awaitCompletion(id, IN_TIME);
			assertThat(result.map(WorkflowResult::status)).as(id).contains(WorkflowStatus.COMPLETED);
			assertThat(this.recordedBy).containsEntry(id, "node-b");
		}
	}

	@Test
	void aFullNodeRunsWhatItLeftOnceItHasRoom() {
		// alone: what it could not take waits for it, not for the next poll
		Orchestrator full = node("node-a", 1);
		String holding = full.startAsync("held", Map.of());
		awaitStep(full, holding, "slow", StepStatus.RUNNING);
		String left = full.startAsync("quick", Map.of());
		assertThat(full.status(left).map((instance) -> instance.status())).contains(WorkflowStatus.PENDING);

		full.cancel(holding, "make room");

		assertThat(full.awaitCompletion(left, IN_TIME).map(WorkflowResult::status)).contains(WorkflowStatus.COMPLETED);
		assertThat(this.recordedBy).containsEntry(left, "node-a");
	}

	@Test
	void parkedInstancesSignalledThroughEitherNodeComplete() {
		Orchestrator first = node("node-a", 64);
		Orchestrator second = node("node-b", 64);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			ids.add(((i % 2 == 0) ? first : second).startAsync("approval", Map.of("i", i)));
		}
		for (String id : ids) {
			await().atMost(Duration.ofSeconds(10))
				.until(() -> first.status(id)
					.map((instance) -> instance.status() == WorkflowStatus.WAITING)
					.orElse(false));
		}

		for (int i = 0; i < ids.size(); i++) {
			((i % 3 == 0) ? first : second).signal(ids.get(i), "approve", Map.of());
		}

		for (String id : ids) {
			assertThat(second.awaitCompletion(id, IN_TIME).map(WorkflowResult::status)).as(id)
				.contains(WorkflowStatus.COMPLETED);
		}
	}

	@Test
	void noticesGoOnAfterTheListeningConnectionIsLost() {
		Orchestrator full = node("node-a", 1);
		Orchestrator idle = node("node-b", 16);
		String holding = full.startAsync("held", Map.of());
		awaitStep(full, holding, "slow", StepStatus.RUNNING);

		// what the idle node misses while it connects again, it claims once it has
		SharedPostgres.database()
			.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN %'");
		String missed = full.startAsync("quick", Map.of());
		assertThat(idle.awaitCompletion(missed, IN_TIME).map(WorkflowResult::status))
			.contains(WorkflowStatus.COMPLETED);

		String heard = full.startAsync("quick", Map.of());
		assertThat(idle.awaitCompletion(heard, IN_TIME).map(WorkflowResult::status)).contains(WorkflowStatus.COMPLETED);
		assertThat(this.recordedBy).containsEntry(missed, "node-b").containsEntry(heard, "node-b");
	}

	@Test
	void aStoreWithoutNoticesNeitherListensNorTells() {
		StateStore quiet = JdbcStateStore.builder(SharedPostgres.database().dataSource()).notices(false).build();
		StateStore talking = JdbcStateStore.builder(SharedPostgres.database().dataSource()).build();

		try (WorkNotice.Subscription none = quiet.listen((notice) -> {
		}); WorkNotice.Subscription some = talking.listen((notice) -> {
		})) {
			assertThat(none).isSameAs(WorkNotice.Subscription.NONE);
			assertThat(some).isNotSameAs(WorkNotice.Subscription.NONE);
		}
	}

	@Test
	void aChildsEndOnOneNodeReachesItsParentOnTheOther() {
		// the parent takes the full node's one place: its child is left for the idle node
		Orchestrator full = node("node-a", 1);
		Orchestrator idle = node("node-b", 16);
		String parent = full.startAsync("parent", Map.of());
		awaitStep(full, parent, "slow", StepStatus.RUNNING);

		// the child ran on the idle node; its end reached the parent, still held by the
		// full node (its slow step runs), which went on with the step after the child
		await().atMost(IN_TIME).until(() -> this.recordedBy.containsKey(parent));
		assertThat(this.recordedBy).containsEntry(parent, "node-a").containsValue("node-b");
		assertThat(idle.status(parent).map((instance) -> instance.status())).contains(WorkflowStatus.RUNNING);
	}

}
