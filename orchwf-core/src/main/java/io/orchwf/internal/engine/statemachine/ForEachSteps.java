package io.orchwf.internal.engine.statemachine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.orchwf.StepDefinition;
import io.orchwf.StepStatus;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.internal.engine.attempt.Attempt;
import io.orchwf.internal.engine.attempt.StepFailure;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.internal.plan.WorkflowPlan;
import org.jspecify.annotations.Nullable;

/**
 * The forEach steps of one instance: an attempt maps the step's executor over the list at
 * its items key, at most {@code maxConcurrency} elements at a time, storing each
 * element's result as it arrives so that no later attempt runs it again. It says when a
 * step ended and, if it failed, why; {@link StepFailures} decides what the failure does.
 * Guarded by the owning run.
 */
final class ForEachSteps {

	/**
	 * A forEach step's attempt ended.
	 *
	 * @param failure why it failed, or {@code null} if it completed
	 */
	record Ended(@Nullable StepFailure failure) {
	}

	/** The error type of a step whose input holds no list at its items key. */
	static final String INVALID_INPUT = "invalid_input";

	private final WorkflowPlan plan;

	private final StepBook steps;

	private final RunEvents events;

	private final RunState run;

	ForEachSteps(WorkflowPlan plan, StepBook steps, RunEvents events, RunState run) {
		this.plan = plan;
		this.steps = steps;
		this.events = events;
		this.run = run;
	}

	/**
	 * Start an attempt of a forEach step: launch its first elements.
	 * @return how the attempt ended if it did at once (no element to run, or an input
	 * that is not a list), else {@code null}
	 */
	@Nullable Ended start(Transition transition, int index, Instant now) {
		StepState step = this.steps.at(index);
		StepDefinition definition = this.plan.step(index);
		String itemsKey = definition.itemsKey().orElseThrow();
		JsonObject input = this.steps.inputOf(index);
		step.begin(StepStatus.RUNNING, now);
		this.run.markRunning();
		ItemsPath.Found found = ItemsPath.find(input, itemsKey);
		List<?> list = found.items();
		if (list == null) {
			transition.step(step.toRecord());
			return new Ended(StepFailure.permanent(INVALID_INPUT, "forEach step " + step.stepId
					+ " found no list to map over at items key '" + itemsKey + "': " + found.problem()));
		}
		@SuppressWarnings("unchecked")
		ForEachProgress progress = new ForEachProgress(index, step.attempts, (List<@Nullable Object>) list, input,
				step.output);
		step.forEach = progress;
		step.output = progress.output();
		transition.step(step.toRecord());
		transition.event(this.events.step(WorkflowEventType.STEP_STARTED, step.stepId, step.attempts, now,
				Map.of("elements", progress.size(), "toRun", progress.pendingCount())));
		launchElements(transition, index, now);
		return progress.isDone() ? finish(transition, index, now) : null;
	}

	private void launchElements(Transition transition, int index, Instant now) {
		ForEachProgress progress = Objects.requireNonNull(this.steps.at(index).forEach);
		if (!this.run.schedulingAllowed()) {
			return;
		}
		Attempt attempt;
		while ((attempt = progress.next(this.plan.step(index).maxConcurrency(), now)) != null) {
			// elements share the worker pool, never the instance's lane
			this.run.attemptLaunched(false);
			transition.afterCommit(new FollowUp.Launch(attempt));
		}
	}

	/**
	 * An element's attempt reported.
	 * @return how the step's attempt ended if this was its last element, else
	 * {@code null}
	 */
	@Nullable Ended elementEnded(Transition transition, Attempt attempt, @Nullable JsonObject output,
			@Nullable StepFailure failure, Instant now) {
		int index = attempt.step();
		StepState step = this.steps.at(index);
		ForEachProgress progress = Objects.requireNonNull(step.forEach);
		StepFailure outcome = failure;
		if (outcome != null && attempt.isInterrupted() && this.run.stopReason != null) {
			outcome = StepFailure.permanent("interrupted", "interrupted: " + this.run.stopReason);
		}
		progress.ended(attempt, output, outcome);
		if (outcome == null) {
			// each result is stored as it arrives, so that no later attempt runs it again
			step.output = progress.output();
			transition.step(step.toRecord());
		}
		launchElements(transition, index, now);
		return progress.isDone() ? finish(transition, index, now) : null;
	}

	/**
	 * Stop a forEach step's attempt: interrupt its running elements, drop those that did
	 * not begin.
	 * @return how the attempt ended if nothing of it runs any more, else {@code null}
	 */
	@Nullable Ended stop(Transition transition, int index, Instant now, String reason) {
		ForEachProgress progress = Objects.requireNonNull(this.steps.at(index).forEach);
		progress.stop(reason);
		for (Attempt attempt : progress.running()) {
			if (!attempt.interrupt()) {
				// never started: nothing will report for it
				progress.dropped(attempt);
				this.run.attemptDone(false);
			}
		}
		return progress.isDone() ? finish(transition, index, now) : null;
	}

	private Ended finish(Transition transition, int index, Instant now) {
		StepState step = this.steps.at(index);
		ForEachProgress progress = Objects.requireNonNull(step.forEach);
		step.forEach = null;
		step.output = progress.output();
		long durationMs = step.millisUntil(now);
		StepFailure failure = progress.failure();
		if (failure == null) {
			step.complete(step.output, now, this.steps.nextCompletionOrder());
			transition.step(step.toRecord());
			transition.event(this.events.step(WorkflowEventType.STEP_COMPLETED, step.stepId, step.attempts, now,
					Map.of("durationMs", durationMs, "elements", progress.size())));
		}
		return new Ended(failure);
	}

}
