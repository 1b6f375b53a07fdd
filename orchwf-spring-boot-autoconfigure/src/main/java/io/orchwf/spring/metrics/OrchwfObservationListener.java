package io.orchwf.spring.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.orchwf.StepContext;
import io.orchwf.StepInterceptor;
import io.orchwf.StepInvocation;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventListener;
import io.orchwf.event.WorkflowEventType;
import org.jspecify.annotations.Nullable;

/**
 * Turns workflow events into Micrometer Observations, so that with Micrometer Tracing
 * every workflow instance becomes a span and every step attempt a child span of it; and,
 * as a {@link StepInterceptor} of the orchestrator, runs each step's code in the scope of
 * its step's observation.
 *
 * <p>
 * An observation of the instance opens when it starts, is resumed, or starts a step on
 * this node; it closes when the instance completes, fails or is cancelled, with the
 * outcome as low-cardinality key value. An observation of a step attempt opens when the
 * attempt starts and closes when it completes, fails or is to be retried. Skipped and
 * compensated steps, resumptions and signals are recorded as events of the instance's
 * observation. Only workflow ids, step ids and outcomes are low-cardinality; the instance
 * id and the attempt are high-cardinality (see
 * {@link DefaultWorkflowObservationConvention} and
 * {@link DefaultStepObservationConvention}).
 *
 * <p>
 * The code of a step attempt, and of each element of a forEach step, runs in the scope of
 * the step's observation, which the event of its start opened: inside it,
 * {@link ObservationRegistry#getCurrentObservation()} is that observation, so that
 * observations and spans opened by the code are its children, and log correlation shows
 * the step's trace. A compensator runs in the scope of the instance's observation. No
 * observation is created for the scope: the step's observation is the one its events open
 * and close, with the outcome they tell. An orchestrator built by hand registers the
 * listener twice, with {@code listener(observations)} and
 * {@code stepInterceptor(observations)}; the auto-configuration does both, the
 * interceptor at {@link #ORDER}, before (outside) the application's own.
 *
 * <p>
 * An instance may wait for days, or go on on another node, so that this node never sees
 * its end. The open observations are therefore bounded: at most
 * {@value #DEFAULT_MAX_INSTANCES} instances, none untouched for longer than
 * {@link #DEFAULT_MAX_IDLE}. An instance that falls out is closed with outcome
 * {@value WorkflowObservationContext#UNKNOWN}, and observed anew if it comes back.
 * {@link #close()} closes every open observation the same way.
 */
public class OrchwfObservationListener implements WorkflowEventListener, StepInterceptor, AutoCloseable {

	/**
	 * The order the auto-configuration gives this listener among the orchestrator's step
	 * interceptors (Spring's {@code @Order}): early, so that the application's own
	 * interceptors run inside the step's observation.
	 */
	public static final int ORDER = Integer.MIN_VALUE + 1000;

	/** How many instances are observed at most at once. */
	public static final int DEFAULT_MAX_INSTANCES = 10_000;

	/** How long an instance is observed without any event before it is let go. */
	public static final Duration DEFAULT_MAX_IDLE = Duration.ofHours(1);

	private static final WorkflowObservationConvention DEFAULT_WORKFLOW_CONVENTION = new DefaultWorkflowObservationConvention();

	private static final StepObservationConvention DEFAULT_STEP_CONVENTION = new DefaultStepObservationConvention();

	private final ObservationRegistry registry;

	private final int maxInstances;

	private final long maxIdleNanos;

	private final LongSupplier nanoClock;

	/** The observed instances, least recently touched first; guarded by itself. */
	private final LinkedHashMap<String, ObservedInstance> instances = new LinkedHashMap<>(64, 0.75f, true);

	private volatile @Nullable WorkflowObservationConvention workflowConvention;

	private volatile @Nullable StepObservationConvention stepConvention;

	/**
	 * Create a listener with the default bounds.
	 * @param registry where the observations go
	 */
	public OrchwfObservationListener(ObservationRegistry registry) {
		this(registry, DEFAULT_MAX_INSTANCES, DEFAULT_MAX_IDLE, System::nanoTime);
	}

	OrchwfObservationListener(ObservationRegistry registry, int maxInstances, Duration maxIdle,
			LongSupplier nanoClock) {
		if (maxInstances < 1) {
			throw new IllegalArgumentException("maxInstances must be >= 1 but was " + maxInstances);
		}
		if (maxIdle.isNegative() || maxIdle.isZero()) {
			throw new IllegalArgumentException("maxIdle must be positive but was " + maxIdle);
		}
		this.registry = registry;
		this.maxInstances = maxInstances;
		this.maxIdleNanos = maxIdle.toNanos();
		this.nanoClock = nanoClock;
	}

	/**
	 * Use a convention of one's own for the observations of workflow instances.
	 * @param convention the convention, or {@code null} for the default
	 */
	public void setWorkflowObservationConvention(@Nullable WorkflowObservationConvention convention) {
		this.workflowConvention = convention;
	}

