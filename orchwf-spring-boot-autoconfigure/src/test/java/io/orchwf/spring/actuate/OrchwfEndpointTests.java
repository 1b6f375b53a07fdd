package io.orchwf.spring.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

import io.orchwf.FailurePolicy;
import io.orchwf.Orchestrator;
import io.orchwf.StartOptions;
import io.orchwf.StepDefinition;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.spring.actuate.OrchwfEndpoint.ActionDescriptor;
import io.orchwf.spring.actuate.OrchwfEndpoint.InstanceDescriptor;
import io.orchwf.spring.actuate.OrchwfEndpoint.InstanceSummary;
import io.orchwf.spring.actuate.OrchwfEndpoint.OrchwfDescriptor;
import io.orchwf.spring.actuate.OrchwfEndpoint.StepDescriptor;
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
					new StepDescriptor("validate", "Validate", "", List.of(), false, true, 0, null, null, false),
					new StepDescriptor("charge", "Charge", "", List.of("validate"), false, true, 0, 2, "PT30S", true));
			assertThat(descriptor.counts()).containsEntry(WorkflowStatus.COMPLETED, 2L)
				.containsEntry(WorkflowStatus.FAILED, 1L)
				.containsEntry(WorkflowStatus.RUNNING, 0L)
				.hasSize(WorkflowStatus.values().length);
			assertThat(descriptor.instances().total()).isEqualTo(3);
			assertThat(descriptor.instances().limit()).isEqualTo(OrchwfEndpoint.DEFAULT_LIMIT);
			assertThat(descriptor.instances().offset()).isZero();
			assertThat(descriptor.instances().items()).extracting(InstanceSummary::id)
				.containsExactlyInAnyOrder(first, second, failed);
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
			OrchwfDescriptor page = endpoint.orchwf("orders", null, null, 1, 1);
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
			assertThatInvalidRequest(() -> endpoint.orchwf(null, null, null, 0, null))
				.withMessageContaining("limit must be between 1 and 1000 but was 0");
			assertThatInvalidRequest(() -> endpoint.orchwf(null, null, null, 1001, null))
				.withMessageContaining("but was 1001");
			assertThatInvalidRequest(() -> endpoint.orchwf(null, null, null, null, -1))
				.withMessageContaining("offset must not be negative");
		});
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
	void cancellingAFinishedInstanceChangesNothing() {
		run((context, orchestrator, endpoint) -> {
			String instanceId = orchestrator.start("orders", Map.of()).instanceId();
			ActionDescriptor answer = endpoint.action(instanceId, "cancel", "too late", null, null);
			assertThat(answer).isNotNull();
			assertThat(answer.done()).isTrue();
			assertThat(answer.instance().status()).isEqualTo(WorkflowStatus.COMPLETED);
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
	void resumingACompletedInstanceChangesNothing() {
		run((context, orchestrator, endpoint) -> {
			String instanceId = orchestrator.start("orders", Map.of()).instanceId();
			ActionDescriptor answer = endpoint.action(instanceId, "resume", null, null, null);
			assertThat(answer).isNotNull();
			assertThat(answer.done()).isTrue();
			assertThat(answer.instance().status()).isEqualTo(WorkflowStatus.COMPLETED);
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

	private static ThrowableAssertAlternative<InvalidEndpointRequestException> assertThatInvalidRequest(
			ThrowingCallable call) {
		return assertThatExceptionOfType(InvalidEndpointRequestException.class).isThrownBy(call);
	}

	@FunctionalInterface
	interface EndpointTest {

		void run(AssertableApplicationContext context, Orchestrator orchestrator, OrchwfEndpoint endpoint)
				throws Exception;

	}

}
