package io.orchwf.spring.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import io.orchwf.FailurePolicy;
import io.orchwf.Orchestrator;
import io.orchwf.OverlapPolicy;
import io.orchwf.Schedule;
import io.orchwf.ScheduleInfo;
import io.orchwf.StartOptions;
import io.orchwf.StepDefinition;
import io.orchwf.StepExecutor;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.spring.actuate.OrchwfEndpoint.ActionDescriptor;
import io.orchwf.spring.actuate.OrchwfEndpoint.InstanceDescriptor;
import io.orchwf.spring.actuate.OrchwfEndpoint.InstanceSummary;
import io.orchwf.spring.actuate.OrchwfEndpoint.OrchwfDescriptor;
import io.orchwf.spring.actuate.OrchwfEndpoint.ScheduleDescriptor;
import io.orchwf.spring.actuate.OrchwfEndpoint.StepDescriptor;
import io.orchwf.spring.OrchestratorCustomizer;
import io.orchwf.spring.actuate.OrchwfEndpoint.WorkflowDescriptor;
import io.orchwf.spring.autoconfigure.OrchwfAutoConfiguration;
import io.orchwf.spring.autoconfigure.OrchwfEndpointAutoConfiguration;
import io.orchwf.store.StateStore;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link OrchwfEndpoint}, calling the endpoint bean of a context running real
 * workflows on the in-memory store.
 */
class OrchwfEndpointTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OrchwfAutoConfiguration.class, OrchwfEndpointAutoConfiguration.class))
		.withUserConfiguration(TestWorkflows.class)
		.withPropertyValues("orchwf.store=memory", "orchwf.shutdown.await-termination=1s",
				"management.endpoints.web.exposure.include=orchwf");

	@Test
	void describesTheWorkflowsTheCountsAndAPageOfInstances() {
		run((context, orchestrator, endpoint) -> {
			String first = orchestrator.start("orders", Map.of()).instanceId();
			String second = orchestrator.start("orders", Map.of(), Map.of("business_id", "b-1")).instanceId();
			String failed = orchestrator.start("flaky", Map.of()).instanceId();
			OrchwfDescriptor descriptor = endpoint.orchwf(null, null, null, null, null);
			assertThat(descriptor.nodeId()).isEqualTo(orchestrator.nodeId());
			assertThat(descriptor.workflows()).extracting(WorkflowDescriptor::id)
				.containsExactly("approval", "flaky", "orders", "stubborn");
			WorkflowDescriptor orders = descriptor.workflows().get(2);
			assertThat(orders.version()).isEqualTo(WorkflowDefinition.DEFAULT_VERSION);
			assertThat(orders.description()).isEqualTo("Takes an order");
			assertThat(orders.failurePolicy()).isEqualTo(FailurePolicy.FAIL_FAST);
			assertThat(orders.metadata()).containsEntry("team", "shop");
			assertThat(orders.steps()).containsExactly(
					new StepDescriptor("validate", "Validate", "", StepDefinition.Kind.TASK, List.of(), false, true, 0,
							null, null, false, null, null, null, null, null),
					new StepDescriptor("charge", "Charge", "", StepDefinition.Kind.TASK, List.of("validate"), false,
							true, 0, 2, "PT30S", true, null, null, null, null, null));
			assertThat(descriptor.counts()).containsEntry(WorkflowStatus.COMPLETED, 2L)
				.containsEntry(WorkflowStatus.FAILED, 1L)
				.containsEntry(WorkflowStatus.RUNNING, 0L)
				.hasSize(WorkflowStatus.values().length);
			assertThat(descriptor.instances().total()).isEqualTo(3);
			assertThat(descriptor.instances().limit()).isEqualTo(OrchwfEndpoint.DEFAULT_LIMIT);
			assertThat(descriptor.instances().offset()).isZero();
			assertThat(descriptor.instances().items()).extracting(InstanceSummary::id)
				.containsExactlyInAnyOrder(first, second, failed);
			assertThat(descriptor.schedules()).isEmpty();
		});
	}

	@Test
	void describesTheSchedulesWithoutTheirInput() {
		run((context, orchestrator, endpoint) -> {
			orchestrator.schedule(Schedule.cron("nightly", "0 0 2 * * *")
				.workflow("orders")
				.zone(ZoneId.of("Europe/Paris"))
				.input(Map.of("customer", "secret"))
				.build());
			ScheduleInfo stored = orchestrator.schedules().get(0);
			assertThat(endpoint.orchwf(null, null, null, null, null).schedules())
				.containsExactly(new ScheduleDescriptor("nightly", "orders", "0 0 2 * * *", null, "Europe/Paris",
						OverlapPolicy.SKIP, stored.nextFireAt(), null, null));
		});
	}

	@Test
	void filtersAndPagesTheInstances() {
		run((context, orchestrator, endpoint) -> {
			String first = orchestrator.start("orders", Map.of()).instanceId();
			String second = orchestrator.start("orders", Map.of(), Map.of("business_id", "b-1")).instanceId();
			String failed = orchestrator.start("flaky", Map.of()).instanceId();
			OrchwfDescriptor orders = endpoint.orchwf("orders", null, null, null, null);
			assertThat(orders.instances().items()).extracting(InstanceSummary::id)
				.containsExactlyInAnyOrder(first, second);
			assertThat(orders.counts()).containsEntry(WorkflowStatus.COMPLETED, 2L)
				.containsEntry(WorkflowStatus.FAILED, 0L);
			assertThat(endpoint.orchwf(null, "failed", null, null, null).instances().items())
				.extracting(InstanceSummary::id)
				.containsExactly(failed);
			assertThat(endpoint.orchwf(null, "COMPLETED, FAILED", null, null, null).instances().total()).isEqualTo(3);
			assertThat(endpoint.orchwf(null, null, "b-1", null, null).instances().items())
				.extracting(InstanceSummary::id)
				.containsExactly(second);
			OrchwfDescriptor page = endpoint.orchwf("orders", null, null, "1", " 1 ");
			assertThat(page.instances().items()).hasSize(1);
			assertThat(page.instances().total()).isEqualTo(2);
			assertThat(page.instances().limit()).isOne();
			assertThat(page.instances().offset()).isOne();
		});
	}

	@Test
	void rejectsInvalidListingArguments() {
		run((context, orchestrator, endpoint) -> {
			assertThatInvalidRequest(() -> endpoint.orchwf(null, "dancing", null, null, null))
				.withMessageContaining("Unknown status 'dancing'");
			assertThatInvalidRequest(() -> endpoint.orchwf(null, null, null, "0", null))
				.withMessage("limit must be a whole number between 1 and 1000 but was '0'");
			assertThatInvalidRequest(() -> endpoint.orchwf(null, null, null, "1001", null))
				.withMessage("limit must be a whole number between 1 and 1000 but was '1001'");
			assertThatInvalidRequest(() -> endpoint.orchwf(null, null, null, "abc", null))
				.withMessage("limit must be a whole number between 1 and 1000 but was 'abc'");
			assertThatInvalidRequest(() -> endpoint.orchwf(null, null, null, "+5", null))
				.withMessage("limit must be a whole number between 1 and 1000 but was '+5'");
			assertThatInvalidRequest(() -> endpoint.orchwf(null, null, null, "\u0665", null))
				.as("a digit of another script")
				.withMessageStartingWith("limit must be a whole number");
			assertThatInvalidRequest(() -> endpoint.orchwf(null, null, null, null, "-1"))
				.withMessage("offset must be a whole number between 0 and 2147483647 but was '-1'");
			assertThatInvalidRequest(() -> endpoint.orchwf(null, null, null, null, "2147483648"))
				.withMessage("offset must be a whole number between 0 and 2147483647 but was '2147483648'");
			assertThatInvalidRequest(() -> endpoint.orchwf(null, null, null, "x".repeat(100), null))
				.withMessage("limit must be a whole number between 1 and 1000 but was '" + "x".repeat(64) + "...'");
		});
	}

	@Test
	void rejectsFilterValuesNoStoreCanHold() {
		run((context, orchestrator, endpoint) -> {
			assertThatInvalidRequest(() -> endpoint.orchwf("a\u0000b", null, null, null, null))
				.withMessage("workflowId must not contain the character U+0000, which no store can hold; remove it");
			assertThatInvalidRequest(() -> endpoint.orchwf("orders\u0000", null, null, null, null))
				.as("checked before trimming")
				.withMessageStartingWith("workflowId must not contain the character U+0000");
			assertThatInvalidRequest(() -> endpoint.orchwf(null, null, "a\u0000b", null, null))
				.withMessageStartingWith("businessId must not contain the character U+0000");
			assertThatInvalidRequest(() -> endpoint.orchwf("ab\uD800", null, null, null, null)).withMessage(
					"workflowId must not contain an unpaired surrogate (U+D800), which no store can hold; remove it");
			assertThatInvalidRequest(() -> endpoint.orchwf(null, null, "\uDC00b", null, null)).withMessage(
					"businessId must not contain an unpaired surrogate (U+DC00), which no store can hold; remove it");
			assertThatInvalidRequest(() -> endpoint.orchwf("w".repeat(256), null, null, null, null))
				.withMessage("workflowId must be at most 255 characters long but has 256");
			assertThatInvalidRequest(() -> endpoint.orchwf(null, null, "b".repeat(256), null, null))
				.withMessage("businessId must be at most 255 characters long but has 256");
			String paired = "\uD83D\uDE00".repeat(255);
			assertThat(endpoint.orchwf(paired, null, paired, null, null).instances().total())
				.as("255 characters outside the BMP are 510 chars but 255 characters")
				.isZero();
		});
	}

	@Test
	void answersBadRequestForAFilterOrAListingTheOrchestratorRefuses() {
		Orchestrator orchestrator = mock(Orchestrator.class);
		given(orchestrator.list(any(), anyInt(), anyInt()))
			.willThrow(new IllegalArgumentException("businessId must be valid Unicode text"));
		OrchwfEndpoint endpoint = new OrchwfEndpoint(orchestrator, mock(StateStore.class), Runnable::run,
				Duration.ofSeconds(1));
		assertThatInvalidRequest(() -> endpoint.orchwf(null, null, "b-1", null, null))
			.withMessage("businessId must be valid Unicode text");
	}

	@Test
	void answersNothingForAnIdTheStoreRefuses() {
		Orchestrator orchestrator = mock(Orchestrator.class);
		given(orchestrator.status(anyString()))
			.willThrow(new IllegalArgumentException("Instance id 'x' is not a UUID"));
		OrchwfEndpoint endpoint = new OrchwfEndpoint(orchestrator, mock(StateStore.class), Runnable::run,
				Duration.ofSeconds(1));
		assertThat(endpoint.instance("x")).isNull();
		assertThat(endpoint.action("x", "resume", null, null, null)).isNull();
		assertThat(endpoint.action("x", "cancel", "why", null, null)).isNull();
		assertThat(endpoint.action("x", "signal", null, "approve", null)).isNull();
	}

	@Test
	void describesAnInstanceWithItsStepsAndHistory() {
		run((context, orchestrator, endpoint) -> {
			WorkflowResult result = orchestrator.start("orders", Map.of("order", "o-1"), Map.of("business_id", "b-1"));
			InstanceDescriptor instance = endpoint.instance(result.instanceId());
			assertThat(instance).isNotNull();
			assertThat(instance.instance().id()).isEqualTo(result.instanceId());
			assertThat(instance.instance().status()).isEqualTo(WorkflowStatus.COMPLETED);
			assertThat(instance.instance().businessId()).isEqualTo("b-1");
			assertThat(instance.instance().completedAt()).isNotNull();
			assertThat(instance.input()).containsEntry("order", "o-1");
			assertThat(instance.output()).containsEntry("valid", true).containsEntry("charged", true);
			assertThat(instance.metadata()).containsEntry("business_id", "b-1");
			assertThat(instance.steps())
				.extracting((step) -> step.stepId() + " " + step.status() + " " + step.attempts())
				.containsExactly("validate COMPLETED 1", "charge COMPLETED 1");
			assertThat(instance.history()).extracting(OrchwfEndpoint.EventDescriptor::type)
				.startsWith(WorkflowEventType.WORKFLOW_STARTED)
				.endsWith(WorkflowEventType.WORKFLOW_COMPLETED)
				.contains(WorkflowEventType.STEP_STARTED, WorkflowEventType.STEP_COMPLETED);
		});
	}

	@Test
	void describesEachStepsKindWithWhatItWaitsFor() {
		StepExecutor noop = (context) -> Map.of();
		WorkflowDefinition kinds = WorkflowDefinition.builder("kinds", "Kinds")
			.step(StepDefinition.builder("validate_order", "Validate", noop).build())
			.step(StepDefinition.awaitSignal("await_approval", "approve-payment")
				.timeout(Duration.ofHours(24))
				.dependsOn("validate_order")
				.build())
			.step(StepDefinition.timer("cool_off", Duration.ofMinutes(30)).dependsOn("await_approval").build())
			.step(StepDefinition.timerUntil("window", (context) -> Instant.EPOCH).dependsOn("cool_off").build())
			.step(StepDefinition.forEach("reserve_lines", "Reserve", "order.lines", noop)
				.maxConcurrency(4)
				.dependsOn("window")
				.build())
			.step(StepDefinition.forEach("notify_all", "Notify", "contacts", noop).dependsOn("window").build())
			.step(StepDefinition.childWorkflow("ship", "orders").dependsOn("reserve_lines").build())
			.build();
		this.runner.withBean("kinds", WorkflowDefinition.class, () -> kinds).run((context) -> {
			OrchwfEndpoint endpoint = context.getBean(OrchwfEndpoint.class);
			List<StepDescriptor> steps = endpoint.orchwf("kinds", null, null, null, null)
				.workflows()
				.stream()
				.filter((workflow) -> workflow.id().equals("kinds"))
				.findFirst()
				.orElseThrow()
				.steps();
			assertThat(steps)
				.extracting((step) -> step.id() + ": " + step.kind() + " signal=" + step.signal() + " timer="
						+ step.timer() + " itemsKey=" + step.itemsKey() + " maxConcurrency=" + step.maxConcurrency()
						+ " childWorkflow=" + step.childWorkflow() + " timeout=" + step.timeout())
				.containsExactly(
						"validate_order: TASK signal=null timer=null itemsKey=null maxConcurrency=null "
								+ "childWorkflow=null timeout=null",
						"await_approval: AWAIT_SIGNAL signal=approve-payment timer=null itemsKey=null "
								+ "maxConcurrency=null childWorkflow=null timeout=PT24H",
						"cool_off: TIMER signal=null timer=PT30M itemsKey=null maxConcurrency=null "
								+ "childWorkflow=null timeout=null",
						"window: TIMER signal=null timer=until itemsKey=null maxConcurrency=null childWorkflow=null "
								+ "timeout=null",
						"reserve_lines: FOR_EACH signal=null timer=null itemsKey=order.lines maxConcurrency=4 "
								+ "childWorkflow=null timeout=null",
						"notify_all: FOR_EACH signal=null timer=null itemsKey=contacts maxConcurrency=null "
								+ "childWorkflow=null timeout=null",
						"ship: CHILD_WORKFLOW signal=null timer=null itemsKey=null maxConcurrency=null "
								+ "childWorkflow=orders timeout=null");
		});
	}

	@Test
	void showsAStepsDurationAsTheEventThatEndedItDoes() {
		// a clock that moves on at every look: the launch of a step, the start of its
		// code
		// and its end are all different instants
		OrchestratorCustomizer ticking = (builder) -> builder.clock(new TickingClock(Duration.ofMillis(7)));
		this.runner.withBean(OrchestratorCustomizer.class, () -> ticking).run((context) -> {
			Orchestrator orchestrator = context.getBean(Orchestrator.class);
			OrchwfEndpoint endpoint = context.getBean(OrchwfEndpoint.class);
			String instanceId = orchestrator.start("orders", Map.of()).instanceId();
			InstanceDescriptor instance = endpoint.instance(instanceId);
			assertThat(instance).isNotNull();
			Map<String, Object> eventDurations = new java.util.HashMap<>();
			instance.history()
				.stream()
				.filter((event) -> event.type() == WorkflowEventType.STEP_COMPLETED)
				.forEach((event) -> eventDurations.put(event.stepId(),
						((Number) event.data().get("durationMs")).longValue()));
			assertThat(instance.steps()).hasSize(2).allSatisfy((step) -> {
				assertThat(step.durationMs()).as(step.stepId())
					.isPositive()
					.isEqualTo(eventDurations.get(step.stepId()));
				Instant launched = instance.history()
					.stream()
					.filter((event) -> event.type() == WorkflowEventType.STEP_STARTED
							&& step.stepId().equals(event.stepId()))
					.findFirst()
					.orElseThrow()
					.timestamp();
				assertThat(step.startedAt()).as("when the code of %s began", step.stepId()).isAfter(launched);
			});
		});
	}

	@Test
	void describesAFailedStepWithItsErrorAndItsType() {
		run((context, orchestrator, endpoint) -> {
			context.getBean(TestWorkflows.class).broken.set(true);
			WorkflowResult result = orchestrator.start("flaky", Map.of());
			InstanceDescriptor instance = endpoint.instance(result.instanceId());
			assertThat(instance).isNotNull();
			assertThat(instance.steps()).singleElement().satisfies((step) -> {
				assertThat(step.status()).isEqualTo(StepStatus.FAILED);
				assertThat(step.error()).isEqualTo("the remote service is down");
				assertThat(step.errorType()).isEqualTo("IllegalStateException");
			});
			InstanceDescriptor completed = endpoint.instance(orchestrator.start("orders", Map.of()).instanceId());
			assertThat(completed).isNotNull();
			assertThat(completed.steps()).allSatisfy((step) -> assertThat(step.errorType()).isNull());
		});
	}

	@Test
	void answersNothingForAnUnknownInstance() {
		run((context, orchestrator, endpoint) -> {
			assertThat(endpoint.instance("missing")).isNull();
			assertThat(endpoint.action("missing", "resume", null, null, null)).isNull();
			assertThat(endpoint.action("missing", "cancel", "why", null, null)).isNull();
			assertThat(endpoint.action("missing", "signal", null, "approve", null)).isNull();
		});
	}

	@Test
	void signalsAnInstance() {
		run((context, orchestrator, endpoint) -> {
			String instanceId = TestWorkflows.startRunning(orchestrator, "approval");
			ActionDescriptor answer = endpoint.action(instanceId, "signal", null, "approve", "{\"by\": \"ann\"}");
			assertThat(answer).isNotNull();
			assertThat(answer.action()).isEqualTo("signal");
			assertThat(answer.done()).isTrue();
			assertThat(answer.instance().status()).isEqualTo(WorkflowStatus.RUNNING);
			assertThat(orchestrator.history(instanceId))
				.filteredOn((event) -> event.type() == WorkflowEventType.SIGNAL_RECEIVED)
				.singleElement()
				.extracting(WorkflowEvent::data)
				.isEqualTo(Map.of("name", "approve", "payload", Map.of("by", "ann")));
			context.getBean(TestWorkflows.class).release.countDown();
			WorkflowResult result = orchestrator.awaitCompletion(instanceId, Duration.ofSeconds(10)).orElseThrow();
			assertThat(result.output()).containsEntry("signals", 1);
		});
	}

	@Test
	void cancelsAnInstanceAndAnswersOnceItHasEnded() {
		run((context, orchestrator, endpoint) -> {
			String instanceId = TestWorkflows.startRunning(orchestrator, "approval");
			ActionDescriptor answer = endpoint.action(instanceId, "CANCEL", "no longer needed", null, null);
			assertThat(answer).isNotNull();
			assertThat(answer.done()).isTrue();
			assertThat(answer.instance().status()).isEqualTo(WorkflowStatus.CANCELLED);
			assertThat(answer.instance().error()).contains("no longer needed");
		});
	}

	@Test
	void refusesToCancelAnInstanceThatHasEnded() {
		run((context, orchestrator, endpoint) -> {
			String completed = orchestrator.start("orders", Map.of()).instanceId();
			assertThatIllegalStateException()
				.isThrownBy(() -> endpoint.action(completed, "cancel", "too late", null, null))
				.withMessage("Instance " + completed + " has already ended (COMPLETED); there is nothing to cancel");
			String failed = orchestrator.start("flaky", Map.of()).instanceId();
			assertThatIllegalStateException()
				.isThrownBy(() -> endpoint.action(failed, "cancel", "too late", null, null))
				.withMessage("Instance " + failed + " has already ended (FAILED); there is nothing to cancel");
			String cancelled = TestWorkflows.startRunning(orchestrator, "approval");
			endpoint.action(cancelled, "cancel", "first", null, null);
			assertThatIllegalStateException()
				.isThrownBy(() -> endpoint.action(cancelled, "cancel", "again", null, null))
				.withMessage("Instance " + cancelled + " has already ended (CANCELLED); there is nothing to cancel");
		});
	}

	@Test
	void refusesACancellationOfAnInstanceThatEndsBeforeItTakesEffect() {
		run((context, orchestrator, endpoint) -> {
			String instanceId = orchestrator.start("orders", Map.of()).instanceId();
			WorkflowInstance completed = orchestrator.status(instanceId).orElseThrow();
			Orchestrator racing = mock(Orchestrator.class);
			// seen running, completed by the time the cancellation arrives
			given(racing.status(instanceId)).willReturn(Optional.of(withStatus(completed, WorkflowStatus.RUNNING)));
			given(racing.cancel(eq(instanceId), anyString())).willReturn(new WorkflowResult(completed));
			OrchwfEndpoint endpoint2 = new OrchwfEndpoint(racing, context.getBean(StateStore.class), Runnable::run,
					Duration.ofSeconds(1));
			assertThatIllegalStateException()
				.isThrownBy(() -> endpoint2.action(instanceId, "cancel", "too late", null, null))
				.withMessage("Instance " + instanceId + " has already ended (COMPLETED); there is nothing to cancel");
		});
	}

	@Test
	void refusesToCancelWithAReasonNoStoreCanHold() {
		run((context, orchestrator, endpoint) -> {
			String instanceId = TestWorkflows.startRunning(orchestrator, "approval");
			assertThatInvalidRequest(() -> endpoint.action(instanceId, "cancel", "a\u0000b", null, null))
				.withMessage("reason must not contain the character U+0000, which no store can hold; remove it");
			assertThatInvalidRequest(() -> endpoint.action(instanceId, "signal", null, "go\uD800", null)).withMessage(
					"name must not contain an unpaired surrogate (U+D800), which no store can hold; remove it");
			assertThat(orchestrator.status(instanceId).orElseThrow().status()).isEqualTo(WorkflowStatus.RUNNING);
		});
	}

	@Test
	void answersACancellationThatTakesLongBeforeItEnds() {
		run((context, orchestrator, endpoint) -> {
			ExecutorService executor = Executors.newCachedThreadPool();
			try {
				OrchwfEndpoint impatient = new OrchwfEndpoint(orchestrator, context.getBean(StateStore.class), executor,
						Duration.ofMillis(50));
				String instanceId = TestWorkflows.startRunning(orchestrator, "stubborn");
				ActionDescriptor answer = impatient.action(instanceId, "cancel", "stop it", null, null);
				assertThat(answer).isNotNull();
				assertThat(answer.done()).isFalse();
				assertThat(answer.instance().status().isTerminal()).isFalse();
				context.getBean(TestWorkflows.class).release.countDown();
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(orchestrator.status(instanceId).orElseThrow().status())
						.isEqualTo(WorkflowStatus.CANCELLED));
			}
			finally {
				executor.shutdownNow();
			}
		});
	}

	@Test
	void resumesAFailedInstanceInTheBackground() {
		run((context, orchestrator, endpoint) -> {
			String instanceId = orchestrator.start("flaky", Map.of()).instanceId();
			context.getBean(TestWorkflows.class).broken.set(false);
			ActionDescriptor answer = endpoint.action(instanceId, "resume", null, null, null);
			assertThat(answer).isNotNull();
			assertThat(answer.done()).isFalse();
			assertThat(answer.instance().status()).isEqualTo(WorkflowStatus.FAILED);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(orchestrator.status(instanceId).orElseThrow().status())
					.isEqualTo(WorkflowStatus.COMPLETED));
			assertThat(orchestrator.history(instanceId)).extracting(WorkflowEvent::type)
				.contains(WorkflowEventType.WORKFLOW_RESUMED);
		});
	}

	@Test
	void refusesToResumeAnInstanceThatHasNotFailed() {
		run((context, orchestrator, endpoint) -> {
			String completed = orchestrator.start("orders", Map.of()).instanceId();
			assertThatIllegalStateException().isThrownBy(() -> endpoint.action(completed, "resume", null, null, null))
				.withMessage("Instance " + completed + " is COMPLETED: only a FAILED instance can be resumed; "
						+ "a completed instance has nothing left to run");
			orchestrator.register(WorkflowDefinition.builder("waiting", "Waiting")
				.step(StepDefinition.awaitSignal("await", "go").build())
				.build());
			String waiting = orchestrator.startAsync("waiting", Map.of());
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(orchestrator.status(waiting).orElseThrow().status())
					.isEqualTo(WorkflowStatus.WAITING));
			assertThatIllegalStateException().isThrownBy(() -> endpoint.action(waiting, "resume", null, null, null))
				.withMessage("Instance " + waiting + " is WAITING: only a FAILED instance can be resumed; a waiting "
						+ "instance goes on by itself when its signal, timer or child arrives, or when its retry "
						+ "delay ends");
			String running = TestWorkflows.startRunning(orchestrator, "approval");
			assertThatIllegalStateException().isThrownBy(() -> endpoint.action(running, "resume", null, null, null))
				.withMessageStartingWith("Instance " + running + " is RUNNING: only a FAILED instance can be resumed");
			assertThat(orchestrator.history(running)).extracting(WorkflowEvent::type)
				.doesNotContain(WorkflowEventType.WORKFLOW_RESUMED);
		});
	}

	@Test
	void rejectsUnknownActionsAndMissingArguments() {
		run((context, orchestrator, endpoint) -> {
			String instanceId = orchestrator.start("orders", Map.of()).instanceId();
			assertThatInvalidRequest(() -> endpoint.action(instanceId, null, null, null, null))
				.withMessage("Missing action: use cancel, resume or signal");
			assertThatInvalidRequest(() -> endpoint.action(instanceId, "dance", null, null, null))
				.withMessage("Unknown action 'dance': use cancel, resume or signal");
			assertThatInvalidRequest(() -> endpoint.action(instanceId, "cancel", " ", null, null))
				.withMessage("Action cancel needs a reason");
			assertThatInvalidRequest(() -> endpoint.action(instanceId, "signal", null, null, "{}"))
				.withMessage("Action signal needs a name");
			assertThatInvalidRequest(() -> endpoint.action(instanceId, "signal", null, "approve", "[1, 2]"))
				.withMessageStartingWith("payload must be a JSON object");
			assertThatInvalidRequest(() -> endpoint.action(instanceId, "signal", null, "approve", "{\"by\": "))
				.withMessageStartingWith("payload must be a JSON object");
			assertThatInvalidRequest(() -> endpoint.action("missing", "dance", null, null, null))
				.withMessageContaining("Unknown action");
		});
	}

	@Test
	void refusesToSignalAFinishedInstance() {
		run((context, orchestrator, endpoint) -> {
			String instanceId = orchestrator.start("orders", Map.of()).instanceId();
			assertThatIllegalStateException()
				.isThrownBy(() -> endpoint.action(instanceId, "signal", null, "approve", null))
				.withMessageContaining("accepts no more signals");
		});
	}

	@Test
	void refusesToResumeAnInstanceOfAVersionThisNodeLacks() {
		run((context, orchestrator, endpoint) -> {
			StateStore store = context.getBean(StateStore.class);
			String instanceId;
			try (Orchestrator other = Orchestrator.builder(store).nodeId("other").build()) {
				other.register(WorkflowDefinition.builder("legacy", "Legacy")
					.version("0.9.0")
					.step(StepDefinition.builder("old", "Old", (stepContext) -> {
						throw new IllegalStateException("gone");
					}).build())
					.build());
				instanceId = other.start("legacy", Map.of(), StartOptions.none()).instanceId();
			}
			assertThat(orchestrator.status(instanceId).orElseThrow().steps().get(0).status())
				.isEqualTo(StepStatus.FAILED);
			assertThatIllegalStateException().isThrownBy(() -> endpoint.action(instanceId, "resume", null, null, null))
				.withMessageContaining("runs on version 0.9.0 of workflow legacy, which this node has not registered");
		});
	}

	private void run(EndpointTest test) {
		this.runner.run((context) -> {
			try {
				test.run(context, context.getBean(Orchestrator.class), context.getBean(OrchwfEndpoint.class));
			}
			finally {
				context.getBean(TestWorkflows.class).release.countDown();
			}
		});
	}

	private static WorkflowInstance withStatus(WorkflowInstance instance, WorkflowStatus status) {
		return new WorkflowInstance(instance.id(), instance.workflowId(), instance.workflowVersion(), status,
				instance.input(), instance.output(), instance.error(), instance.steps(), instance.metadata(),
				instance.traceId(), instance.correlationId(), instance.businessId(), instance.createdAt(),
				instance.startedAt(), instance.completedAt());
	}

	private static ThrowableAssertAlternative<InvalidEndpointRequestException> assertThatInvalidRequest(
			ThrowingCallable call) {
		return assertThatExceptionOfType(InvalidEndpointRequestException.class).isThrownBy(call);
	}

	@FunctionalInterface
	interface EndpointTest {

		void run(AssertableApplicationContext context, Orchestrator orchestrator, OrchwfEndpoint endpoint)
				throws Exception;

	}

	/**
	 * A clock that moves on by a fixed step each time it is read.
	 */
	static final class TickingClock extends Clock {

		private final AtomicLong nanos = new AtomicLong(
				Instant.parse("2030-01-01T00:00:00Z").toEpochMilli() * 1_000_000);

		private final long tick;

		TickingClock(Duration tick) {
			this.tick = tick.toNanos();
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			long now = this.nanos.addAndGet(this.tick);
			return Instant.ofEpochSecond(0, now);
		}

	}

}