	/**
	 * Use a convention of one's own for the observations of step attempts.
	 * @param convention the convention, or {@code null} for the default
	 */
	public void setStepObservationConvention(@Nullable StepObservationConvention convention) {
		this.stepConvention = convention;
	}

	@Override
	public void onEvent(WorkflowEvent event) {
		if (this.registry.isNoop()) {
			// no handler would see anything: keep nothing
			return;
		}
		switch (event.type()) {
			case WORKFLOW_COMPLETED, WORKFLOW_FAILED, WORKFLOW_CANCELLED -> {
				ObservedInstance observed;
				synchronized (this.instances) {
					observed = this.instances.remove(event.instanceId());
				}
				if (observed != null) {
					observed.end(event);
				}
			}
			case WORKFLOW_STARTED, WORKFLOW_RESUMED, STEP_STARTED -> {
				// opens observations; an instance let go in the meantime is tracked anew
				ObservedInstance observed = touch(event, true);
				while (observed != null && !observed.handle(event)) {
					observed = touch(event, true);
				}
			}
			default -> {
				ObservedInstance observed = touch(event, false);
				if (observed != null) {
					observed.handle(event);
				}
			}
		}
	}

	/**
	 * Run a step's code in the scope of its step's observation, or a compensator's in the
	 * scope of its instance's; without such an observation (none is recorded, or this
	 * node stopped observing the instance), just run it.
	 * @param invocation the step's code
	 * @return what the code returned
	 * @throws Exception what the code threw
	 */
	@Override
	public @Nullable Map<String, Object> intercept(StepInvocation invocation) throws Exception {
		Observation observation = this.registry.isNoop() ? null : observationOf(invocation);
		if (observation == null || observation.isNoop()) {
			// nothing observes this step (its observation is disabled, say): no scope
			return invocation.proceed();
		}
		try (Observation.Scope scope = observation.openScope()) {
			return invocation.proceed();
		}
	}

	private @Nullable Observation observationOf(StepInvocation invocation) {
		StepContext context = invocation.context();
		ObservedInstance observed;
		synchronized (this.instances) {
			observed = this.instances.get(context.instanceId());
		}
		return (observed != null) ? observed.scopeOf(context.stepId(), invocation.isCompensation()) : null;
	}

	/**
	 * Close every open observation with outcome
	 * {@value WorkflowObservationContext#UNKNOWN}, when this node stops driving
	 * instances.
	 */
	@Override
	public void close() {
		List<ObservedInstance> open;
		synchronized (this.instances) {
			open = new ArrayList<>(this.instances.values());
			this.instances.clear();
		}
		open.forEach(ObservedInstance::abandon);
	}

	/**
	 * How many instances are observed at this moment.
	 * @return the number of instances with an open observation
	 */
	int observedInstances() {
		synchronized (this.instances) {
			return this.instances.size();
		}
	}

	private @Nullable ObservedInstance touch(WorkflowEvent event, boolean track) {
		List<ObservedInstance> evicted = List.of();
		ObservedInstance observed;
		synchronized (this.instances) {
			long now = this.nanoClock.getAsLong();
			observed = track
					? this.instances.computeIfAbsent(event.instanceId(),
							(instanceId) -> new ObservedInstance(event.workflowId(), instanceId))
					: this.instances.get(event.instanceId());
			if (observed != null) {
				observed.touchedAt = now;
			}
			Iterator<ObservedInstance> eldest = this.instances.values().iterator();
			while (eldest.hasNext()) {
				ObservedInstance candidate = eldest.next();
				if (this.instances.size() <= this.maxInstances && now - candidate.touchedAt <= this.maxIdleNanos) {
					break;
				}
				eldest.remove();
				if (evicted.isEmpty()) {
					evicted = new ArrayList<>(1);
				}
				evicted.add(candidate);
			}
		}
		// closed outside the lock: handlers may be slow, and other instances go on
		evicted.forEach(ObservedInstance::abandon);
		return observed;
	}

	private static @Nullable String describe(WorkflowEvent event) {
		Object error = event.data().get("error");
		Object type = event.data().get("errorType");
		if (error == null) {
			return (type != null) ? type.toString() : null;
		}
		return (type != null) ? type + ": " + error : error.toString();
	}

	/**
	 * The open observations of one instance. Its events arrive in order, but a signal may
	 * arrive beside them and eviction happens on other threads, hence the lock.
	 */
	private final class ObservedInstance {

		private final String workflowId;

		private final String instanceId;

		/** When an event last touched it; guarded by {@link #instances}. */
		private long touchedAt;

		private @Nullable Observation workflow;

		private @Nullable WorkflowObservationContext workflowContext;

		private final Map<String, OpenStep> steps = new HashMap<>(4);

		private boolean closed;

		ObservedInstance(String workflowId, String instanceId) {
			this.workflowId = workflowId;
			this.instanceId = instanceId;
		}

