package io.orchwf.acceptance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.orchwf.InstanceNotFoundException;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The contract, "Defining workflows" ({@code StepDefinition.awaitSignal}), "Running"
 * ({@code signal}), {@code StepContext.signals} and "Semantics / Waiting", "Semantics /
 * Cancel", "Semantics / Versions", with the javadoc of
 * {@link StepDefinition#awaitSignal}: the step completes when its signal arrives, with
 * the payload as output; signals sent before the step waits are kept; each signal is
 * consumed once, in arrival order; a timeout fails the step with type {@code timeout},
 * without retry; a signal to an unknown instance is {@link InstanceNotFoundException}, to
 * a finished one an {@link IllegalStateException}; a waiting instance is WAITING, its
 * step WAITING, and it holds no thread; it can be cancelled while it waits; it continues
 * on its version when a newer one is registered.
 */
class AwaitSignalAcceptanceTests extends WaitingAcceptanceSupport {

	private final AtomicInteger afterRuns = new AtomicInteger();

	private final AtomicReference<Map<String, Object>> afterInput = new AtomicReference<>();

	private static StepDefinition.Builder awaitSignal(String id, String signalName) {
		return StepDefinition.awaitSignal(id, signalName);
	}

	private StepDefinition.Builder after(String... dependsOn) {
		return step("after", (ctx) -> {
			this.afterRuns.incrementAndGet();
			this.afterInput.set(ctx.input());
			return Map.of("after", true);
		}).dependsOn(dependsOn);
	}

	/** before -> approval (awaits "approve-payment") -> after. */
	private WorkflowDefinition approvalFlow(String workflowId, StepDefinition.Builder approval) {
		return workflow(workflowId, step("before", (ctx) -> Map.of("before", true)), approval.dependsOn("before"),
				after("approval"));
	}

	@Test
	void theStepCompletesWhenItsSignalArrivesWithThePayloadAsOutput() {
		Orchestrator orchestrator = node();
		orchestrator.register(approvalFlow("approval", awaitSignal("approval", "approve-payment")));
		String id = orchestrator.startAsync("approval", Map.of("order_id", "o-1"));

		WorkflowInstance waiting = awaitWaiting(orchestrator, id, "approval");
		assertThat(stepOf(waiting, "before").status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(stepOf(waiting, "after").status()).isEqualTo(StepStatus.PENDING);
		assertThat(this.afterRuns.get()).isZero();

		orchestrator.signal(id, "approve-payment", Map.of("approvedBy", "ann", "level", 2));
		WorkflowResult result = finish(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(stepOf(result.instance(), "approval").status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(stepOf(result.instance(), "approval").output()).isEqualTo(Map.of("approvedBy", "ann", "level", 2));
		assertThat(this.afterRuns.get()).isEqualTo(1);
		assertThat(this.afterInput.get()).containsEntry("approvedBy", "ann")
			.containsEntry("level", 2)
			.containsEntry("order_id", "o-1");
		assertThat(result.output()).containsEntry("approvedBy", "ann").containsEntry("after", true);
	}

	@Test
	void aWaitingInstanceHoldsNoThreadAndIsDrivenByNoNode() {
		Orchestrator orchestrator = node();
		orchestrator.register(approvalFlow("idle", awaitSignal("approval", "approve-payment")));
		String id = orchestrator.startAsync("idle", Map.of());
		awaitWaiting(orchestrator, id, "approval");
		// the contract: a waiting workflow holds no thread; Orchestrator.activeInstances:
		// an
		// instance waiting for a wake-up is not driven by any node
		await().atMost(LONG_WAIT).until(() -> orchestrator.activeInstances() == 0 && orchestrator.busyWorkers() == 0);
		orchestrator.signal(id, "approve-payment", Map.of());
		assertThat(finish(orchestrator, id).status()).isEqualTo(WorkflowStatus.COMPLETED);
	}

	@Test
	void aSignalSentBeforeTheStepWaitsIsKept() throws Exception {
		CountDownLatch gateRunning = new CountDownLatch(1);
		CountDownLatch openGate = new CountDownLatch(1);
		Orchestrator orchestrator = node();
		orchestrator.register(workflow("early", step("gate", (ctx) -> {
			gateRunning.countDown();
			openGate.await(5, TimeUnit.SECONDS);
			return Map.of();
		}), awaitSignal("approval", "approve-payment").dependsOn("gate"), after("approval")));
		String id = orchestrator.startAsync("early", Map.of());
		assertThat(gateRunning.await(5, TimeUnit.SECONDS)).isTrue();
		orchestrator.signal(id, "approve-payment", Map.of("approvedBy", "early-bird"));
		openGate.countDown();

		WorkflowResult result = finish(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(stepOf(result.instance(), "approval").output()).isEqualTo(Map.of("approvedBy", "early-bird"));
		assertThat(this.afterInput.get()).containsEntry("approvedBy", "early-bird");
	}

	@Test
	void eachSignalIsConsumedOnceInArrivalOrder() throws Exception {
		CountDownLatch gateRunning = new CountDownLatch(1);
		CountDownLatch openGate = new CountDownLatch(1);
		Orchestrator orchestrator = node();
		orchestrator.register(workflow("consumers", step("gate", (ctx) -> {
			gateRunning.countDown();
			openGate.await(5, TimeUnit.SECONDS);
			return Map.of();
		}), awaitSignal("first", "item").dependsOn("gate"), awaitSignal("second", "item").dependsOn("first"),
				awaitSignal("third", "item").dependsOn("second")));
		String id = orchestrator.startAsync("consumers", Map.of());
		assertThat(gateRunning.await(5, TimeUnit.SECONDS)).isTrue();
		orchestrator.signal(id, "item", Map.of("n", 1));
		orchestrator.signal(id, "item", Map.of("n", 2));
		openGate.countDown();

		// two signals for three steps: the third must wait, not reuse a consumed one
		WorkflowInstance waiting = awaitWaiting(orchestrator, id, "third");
		assertThat(stepOf(waiting, "first").output()).isEqualTo(Map.of("n", 1));
		assertThat(stepOf(waiting, "second").output()).isEqualTo(Map.of("n", 2));
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(3))
			.until(() -> stepStatus(orchestrator, id, "third").orElseThrow() == StepStatus.WAITING);

		orchestrator.signal(id, "item", Map.of("n", 3));
		WorkflowResult result = finish(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(stepOf(result.instance(), "first").output()).isEqualTo(Map.of("n", 1));
		assertThat(stepOf(result.instance(), "second").output()).isEqualTo(Map.of("n", 2));
		assertThat(stepOf(result.instance(), "third").output()).isEqualTo(Map.of("n", 3));
	}

	@Test
	void aSignalOfAnotherNameDoesNotWakeTheStep() {
		Orchestrator orchestrator = node();
		orchestrator.register(approvalFlow("named", awaitSignal("approval", "approve-payment")));
		String id = orchestrator.startAsync("named", Map.of());
		awaitWaiting(orchestrator, id, "approval");
		orchestrator.signal(id, "add-line-item", Map.of("sku", "X"));
		await().during(Duration.ofMillis(400))
			.atMost(Duration.ofSeconds(3))
			.until(() -> stepStatus(orchestrator, id, "approval").orElseThrow() == StepStatus.WAITING
					&& this.afterRuns.get() == 0);
		orchestrator.signal(id, "approve-payment", Map.of("approvedBy", "ann"));
		WorkflowResult result = finish(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(stepOf(result.instance(), "approval").output()).isEqualTo(Map.of("approvedBy", "ann"));
	}

	@Test
	void signalsListsEveryPayloadReceivedInArrivalOrderConsumedOrNot() throws Exception {
		CountDownLatch gateRunning = new CountDownLatch(1);
		CountDownLatch openGate = new CountDownLatch(1);
		AtomicReference<List<Map<String, Object>>> seen = new AtomicReference<>();
		Orchestrator orchestrator = node();
		orchestrator.register(workflow("reader", step("gate", (ctx) -> {
			gateRunning.countDown();
			openGate.await(5, TimeUnit.SECONDS);
			return Map.of();
		}), awaitSignal("take", "item").dependsOn("gate"), step("read", (ctx) -> {
			seen.set(ctx.signals("item"));
			return Map.of();
		}).dependsOn("take")));
		String id = orchestrator.startAsync("reader", Map.of());
		assertThat(gateRunning.await(5, TimeUnit.SECONDS)).isTrue();
		orchestrator.signal(id, "item", Map.of("n", 1));
		orchestrator.signal(id, "other", Map.of("n", 99));
		orchestrator.signal(id, "item", Map.of("n", 2));
		openGate.countDown();

		WorkflowResult result = finish(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(stepOf(result.instance(), "take").output()).isEqualTo(Map.of("n", 1));
		assertThat(seen.get()).containsExactly(Map.of("n", 1), Map.of("n", 2));
	}

	@Test
	void theTimeoutBoundsTheWaitAndFailsTheStepWithTypeTimeoutWithoutRetry() {
		// a default policy that would retry anything: the signal timeout is still final
		Orchestrator orchestrator = node((builder) -> builder.defaultRetryPolicy(fastRetries(3)));
		orchestrator.register(
				approvalFlow("deadline", awaitSignal("approval", "approve-payment").timeout(Duration.ofMillis(300))));
		String id = orchestrator.startAsync("deadline", Map.of());
		awaitWaiting(orchestrator, id, "approval");

		WorkflowResult result = finish(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.error())
			.hasValueSatisfying((error) -> assertThat(error).startsWith("step approval failed after 1 attempt"));
		assertThat(stepOf(result.instance(), "approval").status()).isEqualTo(StepStatus.FAILED);
		assertThat(stepOf(result.instance(), "approval").attempts()).isEqualTo(1);
		assertThat(this.afterRuns.get()).isZero();
		assertThat(eventsOf(id, WorkflowEventType.STEP_RETRYING)).isEmpty();
		await().atMost(LONG_WAIT)
			.untilAsserted(() -> assertThat(eventsOf(id, WorkflowEventType.STEP_FAILED))
				.filteredOn((e) -> "approval".equals(e.stepId()))
				.singleElement()
				.extracting(WorkflowEvent::data)
				.satisfies((data) -> assertThat(data).containsEntry("errorType", "timeout")));
		// too late: the instance has finished
		assertThatThrownBy(() -> orchestrator.signal(id, "approve-payment", Map.of()))
			.isInstanceOf(IllegalStateException.class);
	}

	@Test
	void aSignalWithinTheTimeoutCompletesTheStep() {
		Orchestrator orchestrator = node();
		orchestrator.register(
				approvalFlow("intime", awaitSignal("approval", "approve-payment").timeout(Duration.ofSeconds(5))));
		String id = orchestrator.startAsync("intime", Map.of());
		awaitWaiting(orchestrator, id, "approval");
		orchestrator.signal(id, "approve-payment", Map.of("approvedBy", "ann"));
		WorkflowResult result = finish(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(stepOf(result.instance(), "approval").output()).isEqualTo(Map.of("approvedBy", "ann"));
		assertThat(eventsOf(id, WorkflowEventType.STEP_FAILED)).isEmpty();
	}

	@Test
	void anOptionalWaitThatTimesOutLetsTheWorkflowGoOn() {
		Orchestrator orchestrator = node();
		orchestrator.register(approvalFlow("optional",
				awaitSignal("approval", "approve-payment").timeout(Duration.ofMillis(200)).required(false)));
		String id = orchestrator.startAsync("optional", Map.of());
		WorkflowResult result = finish(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(stepOf(result.instance(), "approval").status()).isEqualTo(StepStatus.FAILED);
		assertThat(this.afterRuns.get()).isEqualTo(1);
		assertThat(this.afterInput.get()).doesNotContainKey("approvedBy");
	}

	@Test
	void independentBranchesRunWhileOneWaits() throws Exception {
		CountDownLatch workDone = new CountDownLatch(1);
		Orchestrator orchestrator = node();
		orchestrator.register(workflow("branches", awaitSignal("approval", "approve-payment"), step("work", (ctx) -> {
			workDone.countDown();
			return Map.of("worked", true);
		}), step("join", (ctx) -> Map.of("joined", true)).dependsOn("approval", "work")));
		String id = orchestrator.startAsync("branches", Map.of());
		assertThat(workDone.await(5, TimeUnit.SECONDS)).as("the independent branch ran while the other waits").isTrue();
		WorkflowInstance waiting = awaitWaiting(orchestrator, id, "approval");
		assertThat(stepOf(waiting, "work").status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(stepOf(waiting, "join").status()).isEqualTo(StepStatus.PENDING);
		orchestrator.signal(id, "approve-payment", Map.of("approvedBy", "ann"));
		WorkflowResult result = finish(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.output()).containsEntry("worked", true)
			.containsEntry("approvedBy", "ann")
			.containsEntry("joined", true);
	}

	@Test
	void receivingTheSignalIsReportedAndTheWaitingStepCompletes() {
		Orchestrator orchestrator = node();
		orchestrator.register(approvalFlow("reported", awaitSignal("approval", "approve-payment")));
		String id = orchestrator.startAsync("reported", Map.of());
		awaitWaiting(orchestrator, id, "approval");
		orchestrator.signal(id, "approve-payment", Map.of("approvedBy", "ann"));
		finish(orchestrator, id);
		await().atMost(LONG_WAIT).untilAsserted(() -> {
			assertThat(eventsOf(id, WorkflowEventType.SIGNAL_RECEIVED)).isNotEmpty();
			assertThat(eventsOf(id, WorkflowEventType.STEP_COMPLETED)).extracting(WorkflowEvent::stepId)
				.contains("approval");
		});
		assertThat(orchestrator.history(id)).extracting(WorkflowEvent::type)
			.contains(WorkflowEventType.SIGNAL_RECEIVED);
	}

	@Test
	void aSignalToAnUnknownInstanceIsInstanceNotFound() {
		Orchestrator orchestrator = node();
		assertThatThrownBy(() -> orchestrator.signal("no-such-instance", "approve-payment", Map.of()))
			.isInstanceOf(InstanceNotFoundException.class);
	}

	@Test
	void aSignalToAFinishedInstanceIsIllegalState() {
		Orchestrator orchestrator = node();
		orchestrator.register(workflow("quick", step("a")));
		orchestrator.register(workflow("broken", step("a", (ctx) -> {
			throw new IllegalStateException("boom");
		})));
		orchestrator.register(approvalFlow("cancelled", awaitSignal("approval", "approve-payment")));
		WorkflowResult completed = orchestrator.start("quick", Map.of());
		WorkflowResult failed = orchestrator.start("broken", Map.of());
		String waiting = orchestrator.startAsync("cancelled", Map.of());
		awaitWaiting(orchestrator, waiting, "approval");
		orchestrator.cancel(waiting, "no longer needed");
		assertThat(finish(orchestrator, waiting).status()).isEqualTo(WorkflowStatus.CANCELLED);

		for (String id : List.of(completed.instanceId(), failed.instanceId(), waiting)) {
			assertThatThrownBy(() -> orchestrator.signal(id, "approve-payment", Map.of("approvedBy", "ann")))
				.as("signal to finished instance %s", id)
				.isInstanceOf(IllegalStateException.class);
		}
		assertThat(this.afterRuns.get()).isZero();
	}

	@Test
	void cancellingAWaitingInstanceCompensatesItsCompletedStepsAndEndsCancelled() {
		List<String> compensated = new CopyOnWriteArrayList<>();
		Orchestrator orchestrator = node();
		orchestrator.register(workflow("cancel-wait",
				step("reserve", (ctx) -> Map.of("reserved", true)).compensateWith((ctx) -> compensated.add("reserve")),
				step("notify", (ctx) -> Map.of("notified", true)).dependsOn("reserve")
					.compensateWith((ctx) -> compensated.add("notify")),
				awaitSignal("approval", "approve-payment").dependsOn("notify"), after("approval")));
		String id = orchestrator.startAsync("cancel-wait", Map.of());
		awaitWaiting(orchestrator, id, "approval");

		WorkflowResult cancelled = orchestrator.cancel(id, "customer asked");
		if (!cancelled.status().isTerminal()) {
			cancelled = finish(orchestrator, id);
		}
		assertThat(cancelled.status()).isEqualTo(WorkflowStatus.CANCELLED);
		assertThat(cancelled.success()).isFalse();
		assertThat(compensated).containsExactly("notify", "reserve");
		assertThat(stepOf(cancelled.instance(), "reserve").status()).isEqualTo(StepStatus.COMPENSATED);
		assertThat(stepOf(cancelled.instance(), "notify").status()).isEqualTo(StepStatus.COMPENSATED);
		assertThat(stepOf(cancelled.instance(), "approval").status()).isNotIn(StepStatus.COMPLETED, StepStatus.WAITING);
		assertThatThrownBy(() -> orchestrator.signal(id, "approve-payment", Map.of()))
			.isInstanceOf(IllegalStateException.class);
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(3))
			.until(() -> this.afterRuns.get() == 0 && instance(orchestrator, id).status() == WorkflowStatus.CANCELLED);
	}

	@Test
	void aWaitingInstanceContinuesOnItsVersionAfterANewerOneIsRegistered() {
		Orchestrator orchestrator = node();
		orchestrator.register(WorkflowDefinition.builder("versioned", "Versioned")
			.version("1.0.0")
			.steps(StepDefinition.awaitSignal("approval", "approve-payment").build(),
					step("finish", (ctx) -> Map.of("by", "v1")).dependsOn("approval").build())
			.build());
		String old = orchestrator.startAsync("versioned", Map.of());
		awaitWaiting(orchestrator, old, "approval");

		orchestrator.register(WorkflowDefinition.builder("versioned", "Versioned")
			.version("2.0.0")
			.steps(step("finish", (ctx) -> Map.of("by", "v2")).build())
			.build());
		WorkflowResult fresh = orchestrator.start("versioned", Map.of());
		assertThat(fresh.instance().workflowVersion()).isEqualTo("2.0.0");
		assertThat(fresh.output()).containsEntry("by", "v2");

		assertThat(instance(orchestrator, old).status()).isEqualTo(WorkflowStatus.WAITING);
		orchestrator.signal(old, "approve-payment", Map.of("approvedBy", "ann"));
		WorkflowResult result = finish(orchestrator, old);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.instance().workflowVersion()).isEqualTo("1.0.0");
		assertThat(result.output()).containsEntry("by", "v1").containsEntry("approvedBy", "ann");
	}

}
