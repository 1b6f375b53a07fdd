package io.orchwf.internal.engine.statemachine;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.orchwf.StepStatus;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.internal.engine.attempt.Attempt;
import io.orchwf.internal.engine.attempt.StepFailure;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The saga of one instance that failed or was cancelled: which completed steps to undo
 * (those with a compensator, latest completed first), the compensator running now (one at
 * a time), and how each ended. A compensator that fails is recorded and the others still
 * run. Guarded by the owning run.
 */
final class Compensation {

	private static final Logger logger = LoggerFactory.getLogger(Compensation.class);

	private final StepBook steps;

	private final RunEvents events;

	private int[] queue = new int[0];

	private int next;

	private @Nullable Attempt running;

	Compensation(StepBook steps, RunEvents events) {
		this.steps = steps;
		this.events = events;
	}

	/**
	 * Plan the compensation of the steps completed so far.
	 * @return {@code true} if some step needs compensating
	 */
	boolean plan() {
		this.queue = this.steps.compensationOrder();
		this.next = 0;
		return this.queue.length > 0;
	}

	boolean isRunning() {
		return this.running != null;
	}

	boolean isRunning(Attempt attempt) {
		return this.running == attempt;
	}

	boolean hasNext() {
		return this.next < this.queue.length;
	}

	/**
	 * Start compensating the next step.
	 * @param now the current time
	 * @return the compensation attempt, to launch once the transition is stored
	 */
	Attempt startNext(Instant now) {
		int index = this.queue[this.next++];
		this.running = new Attempt(index, this.steps.at(index).attempts, true, this.steps.compensationInputOf(index),
				now);
		return this.running;
	}

	/**
	 * Record how the running compensator ended.
	 */
	void ended(Transition transition, Attempt attempt, @Nullable StepFailure failure, Instant now) {
		this.running = null;
		StepState step = this.steps.at(attempt.step());
		// the compensation's own duration, from when its code began
		Instant began = attempt.startedAt();
		long durationMs = (began != null) ? Duration.between(began, now).toMillis() : 0;
		if (failure == null) {
			step.status = StepStatus.COMPENSATED;
			transition.step(step.toRecord());
			transition.event(this.events.step(WorkflowEventType.STEP_COMPENSATED, step.stepId, attempt.number(), now,
					RunEvents.duration(durationMs)));
			return;
		}
		logger.warn("Compensation of step {} failed: {}", step.stepId, failure.message());
		transition.event(this.events.step(WorkflowEventType.STEP_FAILED, step.stepId, attempt.number(), now,
				Map.of("error", "compensation failed: " + failure.message(), "errorType", failure.type(),
						"compensation", true, "durationMs", durationMs)));
	}

	void abandon() {
		if (this.running != null) {
			this.running.abandon();
		}
	}

}
