package io.orchwf.acceptance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.orchwf.Orchestrator;
import io.orchwf.RetryPolicy;
import io.orchwf.StepDefinition;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract, "Semantics / Waiting", "Semantics / Retry", "Semantics / Versions" and
 * "Durability and many nodes", with the javadoc of {@link StepDefinition} (a waiting
 * workflow holds no lease; its wake-up is stored and any node acts on it): a restart
 * between a wait and its wake-up loses nothing. Two orchestrators share one store, as
 * nodes share a database: node A starts an instance and lets it park (on a signal, a
 * timer, a retry, a child), A is closed, node B is built on the same store with the
 * workflow registered, and B finishes the instance. Also: a timer due while no node runs
 * fires once a node is back; a forEach taken over by another node re-runs only the
 * unfinished elements; a waiting instance continues on its own version, and waits (is not
 * failed) on a node that does not know that version.
 */
class WaitingDurabilityAcceptanceTests extends WaitingAcceptanceSupport {

	/** Step runs, keyed by node and step (or element). */
	private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

	private final AtomicLong beforeDone = new AtomicLong();

	private final AtomicLong afterStarted = new AtomicLong();

	private void ran(String node, String what) {
		this.runs.computeIfAbsent(node + ":" + what, (key) -> new AtomicInteger()).incrementAndGet();
	}

	private int runsOf(String node, String what) {
		AtomicInteger count = this.runs.get(node + ":" + what);
		return (count != null) ? count.get() : 0;
	}

	private Orchestrator nodeA() {
		return node((builder) -> builder.nodeId("node-a"));
	}

	private Orchestrator nodeB() {
		return node((builder) -> builder.nodeId("node-b"));
	}

	private static void stop(Orchestrator node) {
		node.close();
	}

	/** before -> wait -> after, each task step recording the node it ran on. */
	private WorkflowDefinition waiting(String node, String workflowId, StepDefinition.Builder wait) {
		return workflow(workflowId, step("before", (ctx) -> {
			ran(node, "before");
			this.beforeDone.set(System.nanoTime());
			return Map.of("before", node);
		}), wait.dependsOn("before"), step("after", (ctx) -> {
			ran(node, "after");
			this.afterStarted.set(System.nanoTime());
			return Map.of("after", node);
		}).dependsOn(wait.build().id()));
	}

