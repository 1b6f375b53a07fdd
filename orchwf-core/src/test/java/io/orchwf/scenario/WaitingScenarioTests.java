package io.orchwf.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.InstanceNotFoundException;
import io.orchwf.Orchestrator;
import io.orchwf.RetryPolicy;
import io.orchwf.StepDefinition;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Steps that wait: signal waits, timers and child workflows, on one node and across a
 * restart.
 */
class WaitingScenarioTests extends ScenarioSupport {

	private static StepDefinition.Builder awaitSignal(String id, String signal) {
		return StepDefinition.awaitSignal(id, signal);
	}

	private static WorkflowInstance waitingFor(Orchestrator orchestrator, String instanceId, String stepId) {
		return await().atMost(WAIT)
			.until(() -> orchestrator.status(instanceId).orElseThrow(),
					(instance) -> instance.status() == WorkflowStatus.WAITING
							&& instance.step(stepId).orElseThrow().status() == StepStatus.WAITING);
	}

	@Test
	void aTimerCompletesOnceItsDurationHasPassed() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("sleepy", noop("before"),
				StepDefinition.timer("nap", Duration.ofMillis(300)).dependsOn("before"),
				noop("after").dependsOn("nap")));
		String id = orchestrator.startAsync("sleepy", null);
		waitingFor(orchestrator, id, "nap");
		WorkflowResult result = orchestrator.awaitCompletion(id, WAIT).orElseThrow();
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		Instant started = timeOf(id, WorkflowEventType.STEP_STARTED, "nap");
		Instant completed = timeOf(id, WorkflowEventType.STEP_COMPLETED, "nap");
		assertThat(Duration.between(started, completed)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(result.instance().step("after").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
	}

	private Instant timeOf(String instanceId, WorkflowEventType type, String stepId) {
		return this.events.stream()
			.filter((event) -> event.instanceId().equals(instanceId) && event.type() == type
					&& stepId.equals(event.stepId()))
			.map(WorkflowEvent::timestamp)
			.findFirst()
			.orElseThrow();
	}

	@Test
	void aSignalWaitCompletesWithThePayload() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(
				workflow("approval", noop("reserve"), awaitSignal("approval", "approve-payment").dependsOn("reserve"),
						step("pay", (context) -> Map.of("paidBy", context.get("approvedBy", String.class)))
							.dependsOn("approval")));
		String id = orchestrator.startAsync("approval", null);
		waitingFor(orchestrator, id, "approval");
		orchestrator.signal(id, "approve-payment", Map.of("approvedBy", "ann"));
		WorkflowResult result = orchestrator.awaitCompletion(id, WAIT).orElseThrow();
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.instance().step("approval").orElseThrow().output()).isEqualTo(Map.of("approvedBy", "ann"));
		assertThat(result.output()).containsEntry("paidBy", "ann");
	}

	@Test
	void signalsSentBeforeTheWaitsAreConsumedOnceEachInArrivalOrder() {
		Orchestrator orchestrator = orchestrator();
		orchestrator
			.register(workflow("items", awaitSignal("gate", "open"), awaitSignal("first", "add-item").dependsOn("gate"),
					awaitSignal("second", "add-item").dependsOn("first")));
		String id = orchestrator.startAsync("items", null);
		orchestrator.signal(id, "add-item", Map.of("sku", "a"));
		orchestrator.signal(id, "add-item", Map.of("sku", "b"));
		orchestrator.signal(id, "add-item", Map.of("sku", "c"));
		waitingFor(orchestrator, id, "gate");
		orchestrator.signal(id, "open", null);
		WorkflowResult result = orchestrator.awaitCompletion(id, WAIT).orElseThrow();
		assertThat(result.instance().step("first").orElseThrow().output()).isEqualTo(Map.of("sku", "a"));
		assertThat(result.instance().step("second").orElseThrow().output()).isEqualTo(Map.of("sku", "b"));
	}

	@Test
	void aSignalWaitThatTimesOutFailsWithoutRetry() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("impatient", awaitSignal("approval", "approve").timeout(Duration.ofMillis(200))
			.retryPolicy(RetryPolicy.builder().maxAttempts(3).initialInterval(Duration.ofMillis(10)).build())));
		WorkflowResult result = orchestrator.start("impatient", null);
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.error())
			.hasValueSatisfying((error) -> assertThat(error).contains("step approval failed after 1 attempt")
				.contains("no signal 'approve' arrived within 200 ms"));
	}

	@Test
	void anOptionalWaitThatTimesOutLetsTheWorkflowGoOn() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(
				workflow("optional", awaitSignal("bonus", "bonus").timeout(Duration.ofMillis(100)).required(false),
						noop("after").dependsOn("bonus")));
		WorkflowResult result = orchestrator.start("optional", null);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.instance().step("bonus").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
	}

	@Test
	void signalsToUnknownOrFinishedInstancesAreRefused() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("quick", noop("a")));
		String id = orchestrator.start("quick", null).instanceId();
		assertThatIllegalStateException().isThrownBy(() -> orchestrator.signal(id, "late", null))
			.withMessageContaining("has finished (COMPLETED)");
		assertThatExceptionOfType(InstanceNotFoundException.class)
			.isThrownBy(() -> orchestrator.signal("b9a0ad0c-3c1e-4b8f-9d6e-0f4b8f2b6c11", "x", null));
	}

	@Test
	void cancellingAWaitingInstanceCompensatesWhatCompleted() {
		Orchestrator orchestrator = orchestrator();
		AtomicInteger released = new AtomicInteger();
		orchestrator
			.register(workflow("cancellable", noop("reserve").compensateWith((context) -> released.incrementAndGet()),
					awaitSignal("approval", "approve").dependsOn("reserve")));
		String id = orchestrator.startAsync("cancellable", null);
		waitingFor(orchestrator, id, "approval");
		WorkflowResult result = orchestrator.cancel(id, "customer asked");
		assertThat(result.status()).isEqualTo(WorkflowStatus.CANCELLED);
		assertThat(released).hasValue(1);
		assertThat(result.instance().step("approval").orElseThrow().error())
			.hasValueSatisfying((error) -> assertThat(error).contains("stopped waiting"));
	}

	@Test
	void aChildWorkflowRunsWithTheStepInputAndGivesItsOutput() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("shipping",
				step("label", (context) -> Map.of("label", "label-" + context.get("order_id", String.class)))));
		orchestrator
			.register(workflow("order", noop("pay"), StepDefinition.childWorkflow("ship", "shipping").dependsOn("pay"),
					step("notify", (context) -> Map.of("sent", context.get("label", String.class))).dependsOn("ship")));
		WorkflowResult result = orchestrator.start("order", Map.of("order_id", "o-1"));
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.output()).containsEntry("sent", "label-o-1");
		List<WorkflowInstance> children = orchestrator
			.list(WorkflowFilter.builder().workflowId("shipping").build(), 10, 0)
			.items();
		assertThat(children).singleElement().satisfies((child) -> {
			assertThat(child.status()).isEqualTo(WorkflowStatus.COMPLETED);
			assertThat(child.metadata()).containsEntry("parent_instance_id", result.instanceId())
				.containsEntry("parent_step_id", "ship");
		});
	}

	@Test
	void aFailingChildFailsItsStep() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("broken", step("boom", (context) -> {
			throw new IllegalStateException("no stock");
		})));
		orchestrator.register(workflow("parent", StepDefinition.childWorkflow("child", "broken")));
		WorkflowResult result = orchestrator.start("parent", null);
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.error()).hasValueSatisfying((error) -> assertThat(error).contains("child workflow broken")
			.contains("ended FAILED")
			.contains("no stock"));
	}

	@Test
	void aChildOfAnUnknownWorkflowFailsItsStep() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("parent", StepDefinition.childWorkflow("child", "missing")));
		WorkflowResult result = orchestrator.start("parent", null);
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.error()).hasValueSatisfying((error) -> assertThat(error).contains("missing"));
	}

	@Test
	void cancellingAParentCancelsItsChild() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("slow_child", awaitSignal("forever", "never")));
		orchestrator.register(workflow("parent", StepDefinition.childWorkflow("child", "slow_child")));
		String id = orchestrator.startAsync("parent", null);
		waitingFor(orchestrator, id, "child");
		WorkflowInstance child = await().atMost(WAIT)
			.until(() -> orchestrator.list(WorkflowFilter.builder().workflowId("slow_child").build(), 10, 0).items(),
					(items) -> items.size() == 1 && items.get(0).status() == WorkflowStatus.WAITING)
			.get(0);
		assertThat(orchestrator.cancel(id, "order cancelled").status()).isEqualTo(WorkflowStatus.CANCELLED);
		assertThat(orchestrator.awaitCompletion(child.id(), WAIT).orElseThrow().status())
			.isEqualTo(WorkflowStatus.CANCELLED);
	}

	@Test
	void aWaitingInstanceIsWokenBySignalOnAnotherNodeAfterARestart() {
		Orchestrator first = orchestrator((builder) -> builder.nodeId("node-a"));
		var definition = workflow("durable", awaitSignal("approval", "approve"), noop("after").dependsOn("approval"));
		first.register(definition);
		String id = first.startAsync("durable", null);
		waitingFor(first, id, "approval");
		first.close();
		Orchestrator second = orchestrator((builder) -> builder.nodeId("node-b"));
		second.register(definition);
		second.signal(id, "approve", Map.of("ok", true));
		assertThat(second.awaitCompletion(id, WAIT).orElseThrow().status()).isEqualTo(WorkflowStatus.COMPLETED);
	}

	@Test
	void aTimerDueWhileNoNodeRunsFiresWhenOneIsBack() {
		Orchestrator first = orchestrator((builder) -> builder.nodeId("node-a"));
		var definition = workflow("durable_timer", StepDefinition.timer("nap", Duration.ofMillis(300)),
				noop("after").dependsOn("nap"));
		first.register(definition);
		String id = first.startAsync("durable_timer", null);
		waitingFor(first, id, "nap");
		first.close();
		Instant due = timeOf(id, WorkflowEventType.STEP_STARTED, "nap").plusMillis(300);
		await().atMost(WAIT).until(() -> Instant.now().isAfter(due));
		Orchestrator second = orchestrator((builder) -> builder.nodeId("node-b"));
		second.register(definition);
		assertThat(second.awaitCompletion(id, WAIT).orElseThrow().status()).isEqualTo(WorkflowStatus.COMPLETED);
	}

	@Test
	void aSignalToAnInstanceAnotherNodeDrivesReachesItAtTheHeartbeat() throws InterruptedException {
		Orchestrator owner = orchestrator((builder) -> builder.nodeId("node-a"));
		Orchestrator other = orchestrator((builder) -> builder.nodeId("node-b"));
		CountDownLatch release = new CountDownLatch(1);
		var definition = workflow("busy", step("long", (context) -> {
			release.await();
			return Map.of();
		}).async(true), awaitSignal("approval", "approve"));
		owner.register(definition);
		other.register(definition);
		String id = owner.startAsync("busy", null);
		await().atMost(WAIT)
			.until(() -> owner.status(id).orElseThrow().step("approval").orElseThrow().status() == StepStatus.WAITING);
		other.signal(id, "approve", Map.of("by", "bob"));
		await().atMost(WAIT)
			.until(() -> owner.status(id)
				.orElseThrow()
				.step("approval")
				.orElseThrow()
				.status() == StepStatus.COMPLETED);
		release.countDown();
		assertThat(owner.awaitCompletion(id, WAIT).orElseThrow().status()).isEqualTo(WorkflowStatus.COMPLETED);
	}

}
