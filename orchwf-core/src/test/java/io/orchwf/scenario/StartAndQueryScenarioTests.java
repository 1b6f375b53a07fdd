package io.orchwf.scenario;

import java.util.concurrent.atomic.AtomicBoolean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.Orchestrator;
import io.orchwf.Page;
import io.orchwf.StartOptions;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowNotFoundException;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class StartAndQueryScenarioTests extends ScenarioSupport {

	@Test
	void startReturnsOnlyOnceTheListenersHaveSeenTheLastEvents() {
		// the listener takes several poll intervals over the last event: the store holds
		// the finished instance all that time, but start must not return before the
		// listener is done
		AtomicBoolean seen = new AtomicBoolean();
		Orchestrator orchestrator = orchestrator((builder) -> builder.listener((event) -> {
			if (event.type() == WorkflowEventType.WORKFLOW_COMPLETED) {
				sleep(Duration.ofMillis(300));
				seen.set(true);
			}
		}));
		orchestrator.register(workflow("w", step("a", (context) -> Map.of())));
		for (int i = 0; i < 3; i++) {
			seen.set(false);
			assertThat(orchestrator.start("w", null).success()).isTrue();
			assertThat(seen).as("the listener saw the end of run %d", i).isTrue();
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void unknownWorkflowIsReportedAsSuch() {
		Orchestrator orchestrator = orchestrator();
		assertThatExceptionOfType(WorkflowNotFoundException.class).isThrownBy(() -> orchestrator.start("nope", null))
			.withMessageContaining("nope")
			.satisfies((ex) -> assertThat(ex.getWorkflowId()).isEqualTo("nope"));
	}

	@Test
	void inputThatCannotBeStoredIsRejectedBeforeAnythingRuns() {
		Orchestrator orchestrator = orchestrator();
		AtomicInteger calls = new AtomicInteger();
		orchestrator.register(workflow("w", step("a", (context) -> Map.of("n", calls.incrementAndGet()))));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> orchestrator.startAsync("w", Map.of("bad", Double.POSITIVE_INFINITY)))
			.withMessageContaining("input.bad");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> orchestrator.startAsync("w", Map.of(), Map.of("thread", new Object())))
			.withMessageContaining("metadata.thread");
		assertThat(calls).hasValue(0);
		assertThat(orchestrator.list(WorkflowFilter.all(), 10, 0).total()).isZero();
	}

	@Test
	void textNoDatabaseCanHoldIsRejectedWithAMessageAndNothingIsStored() {
		Orchestrator orchestrator = orchestrator();
		AtomicInteger calls = new AtomicInteger();
		orchestrator.register(workflow("w", step("a", (context) -> Map.of("n", calls.incrementAndGet())),
				StepDefinition.awaitSignal("wait", "go").dependsOn("a")));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> orchestrator.startAsync("w", Map.of("customer", "c-\ud800")))
			.withMessageContaining("input contains an unpaired surrogate");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> orchestrator.startAsync("w", Map.of("lines", List.of(Map.of("sku", "a\u0000b")))))
			.withMessageContaining("input contains the character U+0000");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> orchestrator.startAsync("w", Map.of(), Map.of("business_id", "b\udc00")))
			.withMessageContaining("metadata contains an unpaired surrogate");
		assertThatIllegalArgumentException().isThrownBy(
				() -> orchestrator.startAsync("w", Map.of(), StartOptions.builder().idempotencyKey("k\u0000").build()))
			.withMessageContaining("idempotencyKey");
		assertThat(orchestrator.list(WorkflowFilter.all(), 10, 0).total()).isZero();
		String id = orchestrator.startAsync("w", Map.of("emoji", "\uD83D\uDE00"));
		await().atMost(WAIT).until(() -> orchestrator.status(id).orElseThrow().status() == WorkflowStatus.WAITING);
		assertThatIllegalArgumentException().isThrownBy(() -> orchestrator.signal(id, "go\u0000", Map.of()))
			.withMessageContaining("signalName contains the character U+0000");
		assertThatIllegalArgumentException().isThrownBy(() -> orchestrator.signal(id, "go", Map.of("by", "\ud83d")))
			.withMessageContaining("payload of signal 'go' contains an unpaired surrogate");
		assertThat(orchestrator.status(id).orElseThrow().input()).containsEntry("emoji", "\uD83D\uDE00");
		assertThat(calls).hasValue(1);
	}

	@Test
	void filtersWithTextNoDatabaseCanHoldAreRejectedNamingTheCriterion() {
		Orchestrator orchestrator = orchestrator();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> orchestrator.list(WorkflowFilter.builder().businessId("a\u0000b").build(), 10, 0))
			.withMessageContaining("businessId");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> orchestrator.list(WorkflowFilter.builder().workflowId("w\ud800").build(), 10, 0))
			.withMessageContaining("workflowId");
		assertThat(orchestrator.list(WorkflowFilter.builder().businessId("\uD83D\uDE00").build(), 10, 0).total())
			.isZero();
	}

	@Test
	void metadataIdsBecomeColumnsAndMissingOnesAreGenerated() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("w", step("a", (context) -> Map.of("meta", context.metadata()))));
		WorkflowResult given = orchestrator.start("w", null,
				Map.of("trace_id", "trace_123", "business_id", "business_456", "team", "shop"));
		assertThat(given.instance().traceId()).isEqualTo("trace_123");
		assertThat(given.instance().businessId()).isEqualTo("business_456");
		assertThat(given.instance().correlationId()).isNotBlank();
		assertThat(given.instance().metadata()).containsEntry("team", "shop")
			.containsEntry("correlation_id", given.instance().correlationId());
		assertThat(given.output().get("meta")).isEqualTo(given.instance().metadata());
		WorkflowResult generated = orchestrator.start("w", null);
		assertThat(generated.instance().traceId()).matches("[0-9a-f]{32}");
		assertThat(generated.instance().businessId()).isNull();
	}

	@Test
	void aSecondStartWithTheSameIdempotencyKeyReturnsTheExistingInstance() {
		Orchestrator orchestrator = orchestrator();
		AtomicInteger calls = new AtomicInteger();
		orchestrator.register(workflow("w", step("a", (context) -> Map.of("n", calls.incrementAndGet()))));
		StartOptions options = StartOptions.builder().idempotencyKey("order-123").build();
		String first = orchestrator.startAsync("w", Map.of("x", 1), options);
		String second = orchestrator.startAsync("w", Map.of("x", 2), options);
		WorkflowResult blocking = orchestrator.start("w", Map.of("x", 3), options);
		assertThat(second).isEqualTo(first);
		assertThat(blocking.instanceId()).isEqualTo(first);
		assertThat(blocking.instance().input()).isEqualTo(Map.of("x", 1));
		assertThat(calls).hasValue(1);
	}

	@Test
	void aDeferredStartIsPendingUntilItsTime() throws InterruptedException {
		Orchestrator orchestrator = orchestrator();
		CountDownLatch ran = new CountDownLatch(1);
		orchestrator.register(workflow("w", step("a", (context) -> {
			ran.countDown();
			return Map.of();
		})));
		Instant startAt = Instant.now().plusMillis(300);
		String id = orchestrator.startAsync("w", null, StartOptions.builder().startAt(startAt).build());
		WorkflowInstance pending = orchestrator.status(id).orElseThrow();
		assertThat(pending.status()).isEqualTo(WorkflowStatus.PENDING);
		assertThat(pending.startedAt()).isNull();
		assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
		WorkflowResult result = orchestrator.awaitCompletion(id, WAIT).orElseThrow();
		assertThat(result.success()).isTrue();
		assertThat(result.instance().startedAt()).isAfterOrEqualTo(startAt.minusMillis(1));
	}

	@Test
	void awaitCompletionGivesUpAtItsTimeout() throws InterruptedException {
		Orchestrator orchestrator = orchestrator();
		CountDownLatch release = new CountDownLatch(1);
		orchestrator.register(workflow("w", step("a", (context) -> {
			release.await(5, TimeUnit.SECONDS);
			return Map.of();
		})));
		String id = orchestrator.startAsync("w", null);
		try {
			assertThat(orchestrator.awaitCompletion(id, Duration.ofMillis(50))).isEmpty();
			assertThat(orchestrator.status(id).orElseThrow().status()).isEqualTo(WorkflowStatus.RUNNING);
		}
		finally {
			release.countDown();
		}
		assertThat(orchestrator.awaitCompletion(id, WAIT)).isPresent();
	}

	@Test
	void listsNewestFirstWithFiltersAndPaging() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("good", noop("a")));
		orchestrator.register(workflow("bad", step("a", (context) -> {
			throw new IllegalStateException("no");
		})));
		List<String> good = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			good.add(orchestrator.start("good", null, Map.of("business_id", "b-" + i)).instanceId());
		}
		String bad = orchestrator.start("bad", null).instanceId();
		Page<WorkflowInstance> page = orchestrator.list(WorkflowFilter.builder().workflowId("good").build(), 2, 1);
		assertThat(page.total()).isEqualTo(5);
		assertThat(page.limit()).isEqualTo(2);
		assertThat(page.offset()).isEqualTo(1);
		assertThat(page.items()).extracting(WorkflowInstance::id).containsExactly(good.get(3), good.get(2));
		assertThat(page.items().get(0).steps()).hasSize(1);
		assertThat(orchestrator.list(WorkflowFilter.builder().status(WorkflowStatus.FAILED).build(), 10, 0).items())
			.extracting(WorkflowInstance::id)
			.containsExactly(bad);
		assertThat(orchestrator.list(WorkflowFilter.builder().businessId("b-4").build(), 10, 0).items())
			.extracting(WorkflowInstance::id)
			.containsExactly(good.get(4));
		assertThatIllegalArgumentException().isThrownBy(() -> orchestrator.list(WorkflowFilter.all(), 0, 0))
			.withMessageContaining("limit");
		assertThatIllegalArgumentException().isThrownBy(() -> orchestrator.list(WorkflowFilter.all(), 10, -1))
			.withMessageContaining("offset");
	}

	@Test
	void historyHoldsEveryTransitionInOrderAsListenersSawThem() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(
				workflow("w", noop("a"), noop("b").dependsOn("a").when((context) -> false), noop("c").dependsOn("a")));
		String id = orchestrator.start("w", null).instanceId();
		List<WorkflowEvent> history = orchestrator.history(id);
		assertThat(history).extracting(WorkflowEvent::type)
			.containsExactly(WorkflowEventType.WORKFLOW_STARTED, WorkflowEventType.STEP_STARTED,
					WorkflowEventType.STEP_COMPLETED, WorkflowEventType.STEP_SKIPPED, WorkflowEventType.STEP_STARTED,
					WorkflowEventType.STEP_COMPLETED, WorkflowEventType.WORKFLOW_COMPLETED);
		assertThat(history).extracting(WorkflowEvent::stepId).containsExactly(null, "a", "a", "b", "c", "c", null);
		assertThat(history).extracting(WorkflowEvent::workflowId).containsOnly("w");
		assertThat(this.events.stream().filter((event) -> event.instanceId().equals(id)).toList()).isEqualTo(history);
	}

	@Test
	void aThrowingListenerNeverBreaksAWorkflow() {
		Orchestrator orchestrator = orchestrator((builder) -> builder.listener((event) -> {
			throw new IllegalStateException("listener bug");
		}));
		orchestrator.register(workflow("w", noop("a"), noop("b").dependsOn("a")));
		assertThat(orchestrator.start("w", null).success()).isTrue();
	}

	@Test
	void signalsAreKeptInArrivalOrderForStepsToRead() throws InterruptedException {
		Orchestrator orchestrator = orchestrator();
		CountDownLatch signalled = new CountDownLatch(1);
		orchestrator.register(workflow("w", step("collect", (context) -> {
			assertThat(signalled.await(5, TimeUnit.SECONDS)).isTrue();
			return Map.of("items", context.signals("add-item"), "none", context.signals("other"));
		})));
		String id = orchestrator.startAsync("w", null);
		orchestrator.signal(id, "add-item", Map.of("sku", "a"));
		orchestrator.signal(id, "add-item", Map.of("sku", "b"));
		signalled.countDown();
		WorkflowResult result = orchestrator.awaitCompletion(id, WAIT).orElseThrow();
		assertThat(result.output()).containsEntry("items", List.of(Map.of("sku", "a"), Map.of("sku", "b")))
			.containsEntry("none", List.of());
		assertThat(orchestrator.history(id)).filteredOn((event) -> event.type() == WorkflowEventType.SIGNAL_RECEIVED)
			.hasSize(2);
		assertThatIllegalStateException().isThrownBy(() -> orchestrator.signal(id, "add-item", Map.of()))
			.withMessageContaining("has finished (COMPLETED)");
	}

	@Test
	void refusesNamesAndIdsLongerThanTheStoresKeep() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("w", noop("a")));
		String id = orchestrator.start("w", null).instanceId();
		assertThatIllegalArgumentException().isThrownBy(() -> orchestrator.signal(id, "s".repeat(256), Map.of()))
			.withMessageContaining("signalName is 256 characters long; keep it to 255");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> orchestrator.startAsync("w", null, Map.of("business_id", "b".repeat(300))))
			.withMessageContaining("metadata 'business_id' is 300 characters long; keep it to 255");
		assertThat(orchestrator.list(WorkflowFilter.builder().build(), 10, 0).total()).isEqualTo(1);
	}

}