		/**
		 * Record one event that is not the instance's end.
		 * @return {@code false} if the instance was let go meanwhile
		 */
		synchronized boolean handle(WorkflowEvent event) {
			if (this.closed) {
				return false;
			}
			String stepId = (event.stepId() != null) ? event.stepId() : "";
			switch (event.type()) {
				case WORKFLOW_STARTED -> workflow();
				case WORKFLOW_RESUMED -> workflow().event(Observation.Event.of("workflow.resumed",
						"resumed: " + event.data().getOrDefault("reason", "resumed")));
				case STEP_STARTED -> startStep(stepId, event.attempt());
				case STEP_COMPLETED -> stopStep(stepId, "COMPLETED", null);
				case STEP_RETRYING -> stopStep(stepId, "RETRYING", describe(event));
				case STEP_FAILED -> {
					if (OrchwfMetricsListener.isCompensation(event)) {
						note("step.compensation.failed", "compensation of step " + stepId + " failed");
					}
					else {
						stopStep(stepId, "FAILED", describe(event));
					}
				}
				case STEP_SKIPPED -> note("step.skipped", "step " + stepId + " skipped");
				case STEP_COMPENSATED -> note("step.compensated", "step " + stepId + " compensated");
				case SIGNAL_RECEIVED -> note("signal.received", "signal " + event.data().get("name") + " received");
				default -> {
					// the ends of the instance go through end()
				}
			}
			return true;
		}

		/**
		 * The observation the code of a step runs in.
		 * @return the step's open observation, or the instance's for a compensation;
		 * {@code null} if there is none
		 */
		synchronized @Nullable Observation scopeOf(String stepId, boolean compensation) {
			if (this.closed) {
				return null;
			}
			if (compensation) {
				return this.workflow;
			}
			OpenStep step = this.steps.get(stepId);
			return (step != null) ? step.observation() : null;
		}

		synchronized void end(WorkflowEvent event) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			closeSteps();
			if (this.workflow == null || this.workflowContext == null) {
				return;
			}
			if (event.type() == WorkflowEventType.WORKFLOW_COMPLETED) {
				this.workflowContext.setOutcome("COMPLETED");
			}
			else if (event.type() == WorkflowEventType.WORKFLOW_FAILED) {
				this.workflowContext.setOutcome("FAILED");
				this.workflow.error(new WorkflowFailure(describe(event)));
			}
			else {
				this.workflowContext.setOutcome("CANCELLED");
				note("workflow.cancelled", "cancelled: " + event.data().getOrDefault("reason", "cancelled"));
			}
			this.workflow.stop();
		}

		synchronized void abandon() {
			if (this.closed) {
				return;
			}
			this.closed = true;
			closeSteps();
			if (this.workflow != null) {
				this.workflow.stop();
			}
		}

		private Observation workflow() {
			Observation observation = this.workflow;
			if (observation == null) {
				WorkflowObservationContext context = new WorkflowObservationContext(this.workflowId, this.instanceId);
				observation = Observation
					.createNotStarted(OrchwfObservationListener.this.workflowConvention, DEFAULT_WORKFLOW_CONVENTION,
							() -> context, OrchwfObservationListener.this.registry)
					.start();
				this.workflow = observation;
				this.workflowContext = context;
			}
			return observation;
		}

		private void startStep(String stepId, int attempt) {
			Observation parent = workflow();
			OpenStep previous = this.steps.remove(stepId);
			if (previous != null) {
				previous.observation().stop();
			}
			StepObservationContext context = new StepObservationContext(this.workflowId, stepId, this.instanceId,
					attempt);
			Observation observation = Observation
				.createNotStarted(OrchwfObservationListener.this.stepConvention, DEFAULT_STEP_CONVENTION, () -> context,
						OrchwfObservationListener.this.registry)
				.parentObservation(parent)
				.start();
			this.steps.put(stepId, new OpenStep(observation, context));
		}

		private void stopStep(String stepId, String outcome, @Nullable String error) {
			OpenStep step = this.steps.remove(stepId);
			if (step == null) {
				return;
			}
			step.context().setOutcome(outcome);
			if (error != null) {
				step.observation().error(new StepFailure(error));
			}
			step.observation().stop();
		}

		private void note(String name, String description) {
			if (this.workflow != null) {
				this.workflow.event(Observation.Event.of(name, description));
			}
		}

		private void closeSteps() {
			this.steps.values().forEach((step) -> step.observation().stop());
			this.steps.clear();
		}

	}

	private record OpenStep(Observation observation, StepObservationContext context) {
	}

	/**
	 * The failure of a step attempt, as the error of its observation (tracing marks the
	 * span as failed with it). It carries the stored message, not a stack trace.
	 */
	static final class StepFailure extends RuntimeException {

		StepFailure(String message) {
			super(message, null, false, false);
		}

	}

	/**
	 * The failure of a workflow instance, as the error of its observation.
	 */
	static final class WorkflowFailure extends RuntimeException {

		WorkflowFailure(@Nullable String message) {
			super((message != null) ? message : "failed", null, false, false);
		}

	}

}