	@Test
	void aSignalSentThroughAnotherNodeWakesAnInstanceParkedByAClosedNode() {
		Orchestrator a = nodeA();
		a.register(waiting("A", "approval", StepDefinition.awaitSignal("approval", "approve-payment")));
		String id = a.startAsync("approval", Map.of("order_id", "o-1"));
		awaitWaiting(a, id, "approval");
		stop(a);

		Orchestrator b = nodeB();
		b.register(waiting("B", "approval", StepDefinition.awaitSignal("approval", "approve-payment")));
		assertThat(instance(b, id).status()).isEqualTo(WorkflowStatus.WAITING);
		b.signal(id, "approve-payment", Map.of("approvedBy", "ann"));
		WorkflowResult result = finish(b, id);

		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.output()).containsEntry("before", "A")
			.containsEntry("approvedBy", "ann")
			.containsEntry("after", "B")
			.containsEntry("order_id", "o-1");
		assertThat(runsOf("A", "before")).isEqualTo(1);
		assertThat(runsOf("B", "before")).isZero();
		assertThat(runsOf("A", "after")).isZero();
		assertThat(runsOf("B", "after")).isEqualTo(1);
	}

	@Test
	void aSignalKeptBeforeARestartIsConsumedAfterIt() {
		Orchestrator a = nodeA();
		a.register(workflow("two-signals", StepDefinition.awaitSignal("first", "first"),
				StepDefinition.awaitSignal("second", "second").dependsOn("first")));
		String id = a.startAsync("two-signals", Map.of());
		awaitWaiting(a, id, "first");
		// nobody waits for "second" yet: it is kept
		a.signal(id, "second", Map.of("n", 2));
		stop(a);

		Orchestrator b = nodeB();
		b.register(workflow("two-signals", StepDefinition.awaitSignal("first", "first"),
				StepDefinition.awaitSignal("second", "second").dependsOn("first")));
		b.signal(id, "first", Map.of("n", 1));
		WorkflowResult result = finish(b, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(stepOf(result.instance(), "first").output()).isEqualTo(Map.of("n", 1));
		assertThat(stepOf(result.instance(), "second").output()).isEqualTo(Map.of("n", 2));
	}

	@Test
	void aTimerDueWhileNoNodeRunsFiresOnceANodeIsBack() {
		Orchestrator a = nodeA();
		a.register(waiting("A", "sleeper", StepDefinition.timer("sleep", Duration.ofSeconds(1))));
		String id = a.startAsync("sleeper", Map.of());
		awaitWaiting(a, id, "sleep");
		stop(a);
		// let the timer fall due while no node runs (this sets the scene; it waits for no
		// outcome)
		long dueAt = this.beforeDone.get() + Duration.ofSeconds(1).toNanos();
		sleep(Math.max(0, (dueAt - System.nanoTime()) / 1_000_000) + 300);

		Orchestrator b = nodeB();
		b.register(waiting("B", "sleeper", StepDefinition.timer("sleep", Duration.ofSeconds(1))));
		WorkflowResult result = finish(b, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(stepOf(result.instance(), "sleep").status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(result.output()).containsEntry("before", "A").containsEntry("after", "B");
		assertThat(runsOf("A", "after")).isZero();
		assertThat(runsOf("B", "after")).isEqualTo(1);
		assertThat(runsOf("B", "before")).isZero();
	}

	@Test
	void aTimerNotYetDueWhenANodeTakesOverFiresNoEarlierThanItsDueTime() {
		Orchestrator a = nodeA();
		a.register(waiting("A", "napper", StepDefinition.timer("sleep", Duration.ofMillis(1500))));
		String id = a.startAsync("napper", Map.of());
		awaitWaiting(a, id, "sleep");
		stop(a);

		Orchestrator b = nodeB();
		b.register(waiting("B", "napper", StepDefinition.timer("sleep", Duration.ofMillis(1500))));
		WorkflowResult result = finish(b, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.output()).containsEntry("after", "B");
		assertThat(Duration.ofNanos(this.afterStarted.get() - this.beforeDone.get()))
			.isGreaterThanOrEqualTo(Duration.ofMillis(1490));
	}

	@Test
	void aRetryWaitSurvivesARestart() {
		RetryPolicy slowRetry = RetryPolicy.builder()
			.maxAttempts(2)
			.initialInterval(Duration.ofSeconds(1))
			.maxInterval(Duration.ofSeconds(1))
			.build();
		Orchestrator a = nodeA();
		a.register(workflow("flaky", step("charge", (ctx) -> {
			ran("A", "charge");
			throw new IllegalStateException("gateway down");
		}).retryPolicy(slowRetry)));
		String id = a.startAsync("flaky", Map.of());
		awaitWaiting(a, id, "charge");
		stop(a);

		Orchestrator b = nodeB();
		b.register(workflow("flaky", step("charge", (ctx) -> {
			ran("B", "charge");
			return Map.of("charged", ctx.attempt());
		}).retryPolicy(slowRetry)));
		WorkflowResult result = finish(b, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.output()).containsEntry("charged", 2);
		assertThat(stepOf(result.instance(), "charge").attempts()).isEqualTo(2);
		assertThat(runsOf("A", "charge")).isEqualTo(1);
		assertThat(runsOf("B", "charge")).isEqualTo(1);
	}

	@Test
	void aForEachTakenOverByAnotherNodeReRunsOnlyTheUnfinishedElements() throws Exception {
		CountDownLatch thirdElementRunning = new CountDownLatch(1);
		Orchestrator a = node((builder) -> builder.nodeId("node-a").shutdownTimeout(Duration.ofMillis(300)));
		a.register(workflow("mapper", StepDefinition.forEach("each", "Each", "items", (ctx) -> {
			int index = ctx.get("index", Integer.class);
			ran("A", "element-" + index);
			if (index == 2) {
				thirdElementRunning.countDown();
				Thread.sleep(30_000);
			}
			return Map.of("i", index, "by", "A");
		}).maxConcurrency(1)));
		String id = a.startAsync("mapper", Map.of("items", List.of("a", "b", "c", "d", "e")));
		assertThat(thirdElementRunning.await(5, TimeUnit.SECONDS)).isTrue();
		stop(a);

		Orchestrator b = nodeB();
		b.register(workflow("mapper", StepDefinition.forEach("each", "Each", "items", (ctx) -> {
			int index = ctx.get("index", Integer.class);
			ran("B", "element-" + index);
			return Map.of("i", index, "by", "B");
		}).maxConcurrency(1)));
		WorkflowResult result = finish(b, id);

		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(stepOf(result.instance(), "each").output())
			.isEqualTo(Map.of("results", List.of(Map.of("i", 0, "by", "A"), Map.of("i", 1, "by", "A"),
					Map.of("i", 2, "by", "B"), Map.of("i", 3, "by", "B"), Map.of("i", 4, "by", "B"))));
		assertThat(runsOf("A", "element-0")).isEqualTo(1);
		assertThat(runsOf("A", "element-1")).isEqualTo(1);
		assertThat(runsOf("B", "element-0")).as("a finished element ran again").isZero();
		assertThat(runsOf("B", "element-1")).as("a finished element ran again").isZero();
		assertThat(runsOf("B", "element-2")).isEqualTo(1);
		assertThat(runsOf("B", "element-3")).isEqualTo(1);
		assertThat(runsOf("B", "element-4")).isEqualTo(1);
	}

	private WorkflowDefinition shipping(String node) {
		return workflow("shipping", StepDefinition.awaitSignal("picked", "picked-up"), step("label", (ctx) -> {
			ran(node, "label");
			return Map.of("labelled", node);
		}).dependsOn("picked"));
	}

	private WorkflowDefinition order(String node) {
		return workflow("order", StepDefinition.childWorkflow("ship", "shipping"), step("notify", (ctx) -> {
			ran(node, "notify");
			return Map.of("notified", node);
		}).dependsOn("ship"));
	}

	@Test
	void aParentAndItsWaitingChildSurviveARestart() {
		Orchestrator a = nodeA();
		a.register(shipping("A"));
		a.register(order("A"));
		String parentId = a.startAsync("order", Map.of("order_id", "o-9"));
		WorkflowInstance child = awaitOnlyInstanceOf(a, "shipping");
		awaitWaiting(a, child.id(), "picked");
		awaitWaiting(a, parentId, "ship");
		stop(a);

		Orchestrator b = nodeB();
		b.register(shipping("B"));
		b.register(order("B"));
		b.signal(child.id(), "picked-up", Map.of("carrier", "dhl"));
		assertThat(finish(b, child.id()).status()).isEqualTo(WorkflowStatus.COMPLETED);
		WorkflowResult result = finish(b, parentId);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.output()).containsEntry("carrier", "dhl")
			.containsEntry("labelled", "B")
			.containsEntry("notified", "B")
			.containsEntry("order_id", "o-9");
		assertThat(runsOf("B", "notify")).isEqualTo(1);
		assertThat(instancesOf(b, "shipping")).hasSize(1);
	}

	private static WorkflowDefinition approvalVersion(String version, String by, boolean waits) {
		WorkflowDefinition.Builder builder = WorkflowDefinition.builder("versioned", "Versioned").version(version);
		if (waits) {
			builder.steps(StepDefinition.awaitSignal("approval", "approve-payment").build(),
					step("finish", (ctx) -> Map.of("by", by)).dependsOn("approval").build());
		}
		else {
			builder.steps(step("finish", (ctx) -> Map.of("by", by)).build());
		}
		return builder.build();
	}

	@Test
	void aWaitingInstanceContinuesOnItsVersionOnANodeThatAlsoKnowsANewerOne() {
		Orchestrator a = nodeA();
		a.register(approvalVersion("1.0.0", "v1 on A", true));
		String id = a.startAsync("versioned", Map.of());
		awaitWaiting(a, id, "approval");
		stop(a);

		Orchestrator b = nodeB();
		b.register(approvalVersion("1.0.0", "v1 on B", true));
		b.register(approvalVersion("2.0.0", "v2 on B", false));
		WorkflowResult fresh = b.start("versioned", Map.of());
		assertThat(fresh.instance().workflowVersion()).isEqualTo("2.0.0");
		assertThat(fresh.output()).containsEntry("by", "v2 on B");

		b.signal(id, "approve-payment", Map.of("approvedBy", "ann"));
		WorkflowResult result = finish(b, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.instance().workflowVersion()).isEqualTo("1.0.0");
		assertThat(result.output()).containsEntry("by", "v1 on B").containsEntry("approvedBy", "ann");
	}

	@Test
	void aWaitingInstanceWaitsOnANodeThatDoesNotKnowItsVersionUntilOneDoes() {
		Orchestrator a = nodeA();
		a.register(approvalVersion("1.0.0", "v1 on A", true));
		String id = a.startAsync("versioned", Map.of());
		awaitWaiting(a, id, "approval");
		stop(a);

		List<String> seenStatuses = new CopyOnWriteArrayList<>();
		Orchestrator b = nodeB();
		b.register(approvalVersion("2.0.0", "v2 on B", false));
		b.signal(id, "approve-payment", Map.of("approvedBy", "ann"));
		// B cannot run version 1.0.0: the instance is neither failed nor finished
		await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3)).until(() -> {
			WorkflowStatus status = instance(b, id).status();
			seenStatuses.add(status.name());
			return !status.isTerminal();
		});

		b.register(approvalVersion("1.0.0", "v1 on B", true));
		WorkflowResult result = finish(b, id);
		assertThat(result.status()).as("statuses seen meanwhile: %s", seenStatuses).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.instance().workflowVersion()).isEqualTo("1.0.0");
		assertThat(result.output()).containsEntry("by", "v1 on B").containsEntry("approvedBy", "ann");
	}

}
