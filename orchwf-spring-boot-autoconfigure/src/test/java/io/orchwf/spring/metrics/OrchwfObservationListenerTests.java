package io.orchwf.spring.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.orchwf.event.WorkflowEventType;
import org.junit.jupiter.api.Test;

import static io.orchwf.spring.metrics.OrchwfMetricsListenerTests.stepEvent;
import static io.orchwf.spring.metrics.OrchwfMetricsListenerTests.workflowEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link OrchwfObservationListener}.
 */
class OrchwfObservationListenerTests {

	private final RecordingHandler handler = new RecordingHandler();

	private final ObservationRegistry registry = ObservationRegistry.create();

	private final AtomicLong nanos = new AtomicLong();

	private final OrchwfObservationListener listener = new OrchwfObservationListener(this.registry, 2,
			Duration.ofMinutes(1), this.nanos::get);

	OrchwfObservationListenerTests() {
		this.registry.observationConfig().observationHandler(this.handler);
	}

	@Test
	void observesAnInstanceAndItsStepAttemptsUntilTheirEnd() {
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_STARTED, "i-1", Map.of()));
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_STARTED, "validate", 1, Map.of()));
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_COMPLETED, "validate", 1, Map.of("durationMs", 3)));
		assertThat(this.handler.started).hasSize(2);
		assertThat(this.handler.stopped).hasSize(1);
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_COMPLETED, "i-1", Map.of("durationMs", 5)));
		assertThat(this.handler.stopped).hasSize(2);
		Observation.Context workflow = this.handler.started.get(0);
		Observation.Context step = this.handler.started.get(1);
		assertThat(workflow.getName()).isEqualTo("orchwf.workflow.execution");
		assertThat(workflow.getContextualName()).isEqualTo("workflow orders");
		assertThat(workflow.getLowCardinalityKeyValues()).containsExactlyInAnyOrder(KeyValue.of("workflow", "orders"),
				KeyValue.of("outcome", "COMPLETED"));
		assertThat(workflow.getHighCardinalityKeyValues()).containsExactly(KeyValue.of("instance.id", "i-1"));
		assertThat(workflow.getError()).isNull();
		assertThat(step.getName()).isEqualTo("orchwf.step.execution");
		assertThat(step.getContextualName()).isEqualTo("step validate");
		assertThat(step.getLowCardinalityKeyValues()).containsExactlyInAnyOrder(KeyValue.of("workflow", "orders"),
				KeyValue.of("step", "validate"), KeyValue.of("outcome", "COMPLETED"));
		assertThat(step.getHighCardinalityKeyValues()).containsExactlyInAnyOrder(KeyValue.of("instance.id", "i-1"),
				KeyValue.of("attempt", "1"));
		assertThat(step.getParentObservation()).isNotNull();
		assertThat(step.getParentObservation().getContextView()).isSameAs(workflow);
		assertThat(this.listener.observedInstances()).isZero();
	}

	@Test
	void closesAFailedAttemptWithItsErrorAndOpensTheRetry() {
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_STARTED, "i-1", Map.of()));
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_STARTED, "charge", 1, Map.of()));
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_RETRYING, "charge", 1,
				Map.of("durationMs", 3, "error", "card declined", "errorType", "declined", "delayMs", 10)));
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_STARTED, "charge", 2, Map.of()));
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_FAILED, "charge", 2,
				Map.of("durationMs", 3, "error", "card declined", "errorType", "declined")));
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_FAILED, "i-1",
				Map.of("durationMs", 9, "error", "step charge failed after 2 attempts: card declined")));
		List<Observation.Context> attempts = this.handler.stopped.subList(0, 2);
		assertThat(attempts).extracting((context) -> context.getLowCardinalityKeyValue("outcome").getValue())
			.containsExactly("RETRYING", "FAILED");
		assertThat(attempts).extracting((context) -> context.getHighCardinalityKeyValue("attempt").getValue())
			.containsExactly("1", "2");
		assertThat(attempts.get(0).getError()).hasMessage("declined: card declined");
		Observation.Context workflow = this.handler.stopped.get(2);
		assertThat(workflow.getLowCardinalityKeyValue("outcome").getValue()).isEqualTo("FAILED");
		assertThat(workflow.getError()).hasMessage("step charge failed after 2 attempts: card declined");
	}

	@Test
	void endOfTheInstanceClosesItsOpenAttempts() {
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_STARTED, "i-1", Map.of()));
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_STARTED, "a", 1, Map.of()));
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_STARTED, "b", 1, Map.of()));
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_CANCELLED, "i-1",
				Map.of("durationMs", 9, "error", "cancelled: asked", "reason", "asked")));
		assertThat(this.handler.stopped).hasSize(3)
			.extracting((context) -> context.getLowCardinalityKeyValue("outcome").getValue())
			.containsExactly("UNKNOWN", "UNKNOWN", "CANCELLED");
		assertThat(this.handler.stopped.get(2).getError()).isNull();
		assertThat(this.handler.events).contains("orchwf.workflow.execution:workflow.cancelled");
	}

	@Test
	void recordsSkipsCompensationsResumptionsAndSignalsAsEvents() {
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_STARTED, "i-1", Map.of()));
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_SKIPPED, "a", 0, Map.of("reason", "condition")));
		this.listener.onEvent(workflowEvent(WorkflowEventType.SIGNAL_RECEIVED, "i-1", Map.of("name", "approve")));
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_COMPENSATED, "b", 1, Map.of("durationMs", 1)));
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_FAILED, "c", 1,
				Map.of("durationMs", 1, "error", "compensation failed: boom", "errorType", "x", "compensation", true)));
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_RESUMED, "i-1", Map.of("reason", "resumed")));
		assertThat(this.handler.started).hasSize(1);
		assertThat(this.handler.events).containsExactly("orchwf.workflow.execution:step.skipped",
				"orchwf.workflow.execution:signal.received", "orchwf.workflow.execution:step.compensated",
				"orchwf.workflow.execution:step.compensation.failed", "orchwf.workflow.execution:workflow.resumed");
	}

	@Test
	void opensNothingForInstancesItDoesNotObserve() {
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_COMPLETED, "a", 1, Map.of("durationMs", 1)));
		this.listener.onEvent(workflowEvent(WorkflowEventType.SIGNAL_RECEIVED, "i-1", Map.of("name", "approve")));
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_COMPLETED, "i-1", Map.of("durationMs", 1)));
		assertThat(this.handler.started).isEmpty();
		assertThat(this.listener.observedInstances()).isZero();
	}

	@Test
	void observesAnInstanceThatGoesOnHereFromItsFirstStep() {
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_STARTED, "approve", 1, Map.of()));
		assertThat(this.handler.started).extracting(Observation.Context::getName)
			.containsExactly("orchwf.workflow.execution", "orchwf.step.execution");
	}

	@Test
	void keepsABoundedNumberOfInstances() {
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_STARTED, "i-1", Map.of()));
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_STARTED, "i-1", "a", 1, Map.of()));
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_STARTED, "i-2", Map.of()));
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_STARTED, "i-3", Map.of()));
		assertThat(this.listener.observedInstances()).isEqualTo(2);
		assertThat(this.handler.stopped).hasSize(2)
			.allSatisfy((context) -> assertThat(context.getHighCardinalityKeyValue("instance.id").getValue())
				.isEqualTo("i-1"))
			.allSatisfy((context) -> assertThat(context.getLowCardinalityKeyValue("outcome").getValue())
				.isEqualTo("UNKNOWN"));
	}

	@Test
	void letsGoOfIdleInstancesAndObservesThemAnewWhenTheyComeBack() {
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_STARTED, "i-1", Map.of()));
		this.nanos.addAndGet(Duration.ofMinutes(2).toNanos());
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_STARTED, "i-2", Map.of()));
		assertThat(this.listener.observedInstances()).isOne();
		assertThat(this.handler.stopped).singleElement()
			.satisfies((context) -> assertThat(context.getHighCardinalityKeyValue("instance.id").getValue())
				.isEqualTo("i-1"));
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_STARTED, "i-1", "a", 1, Map.of()));
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_COMPLETED, "i-1", "a", 1, Map.of("durationMs", 1)));
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_COMPLETED, "i-1", Map.of("durationMs", 1)));
		assertThat(this.handler.stopped).hasSize(3)
			.last()
			.satisfies((context) -> assertThat(context.getLowCardinalityKeyValue("outcome").getValue())
				.isEqualTo("COMPLETED"));
	}

	@Test
	void closeClosesEveryOpenObservation() {
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_STARTED, "i-1", Map.of()));
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_STARTED, "i-1", "a", 1, Map.of()));
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_STARTED, "i-2", Map.of()));
		this.listener.close();
		assertThat(this.handler.stopped).hasSize(3);
		assertThat(this.listener.observedInstances()).isZero();
	}

	@Test
	void usesConventionsOfItsOwn() {
		this.listener.setWorkflowObservationConvention(new DefaultWorkflowObservationConvention() {

			@Override
			public String getContextualName(WorkflowObservationContext context) {
				return "run " + context.getWorkflowId();
			}

		});
		this.listener.setStepObservationConvention(new DefaultStepObservationConvention() {

			@Override
			public KeyValues getLowCardinalityKeyValues(StepObservationContext context) {
				return super.getLowCardinalityKeyValues(context).and("team", "shop");
			}

		});
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_STARTED, "a", 1, Map.of()));
		this.listener.close();
		assertThat(this.handler.started.get(0).getContextualName()).isEqualTo("run orders");
		assertThat(this.handler.started.get(1).getLowCardinalityKeyValue("team").getValue()).isEqualTo("shop");
	}

	@Test
	void keepsTheObservationLifecycleValid() {
		TestObservationRegistry testRegistry = TestObservationRegistry.create();
		OrchwfObservationListener listener = new OrchwfObservationListener(testRegistry);
		listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_STARTED, "i-1", Map.of()));
		listener.onEvent(stepEvent(WorkflowEventType.STEP_STARTED, "a", 1, Map.of()));
		listener.onEvent(stepEvent(WorkflowEventType.STEP_RETRYING, "a", 1, Map.of("durationMs", 1, "error", "x")));
		listener.onEvent(stepEvent(WorkflowEventType.STEP_STARTED, "a", 2, Map.of()));
		listener.onEvent(stepEvent(WorkflowEventType.STEP_COMPLETED, "a", 2, Map.of("durationMs", 1)));
		listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_COMPLETED, "i-1", Map.of("durationMs", 1)));
		TestObservationRegistryAssert.assertThat(testRegistry)
			.hasNumberOfObservationsWithNameEqualTo("orchwf.step.execution", 2)
			.hasObservationWithNameEqualTo("orchwf.workflow.execution")
			.that()
			.hasBeenStarted()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("outcome", "COMPLETED")
			.doesNotHaveLowCardinalityKeyValueWithKey("instance.id");
	}

	@Test
	void keepsNothingWhenNoHandlerListens() {
		OrchwfObservationListener listener = new OrchwfObservationListener(ObservationRegistry.create());
		listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_STARTED, "i-1", Map.of()));
		listener.onEvent(stepEvent(WorkflowEventType.STEP_STARTED, "a", 1, Map.of()));
		assertThat(listener.observedInstances()).isZero();
	}

	@Test
	void rejectsInvalidBounds() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new OrchwfObservationListener(this.registry, 0, Duration.ofMinutes(1), this.nanos::get))
			.withMessageContaining("maxInstances");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new OrchwfObservationListener(this.registry, 1, Duration.ZERO, this.nanos::get))
			.withMessageContaining("maxIdle");
	}

	/**
	 * Records what the observations went through, in order.
	 */
	static class RecordingHandler implements ObservationHandler<Observation.Context> {

		final List<Observation.Context> started = new CopyOnWriteArrayList<>();

		final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

		final List<String> events = new CopyOnWriteArrayList<>();

		@Override
		public void onStart(Observation.Context context) {
			this.started.add(context);
		}

		@Override
		public void onStop(Observation.Context context) {
			this.stopped.add(context);
		}

		@Override
		public void onEvent(Observation.Event event, Observation.Context context) {
			this.events.add(context.getName() + ":" + event.getName());
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

}
