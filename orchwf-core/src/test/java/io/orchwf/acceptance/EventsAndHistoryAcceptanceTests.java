package io.orchwf.acceptance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.orchwf.Orchestrator;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventListener;
import io.orchwf.event.WorkflowEventType;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The contract, "Semantics / Events": every transition emits an event, listeners run
 * after the transition is stored and never break a workflow; history.
 */
class EventsAndHistoryAcceptanceTests extends AcceptanceSupport {

	private List<WorkflowEvent> eventsOf(String instanceId) {
		return this.events.stream().filter((e) -> e.instanceId().equals(instanceId)).toList();
	}

	@Test
	void aSuccessfulRunEmitsStartedStepAndCompletedEvents() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("simple", step("a"), step("b").dependsOn("a")));
		WorkflowResult result = orchestrator.start("simple", Map.of());
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(eventsOf(result.instanceId())).extracting(WorkflowEvent::type)
				.containsExactly(WorkflowEventType.WORKFLOW_STARTED, WorkflowEventType.STEP_STARTED,
						WorkflowEventType.STEP_COMPLETED, WorkflowEventType.STEP_STARTED,
						WorkflowEventType.STEP_COMPLETED, WorkflowEventType.WORKFLOW_COMPLETED));
		List<WorkflowEvent> mine = eventsOf(result.instanceId());
		assertThat(mine).allSatisfy((e) -> {
			assertThat(e.workflowId()).isEqualTo("simple");
			assertThat(e.timestamp()).isNotNull();
			assertThat(e.data()).isNotNull();
		});
		assertThat(mine).filteredOn((e) -> e.type().name().startsWith("STEP_"))
			.allSatisfy((e) -> assertThat(e.attempt()).isEqualTo(1))
			.extracting(WorkflowEvent::stepId)
			.containsExactly("a", "a", "b", "b");
		assertThat(mine).filteredOn((e) -> e.type().name().startsWith("WORKFLOW_"))
			.allSatisfy((e) -> assertThat(e.stepId()).isNull());
	}

	@Test
	void aFailedRunEmitsStepFailedAndWorkflowFailed() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("failing", step("a", (ctx) -> {
			throw new IllegalStateException("x");
		})));
		WorkflowResult result = orchestrator.start("failing", Map.of());
		await().atMost(WAIT).untilAsserted(() -> {
			List<WorkflowEventType> types = eventsOf(result.instanceId()).stream().map(WorkflowEvent::type).toList();
			assertThat(types).contains(WorkflowEventType.STEP_FAILED)
				.endsWith(WorkflowEventType.WORKFLOW_FAILED)
				.doesNotContain(WorkflowEventType.WORKFLOW_COMPLETED);
		});
	}

	@Test
	void aSkippedStepEmitsStepSkipped() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("skipping", step("a").when((ctx) -> false)));
		WorkflowResult result = orchestrator.start("skipping", Map.of());
		await().atMost(WAIT).untilAsserted(() -> assertThat(eventsOf(result.instanceId())).anySatisfy((e) -> {
			assertThat(e.type()).isEqualTo(WorkflowEventType.STEP_SKIPPED);
			assertThat(e.stepId()).isEqualTo("a");
		}).noneSatisfy((e) -> assertThat(e.type()).isEqualTo(WorkflowEventType.STEP_STARTED)));
	}

	@Test
	void historyHoldsTheInstancesEventsInOrder() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("history", step("a"), step("b").dependsOn("a")));
		WorkflowResult result = orchestrator.start("history", Map.of());
		orchestrator.start("history", Map.of());
		await().atMost(WAIT).untilAsserted(() -> {
			List<WorkflowEvent> history = orchestrator.history(result.instanceId());
			assertThat(history).extracting(WorkflowEvent::type)
				.containsExactly(WorkflowEventType.WORKFLOW_STARTED, WorkflowEventType.STEP_STARTED,
						WorkflowEventType.STEP_COMPLETED, WorkflowEventType.STEP_STARTED,
						WorkflowEventType.STEP_COMPLETED, WorkflowEventType.WORKFLOW_COMPLETED);
			assertThat(history).allSatisfy((e) -> assertThat(e.instanceId()).isEqualTo(result.instanceId()));
			for (int i = 1; i < history.size(); i++) {
				assertThat(history.get(i).timestamp()).isAfterOrEqualTo(history.get(i - 1).timestamp());
			}
		});
	}

	@Test
	void listenersAreCalledAfterTheTransitionIsStored() {
		AtomicReference<Orchestrator> ref = new AtomicReference<>();
		List<String> problems = new CopyOnWriteArrayList<>();
		List<WorkflowEventType> checked = new CopyOnWriteArrayList<>();
		WorkflowEventListener checker = (event) -> {
			Orchestrator orchestrator = ref.get();
			if (orchestrator == null) {
				return;
			}
			WorkflowInstance stored = orchestrator.status(event.instanceId()).orElse(null);
			if (stored == null) {
				problems.add(event.type() + ": instance not stored yet");
				return;
			}
			switch (event.type()) {
				case STEP_COMPLETED -> {
					if (stored.step(event.stepId()).orElseThrow().status() != StepStatus.COMPLETED) {
						problems.add("STEP_COMPLETED but stored step is "
								+ stored.step(event.stepId()).orElseThrow().status());
					}
				}
				case STEP_FAILED -> {
					if (stored.step(event.stepId()).orElseThrow().status() == StepStatus.RUNNING) {
						problems.add("STEP_FAILED but stored step is still RUNNING");
					}
				}
				case WORKFLOW_COMPLETED -> {
					if (stored.status() != WorkflowStatus.COMPLETED) {
						problems.add("WORKFLOW_COMPLETED but stored status is " + stored.status());
					}
				}
				case WORKFLOW_FAILED -> {
					if (stored.status() != WorkflowStatus.FAILED) {
						problems.add("WORKFLOW_FAILED but stored status is " + stored.status());
					}
				}
				default -> {
				}
			}
			checked.add(event.type());
		};
		Orchestrator orchestrator = orchestrator((builder) -> builder.listener(checker));
		ref.set(orchestrator);
		orchestrator.register(workflow("stored", step("a", (ctx) -> Map.of("a", 1))));
		orchestrator.register(workflow("storedFail", step("a", (ctx) -> {
			throw new IllegalStateException("x");
		})));
		orchestrator.start("stored", Map.of());
		orchestrator.start("storedFail", Map.of());
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(checked).contains(WorkflowEventType.WORKFLOW_COMPLETED,
					WorkflowEventType.WORKFLOW_FAILED, WorkflowEventType.STEP_COMPLETED,
					WorkflowEventType.STEP_FAILED));
		assertThat(problems).isEmpty();
	}

	@Test
	void aThrowingListenerNeverBreaksAWorkflowNorOtherListeners() {
		List<WorkflowEvent> second = new CopyOnWriteArrayList<>();
		Orchestrator orchestrator = orchestrator((builder) -> builder.listener((event) -> {
			throw new IllegalStateException("listener bug");
		}).listener(second::add));
		orchestrator.register(workflow("robust", step("a", (ctx) -> Map.of("a", 1)), step("b").dependsOn("a")));
		WorkflowResult result = orchestrator.start("robust", Map.of());
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.output()).containsEntry("a", 1);
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(second).extracting(WorkflowEvent::type)
				.contains(WorkflowEventType.WORKFLOW_STARTED, WorkflowEventType.WORKFLOW_COMPLETED));
	}

	@Test
	void aListenerThrowingAnErrorNeverBreaksAWorkflow() {
		Orchestrator orchestrator = orchestrator((builder) -> builder.listener((event) -> {
			throw new AssertionError("listener error");
		}));
		orchestrator.register(workflow("robust2", step("a")));
		Throwable escaped = catchThrowable(() -> orchestrator.startAsync("robust2", Map.of()));
		List<WorkflowInstance> instances = orchestrator
			.list(WorkflowFilter.builder().workflowId("robust2").build(), 10, 0)
			.items();
		assertThat(instances).hasSize(1);
		Optional<WorkflowResult> result = orchestrator.awaitCompletion(instances.get(0).id(), Duration.ofSeconds(1));
		SoftAssertions softly = new SoftAssertions();
		softly.assertThat(escaped).as("what the listener threw escaped startAsync").isNull();
		softly.assertThat(result.map(WorkflowResult::status))
			.as("the workflow finished; it is %s", orchestrator.status(instances.get(0).id()))
			.hasValue(WorkflowStatus.COMPLETED);
		softly.assertAll();
	}

	@Test
	void compensationEventsComeBeforeWorkflowFailed() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("sagaevents", step("a").compensateWith((ctx) -> {
		}), step("b").dependsOn("a").compensateWith((ctx) -> {
		}), step("c", (ctx) -> {
			throw new IllegalStateException("x");
		}).dependsOn("b")));
		WorkflowResult result = orchestrator.start("sagaevents", Map.of());
		await().atMost(WAIT).untilAsserted(() -> {
			List<WorkflowEvent> tail = eventsOf(result.instanceId()).stream()
				.filter((e) -> e.type() == WorkflowEventType.STEP_COMPENSATED
						|| e.type() == WorkflowEventType.WORKFLOW_FAILED)
				.toList();
			assertThat(tail).extracting(WorkflowEvent::type)
				.containsExactly(WorkflowEventType.STEP_COMPENSATED, WorkflowEventType.STEP_COMPENSATED,
						WorkflowEventType.WORKFLOW_FAILED);
			assertThat(tail).extracting(WorkflowEvent::stepId).containsExactly("b", "a", null);
		});
	}

}
