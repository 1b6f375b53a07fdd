package io.orchwf.acceptance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.orchwf.Orchestrator;
import io.orchwf.StepDefinition;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract, "Defining workflows" ({@code StepDefinition.childWorkflow}), "Semantics /
 * Waiting" and "Semantics / Cancel", with the javadoc of
 * {@link StepDefinition#childWorkflow}: the step starts an instance of another registered
 * workflow (its latest version) with the step's input and completes with the child's
 * output; a failing or cancelled child fails the step (and the parent, if the step is
 * required); cancelling the parent cancels its children; a timeout bounds the wait and
 * cancels the child; the child's metadata holds {@code parent_instance_id} and
 * {@code parent_step_id}, and the child is listable; a parent waiting for its child is
 * WAITING.
 */
class ChildWorkflowAcceptanceTests extends WaitingAcceptanceSupport {

	private final AtomicInteger notifyRuns = new AtomicInteger();

	private final AtomicReference<Map<String, Object>> notifyInput = new AtomicReference<>();

	private final List<String> compensated = new CopyOnWriteArrayList<>();

	/** pay -> ship (child "shipping") -> notify. */
	private WorkflowDefinition parent(StepDefinition.Builder ship) {
		return workflow("order",
				step("pay", (ctx) -> Map.of("paid", true)).compensateWith((ctx) -> this.compensated.add("pay")),
				ship.dependsOn("pay"), step("notify", (ctx) -> {
					this.notifyRuns.incrementAndGet();
					this.notifyInput.set(ctx.input());
					return Map.of("notified", true);
				}).dependsOn("ship"));
	}

	private static WorkflowDefinition shipping(StepDefinition.Builder... steps) {
		return workflow("shipping", steps);
	}

	@Test
	void theChildRunsWithTheStepsInputAndTheStepCompletesWithItsOutput() {
		AtomicReference<Map<String, Object>> childInput = new AtomicReference<>();
		Orchestrator orchestrator = node();
		orchestrator.register(shipping(step("label", (ctx) -> {
			childInput.set(ctx.input());
			return Map.of("tracking", "T-" + ctx.input().get("order_id"));
		}), step("pickup", (ctx) -> Map.of("carrier", "ups")).dependsOn("label")));
		orchestrator.register(parent(StepDefinition.childWorkflow("ship", "shipping")));

		WorkflowResult result = orchestrator.start("order", Map.of("order_id", "o-1"));
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(stepOf(result.instance(), "ship").status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(stepOf(result.instance(), "ship").output()).containsEntry("tracking", "T-o-1")
			.containsEntry("carrier", "ups");
		assertThat(this.notifyInput.get()).containsEntry("tracking", "T-o-1").containsEntry("carrier", "ups");
		assertThat(result.output()).containsEntry("tracking", "T-o-1").containsEntry("notified", true);
		// the step's input: the workflow input plus its ancestors' outputs
		assertThat(childInput.get()).containsEntry("order_id", "o-1").containsEntry("paid", true);

		WorkflowInstance child = awaitOnlyInstanceOf(orchestrator, "shipping");
		assertThat(child.id()).isNotEqualTo(result.instanceId());
		assertThat(child.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(child.input()).containsEntry("order_id", "o-1").containsEntry("paid", true);
		assertThat(child.output()).isEqualTo(stepOf(result.instance(), "ship").output());
		assertThat(child.metadata()).containsEntry("parent_instance_id", result.instanceId())
			.containsEntry("parent_step_id", "ship");
	}

	@Test
	void theChildStartsOnItsLatestVersion() {
		Orchestrator orchestrator = node();
		for (String version : List.of("1.0.0", "3.0.0", "2.0.0")) {
			orchestrator.register(WorkflowDefinition.builder("shipping", "Shipping")
				.version(version)
				.step(step("label", (ctx) -> Map.of("by", version)).build())
				.build());
		}
		orchestrator.register(parent(StepDefinition.childWorkflow("ship", "shipping")));
		WorkflowResult result = orchestrator.start("order", Map.of());
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.output()).containsEntry("by", "3.0.0");
		assertThat(awaitOnlyInstanceOf(orchestrator, "shipping").workflowVersion()).isEqualTo("3.0.0");
	}

	@Test
	void aParentWaitingForItsChildIsWaitingUntilTheChildCompletes() {
		Orchestrator orchestrator = node();
		orchestrator.register(shipping(StepDefinition.awaitSignal("picked", "picked-up"),
				step("label", (ctx) -> Map.of("labelled", true)).dependsOn("picked")));
		orchestrator.register(parent(StepDefinition.childWorkflow("ship", "shipping")));
		String parentId = orchestrator.startAsync("order", Map.of("order_id", "o-2"));

		WorkflowInstance child = awaitOnlyInstanceOf(orchestrator, "shipping");
		awaitWaiting(orchestrator, child.id(), "picked");
		WorkflowInstance waitingParent = awaitWaiting(orchestrator, parentId, "ship");
		assertThat(stepOf(waitingParent, "pay").status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(this.notifyRuns.get()).isZero();

		orchestrator.signal(child.id(), "picked-up", Map.of("carrier", "dhl"));
		WorkflowResult childResult = finish(orchestrator, child.id());
		assertThat(childResult.status()).isEqualTo(WorkflowStatus.COMPLETED);
		WorkflowResult result = finish(orchestrator, parentId);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(stepOf(result.instance(), "ship").output()).containsEntry("carrier", "dhl")
			.containsEntry("labelled", true);
		assertThat(this.notifyInput.get()).containsEntry("carrier", "dhl").containsEntry("labelled", true);
	}

	@Test
	void aFailingChildFailsTheStepAndARequiredStepFailsTheParent() {
		Orchestrator orchestrator = node();
		orchestrator.register(shipping(step("label", (ctx) -> {
			throw new IllegalStateException("no carrier available");
		})));
		orchestrator.register(parent(StepDefinition.childWorkflow("ship", "shipping")));
		WorkflowResult result = orchestrator.start("order", Map.of());

		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.error()).hasValueSatisfying((error) -> assertThat(error).startsWith("step ship failed"));
		assertThat(stepOf(result.instance(), "ship").status()).isEqualTo(StepStatus.FAILED);
		assertThat(this.notifyRuns.get()).isZero();
		assertThat(this.compensated).containsExactly("pay");
		assertThat(stepOf(result.instance(), "pay").status()).isEqualTo(StepStatus.COMPENSATED);
		WorkflowInstance child = awaitOnlyInstanceOf(orchestrator, "shipping");
		assertThat(child.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(child.metadata()).containsEntry("parent_instance_id", result.instanceId());
	}

	@Test
	void aFailingChildOfAnOptionalStepLetsTheParentGoOn() {
		Orchestrator orchestrator = node();
		orchestrator.register(shipping(step("label", (ctx) -> {
			throw new IllegalStateException("no carrier available");
		})));
		orchestrator.register(parent(StepDefinition.childWorkflow("ship", "shipping").required(false)));
		WorkflowResult result = orchestrator.start("order", Map.of());

		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(stepOf(result.instance(), "ship").status()).isEqualTo(StepStatus.FAILED);
		assertThat(this.notifyRuns.get()).isEqualTo(1);
		assertThat(this.compensated).isEmpty();
		assertThat(awaitOnlyInstanceOf(orchestrator, "shipping").status()).isEqualTo(WorkflowStatus.FAILED);
	}

	@Test
	void cancellingTheParentCancelsAWaitingChild() {
		List<String> childCompensated = new CopyOnWriteArrayList<>();
		Orchestrator orchestrator = node();
		orchestrator.register(shipping(
				step("book", (ctx) -> Map.of("booked", true)).compensateWith((ctx) -> childCompensated.add("book")),
				StepDefinition.awaitSignal("picked", "picked-up").dependsOn("book")));
		orchestrator.register(parent(StepDefinition.childWorkflow("ship", "shipping")));
		String parentId = orchestrator.startAsync("order", Map.of());
		WorkflowInstance child = awaitOnlyInstanceOf(orchestrator, "shipping");
		awaitWaiting(orchestrator, child.id(), "picked");
		awaitStepWaiting(orchestrator, parentId, "ship");

		WorkflowResult cancelled = orchestrator.cancel(parentId, "customer asked");
		if (!cancelled.status().isTerminal()) {
			cancelled = finish(orchestrator, parentId);
		}
		assertThat(cancelled.status()).isEqualTo(WorkflowStatus.CANCELLED);
		assertThat(this.compensated).containsExactly("pay");
		assertThat(this.notifyRuns.get()).isZero();

		WorkflowResult childResult = finish(orchestrator, child.id());
		assertThat(childResult.status()).isEqualTo(WorkflowStatus.CANCELLED);
		assertThat(childCompensated).containsExactly("book");
		assertThat(stepOf(childResult.instance(), "picked").status()).isNotIn(StepStatus.COMPLETED, StepStatus.WAITING);
	}

	@Test
	void cancellingTheParentCancelsAChildWhoseStepIsRunning() throws Exception {
		CountDownLatch childRunning = new CountDownLatch(1);
		AtomicBoolean interrupted = new AtomicBoolean();
		Orchestrator orchestrator = node();
		orchestrator.register(shipping(step("label", (ctx) -> {
			childRunning.countDown();
			try {
				Thread.sleep(10_000);
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
				throw ex;
			}
			return Map.of();
		})));
		orchestrator.register(parent(StepDefinition.childWorkflow("ship", "shipping")));
		String parentId = orchestrator.startAsync("order", Map.of());
		assertThat(childRunning.await(5, TimeUnit.SECONDS)).isTrue();
		WorkflowInstance child = awaitOnlyInstanceOf(orchestrator, "shipping");

		orchestrator.cancel(parentId, "customer asked");
		assertThat(finish(orchestrator, parentId).status()).isEqualTo(WorkflowStatus.CANCELLED);
		assertThat(finish(orchestrator, child.id()).status()).isEqualTo(WorkflowStatus.CANCELLED);
		await().atMost(LONG_WAIT).untilTrue(interrupted);
	}

	@Test
	void cancellingTheChildFailsTheParentsStep() {
		Orchestrator orchestrator = node();
		orchestrator.register(shipping(StepDefinition.awaitSignal("picked", "picked-up")));
		orchestrator.register(parent(StepDefinition.childWorkflow("ship", "shipping")));
		String parentId = orchestrator.startAsync("order", Map.of());
		WorkflowInstance child = awaitOnlyInstanceOf(orchestrator, "shipping");
		awaitWaiting(orchestrator, child.id(), "picked");

		orchestrator.cancel(child.id(), "carrier gone");
		assertThat(finish(orchestrator, child.id()).status()).isEqualTo(WorkflowStatus.CANCELLED);
		WorkflowResult result = finish(orchestrator, parentId);
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(stepOf(result.instance(), "ship").status()).isEqualTo(StepStatus.FAILED);
		assertThat(this.notifyRuns.get()).isZero();
		assertThat(this.compensated).containsExactly("pay");
	}

	@Test
	void aTimeoutBoundsTheWaitForTheChildWhichIsThenCancelled() {
		Orchestrator orchestrator = node();
		orchestrator.register(shipping(StepDefinition.awaitSignal("picked", "picked-up")));
		orchestrator.register(parent(StepDefinition.childWorkflow("ship", "shipping").timeout(Duration.ofMillis(400))));
		String parentId = orchestrator.startAsync("order", Map.of());

		WorkflowResult result = finish(orchestrator, parentId);
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(stepOf(result.instance(), "ship").status()).isEqualTo(StepStatus.FAILED);
		await().atMost(LONG_WAIT)
			.untilAsserted(() -> assertThat(eventsOf(parentId, WorkflowEventType.STEP_FAILED))
				.filteredOn((e) -> "ship".equals(e.stepId()))
				.extracting(WorkflowEvent::data)
				.anySatisfy((data) -> assertThat(data).containsEntry("errorType", "timeout")));
		WorkflowInstance child = awaitOnlyInstanceOf(orchestrator, "shipping");
		assertThat(finish(orchestrator, child.id()).status()).isEqualTo(WorkflowStatus.CANCELLED);
	}

}
