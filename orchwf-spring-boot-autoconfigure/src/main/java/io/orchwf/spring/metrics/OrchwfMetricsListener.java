package io.orchwf.spring.metrics;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.OrchestratorListener;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventListener;
import io.orchwf.event.WorkflowEventType;

/**
 * Records the orchwf meters that follow workflow events in a {@link MeterRegistry}.
 *
 * <ul>
 * <li>{@value #WORKFLOW_STARTED}: counter of started instances, tag
 * {@code workflow}.</li>
 * <li>{@value #WORKFLOW_DURATION}: timer of finished instances, from their start to their
 * end, tags {@code workflow} and {@code status} ({@code COMPLETED}, {@code FAILED},
 * {@code CANCELLED}).</li>
 * <li>{@value #STEP_DURATION}: timer of step attempts, tags {@code workflow},
 * {@code step} and {@code outcome}: {@code COMPLETED}, {@code RETRYING} (the attempt
 * failed and the step will be retried), {@code FAILED} (the step failed for good), and
 * for compensators {@code COMPENSATED} or {@code COMPENSATION_FAILED}.</li>
 * <li>{@value #STEP_RETRIES}: counter of retries, tags {@code workflow} and
 * {@code step}.</li>
 * <li>{@value #RETENTION_DELETED}: counter of finished instances this node deleted once
 * their retention had passed, tag {@code status} ({@code COMPLETED}, {@code FAILED},
 * {@code CANCELLED}).</li>
 * <li>{@value #SCHEDULE_FIRED}: counter of schedule ticks this node fired (one node
 * counts each tick), tags {@code schedule} and {@code workflow}.</li>
 * </ul>
 *
 * <p>
 * Tags carry workflow and step ids, never instance ids, so that the number of time series
 * is bounded by the registered workflows. Durations are the ones the engine measured and
 * stored with the events. The gauges are bound by {@link OrchwfMeterBinder}.
 */
public class OrchwfMetricsListener implements WorkflowEventListener, OrchestratorListener {

	/** Name of the counter of started instances. */
	public static final String WORKFLOW_STARTED = "orchwf.workflow.started";

	/** Name of the timer of finished instances. */
	public static final String WORKFLOW_DURATION = "orchwf.workflow.duration";

	/** Name of the timer of step attempts. */
	public static final String STEP_DURATION = "orchwf.step.duration";

	/** Name of the counter of step retries. */
	public static final String STEP_RETRIES = "orchwf.step.retries";

	/** Name of the counter of instances deleted by retention. */
	public static final String RETENTION_DELETED = "orchwf.retention.deleted";

	/** Name of the counter of fired schedule ticks. */
	public static final String SCHEDULE_FIRED = "orchwf.schedule.fired";

	/** Tag holding a schedule's name. */
	public static final String TAG_SCHEDULE = "schedule";

	/** Tag holding the workflow id. */
	public static final String TAG_WORKFLOW = "workflow";

	/** Tag holding the step id. */
	public static final String TAG_STEP = "step";

	/** Tag holding how a workflow instance ended. */
	public static final String TAG_STATUS = "status";

	/** Tag holding how a step attempt ended. */
	public static final String TAG_OUTCOME = "outcome";

	private final MeterProvider<Counter> started;

	private final MeterProvider<Timer> workflowDuration;

	private final MeterProvider<Timer> stepDuration;

	private final MeterProvider<Counter> retries;

	private final MeterProvider<Counter> deleted;

	private final MeterProvider<Counter> fired;

	/**
	 * Create a listener recording in the given registry.
	 * @param registry where the meters go
	 */
	public OrchwfMetricsListener(MeterRegistry registry) {
		this.started = Counter.builder(WORKFLOW_STARTED)
			.description("Workflow instances started")
			.withRegistry(registry);
		this.workflowDuration = Timer.builder(WORKFLOW_DURATION)
			.description("Duration of finished workflow instances, from their start to their end")
			.withRegistry(registry);
		this.stepDuration = Timer.builder(STEP_DURATION)
			.description("Duration of step attempts and compensations")
			.withRegistry(registry);
		this.retries = Counter.builder(STEP_RETRIES)
			.description("Step attempts that failed and are retried")
			.withRegistry(registry);
		this.deleted = Counter.builder(RETENTION_DELETED)
			.description("Finished workflow instances deleted once their retention had passed")
			.withRegistry(registry);
		this.fired = Counter.builder(SCHEDULE_FIRED)
			.description("Schedule ticks fired, each starting one instance")
			.withRegistry(registry);
	}

	@Override
	public void scheduleFired(String scheduleName, String workflowId, String instanceId, Instant tick) {
		this.fired.withTags(TAG_SCHEDULE, scheduleName, TAG_WORKFLOW, workflowId).increment();
	}

	@Override
	public void instancesDeleted(WorkflowStatus status, int count) {
		this.deleted.withTags(TAG_STATUS, status.name()).increment(count);
	}

	@Override
	public void onEvent(WorkflowEvent event) {
		switch (event.type()) {
			case WORKFLOW_STARTED -> this.started.withTags(TAG_WORKFLOW, event.workflowId()).increment();
			case WORKFLOW_COMPLETED, WORKFLOW_FAILED, WORKFLOW_CANCELLED -> recordWorkflowEnd(event);
			case STEP_COMPLETED -> recordStep(event, "COMPLETED");
			case STEP_RETRYING -> {
				recordStep(event, "RETRYING");
				this.retries.withTags(TAG_WORKFLOW, event.workflowId(), TAG_STEP, stepId(event)).increment();
			}
			case STEP_FAILED -> recordStep(event, isCompensation(event) ? "COMPENSATION_FAILED" : "FAILED");
			case STEP_COMPENSATED -> recordStep(event, "COMPENSATED");
			default -> {
				// resumptions, skips and signals have no meter of their own
			}
		}
	}

	private void recordWorkflowEnd(WorkflowEvent event) {
		long durationMs = durationMs(event);
		if (durationMs >= 0) {
			this.workflowDuration.withTags(TAG_WORKFLOW, event.workflowId(), TAG_STATUS, status(event.type()))
				.record(durationMs, TimeUnit.MILLISECONDS);
		}
	}

	private void recordStep(WorkflowEvent event, String outcome) {
		// a step failed because its workflow stopped, before an attempt ran, has no
		// duration: nothing was timed
		long durationMs = durationMs(event);
		if (durationMs >= 0) {
			this.stepDuration.withTags(TAG_WORKFLOW, event.workflowId(), TAG_STEP, stepId(event), TAG_OUTCOME, outcome)
				.record(durationMs, TimeUnit.MILLISECONDS);
		}
	}

	private static String status(WorkflowEventType type) {
		return switch (type) {
			case WORKFLOW_COMPLETED -> "COMPLETED";
			case WORKFLOW_FAILED -> "FAILED";
			default -> "CANCELLED";
		};
	}

	static long durationMs(WorkflowEvent event) {
		return (event.data().get("durationMs") instanceof Number duration) ? duration.longValue() : -1;
	}

	static boolean isCompensation(WorkflowEvent event) {
		return Boolean.TRUE.equals(event.data().get("compensation"));
	}

	private static String stepId(WorkflowEvent event) {
		return (event.stepId() != null) ? event.stepId() : "";
	}

}
