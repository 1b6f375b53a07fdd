package io.orchwf.spring.metrics;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OrchwfMetricsListener}.
 */
class OrchwfMetricsListenerTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final OrchwfMetricsListener listener = new OrchwfMetricsListener(this.registry);

	@Test
	void countsStartedInstancesByWorkflow() {
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_STARTED, "i-1", Map.of()));
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_STARTED, "i-2", Map.of()));
		assertThat(this.registry.get("orchwf.workflow.started").tag("workflow", "orders").counter().count())
			.isEqualTo(2);
	}

	@Test
	void timesFinishedInstancesByStatus() {
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_COMPLETED, "i-1", Map.of("durationMs", 120)));
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_FAILED, "i-2",
				Map.of("durationMs", 30L, "error", "step a failed after 1 attempt: boom")));
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_CANCELLED, "i-3",
				Map.of("durationMs", 7, "error", "cancelled: asked", "reason", "asked")));
		assertThat(workflowTimerMillis("COMPLETED")).isEqualTo(120);
		assertThat(workflowTimerMillis("FAILED")).isEqualTo(30);
		assertThat(workflowTimerMillis("CANCELLED")).isEqualTo(7);
	}

	@Test
	void timesStepAttemptsByOutcomeAndCountsRetries() {
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_STARTED, "charge", 1, Map.of()));
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_RETRYING, "charge", 1,
				Map.of("durationMs", 10, "error", "boom", "errorType", "flaky", "delayMs", 0)));
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_STARTED, "charge", 2, Map.of()));
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_COMPLETED, "charge", 2, Map.of("durationMs", 20)));
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_FAILED, "ship", 1,
				Map.of("durationMs", 5, "error", "boom", "errorType", "IllegalStateException")));
		assertThat(stepTimer("charge", "RETRYING").count()).isOne();
		assertThat(stepTimer("charge", "COMPLETED").totalTime(TimeUnit.MILLISECONDS)).isEqualTo(20);
		assertThat(stepTimer("ship", "FAILED").count()).isOne();
		assertThat(
				this.registry.get("orchwf.step.retries").tags("workflow", "orders", "step", "charge").counter().count())
			.isOne();
	}

	@Test
	void timesCompensationsApart() {
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_COMPENSATED, "charge", 1, Map.of("durationMs", 3)));
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_FAILED, "reserve", 1,
				Map.of("durationMs", 4, "error", "compensation failed: boom", "errorType", "x", "compensation", true)));
		assertThat(stepTimer("charge", "COMPENSATED").count()).isOne();
		assertThat(stepTimer("reserve", "COMPENSATION_FAILED").count()).isOne();
		assertThat(this.registry.find("orchwf.step.duration").tag("outcome", "FAILED").timer()).isNull();
	}

	@Test
	void doesNotTimeStepsThatFailedWithoutRunning() {
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_FAILED, "charge", 1,
				Map.of("error", "not retried: workflow cancelled: asked", "errorType", "interrupted")));
		assertThat(this.registry.find("orchwf.step.duration").timer()).isNull();
	}

	@Test
	void recordsNothingForSkipsSignalsAndResumptions() {
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_SKIPPED, "charge", 0, Map.of("reason", "condition")));
		this.listener.onEvent(workflowEvent(WorkflowEventType.SIGNAL_RECEIVED, "i-1", Map.of("name", "go")));
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_RESUMED, "i-1", Map.of("reason", "resumed")));
		assertThat(this.registry.getMeters()).isEmpty();
	}

	@Test
	void tagsNeverCarryInstanceIds() {
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_STARTED, "i-1", Map.of()));
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_RETRYING, "charge", 1, Map.of("durationMs", 1)));
		this.listener.onEvent(stepEvent(WorkflowEventType.STEP_COMPLETED, "charge", 2, Map.of("durationMs", 1)));
		this.listener.onEvent(workflowEvent(WorkflowEventType.WORKFLOW_COMPLETED, "i-1", Map.of("durationMs", 2)));
		assertThat(this.registry.getMeters()).hasSize(5)
			.flatExtracting((Meter meter) -> meter.getId().getTags())
			.extracting(Tag::getKey)
			.containsOnly("workflow", "step", "status", "outcome");
	}

	private long workflowTimerMillis(String status) {
		return (long) this.registry.get("orchwf.workflow.duration")
			.tags("workflow", "orders", "status", status)
			.timer()
			.totalTime(TimeUnit.MILLISECONDS);
	}

	private io.micrometer.core.instrument.Timer stepTimer(String step, String outcome) {
		return this.registry.get("orchwf.step.duration")
			.tags("workflow", "orders", "step", step, "outcome", outcome)
			.timer();
	}

	static WorkflowEvent workflowEvent(WorkflowEventType type, String instanceId, Map<String, Object> data) {
		return new WorkflowEvent(type, instanceId, "orders", null, 0, Instant.now(), data);
	}

	static WorkflowEvent stepEvent(WorkflowEventType type, @Nullable String stepId, int attempt,
			Map<String, Object> data) {
		return stepEvent(type, "i-1", stepId, attempt, data);
	}

	static WorkflowEvent stepEvent(WorkflowEventType type, String instanceId, @Nullable String stepId, int attempt,
			Map<String, Object> data) {
		return new WorkflowEvent(type, instanceId, "orders", stepId, attempt, Instant.now(), data);
	}

}
