package io.orchwf.internal.engine.statemachine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.orchwf.StepDefinition;
import io.orchwf.StepResult;
import io.orchwf.StepStatus;
import io.orchwf.internal.engine.attempt.Attempt;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.internal.json.JsonValues;
import io.orchwf.internal.plan.WorkflowPlan;
import io.orchwf.store.StepRecord;
import org.jspecify.annotations.Nullable;

/**
 * The steps of one instance and what can be read off them: whether a step is ready, its
 * input (the workflow input overlaid with its ancestors' outputs), the order of
 * compensation, the next due retry. Guarded by the owning run.
 */
public final class StepBook {

	/**
	 * Where a pending step stands with its dependencies.
	 */
	enum Readiness {

		/** Some dependency has not finished. */
		NOT_READY,

		/** Every dependency finished and at least one was not skipped. */
		READY,

		/** Every dependency was skipped, so is this step. */
		ALL_SKIPPED,

		/** A required dependency failed; the step can never run. */
		BLOCKED

	}

	private final WorkflowPlan plan;

	private final JsonObject input;

	private final StepState[] steps;

	private long completions;

	/**
	 * Whether some finished step may have an ancestor that has not finished: only after a
	 * resumption, which runs undone steps again while keeping their completed
	 * descendants. Until then a step's direct dependencies having finished means all its
	 * ancestors have, and readiness need not look further.
	 */
	private boolean ancestorsMayLag;

	public StepBook(WorkflowPlan plan, JsonObject input, List<StepRecord> stepRecords) {
		this.plan = plan;
		this.input = input;
		this.steps = new StepState[plan.size()];
		if (stepRecords.isEmpty()) {
			// a new instance: every step pending
			for (int i = 0; i < plan.size(); i++) {
				this.steps[i] = new StepState(plan.pendingRecord(i));
			}
			this.ancestorsMayLag = false;
			return;
		}
		Map<String, StepRecord> byId = new HashMap<>();
		stepRecords.forEach((step) -> byId.put(step.stepId(), step));
		for (int i = 0; i < plan.size(); i++) {
			StepRecord stored = byId.get(plan.step(i).id());
			this.steps[i] = new StepState((stored != null) ? stored : plan.pendingRecord(i));
			this.completions = Math.max(this.completions, this.steps[i].completionOrder);
		}
		this.ancestorsMayLag = anyFinishedStepWithUnfinishedDependency();
	}

	private boolean anyFinishedStepWithUnfinishedDependency() {
		for (int i = 0; i < this.steps.length; i++) {
			if (this.steps[i].status == StepStatus.PENDING) {
				continue;
			}
			for (int dependency : this.plan.dependencies(i)) {
				if (!isFinished(dependency)) {
					return true;
				}
			}
		}
		return false;
	}

	private boolean isFinished(int index) {
		return this.steps[index].isSettled(this.plan.step(index).required());
	}

	StepState at(int index) {
		return this.steps[index];
	}

	int size() {
		return this.steps.length;
	}

	public List<StepRecord> records() {
		List<StepRecord> records = new ArrayList<>(this.steps.length);
		for (StepState step : this.steps) {
			records.add(step.toRecord());
		}
		return records;
	}

	/**
	 * The next completion order, for a step completing now.
	 * @return 1 for the first step to complete, then 2...
	 */
	long nextCompletionOrder() {
		return ++this.completions;
	}

	Readiness readiness(int index) {
		int[] dependencies = this.plan.dependencies(index);
		if (dependencies.length == 0) {
			return Readiness.READY;
		}
		boolean allSkipped = true;
		for (int dependency : dependencies) {
			StepState state = this.steps[dependency];
			if (state.status == StepStatus.SKIPPED) {
				continue;
			}
			allSkipped = false;
			if (state.isSettled(this.plan.step(dependency).required())) {
				continue;
			}
			return (state.status == StepStatus.FAILED) ? Readiness.BLOCKED : Readiness.NOT_READY;
		}
		if (this.ancestorsMayLag) {
			// a step runs only on what its ancestors produced in this run: after a
			// resumption, a kept dependency may descend from a step that runs again
			for (int ancestor : this.plan.ancestorsInTopologicalOrder(index)) {
				if (!isFinished(ancestor)) {
					return (this.steps[ancestor].status == StepStatus.FAILED) ? Readiness.BLOCKED : Readiness.NOT_READY;
				}
			}
		}
		return allSkipped ? Readiness.ALL_SKIPPED : Readiness.READY;
	}

	/**
	 * A step's input: the workflow input overlaid with its ancestors' outputs, in
	 * topological order.
	 */
	JsonObject inputOf(int index) {
		int[] ancestors = this.plan.ancestorsInTopologicalOrder(index);
		if (ancestors.length == 0) {
			return this.input;
		}
		// most steps output little or nothing: merge only what there is
		List<JsonObject> outputs = null;
		for (int ancestor : ancestors) {
			JsonObject output = this.steps[ancestor].output;
			if (!output.isEmpty()) {
				if (outputs == null) {
					outputs = new ArrayList<>(ancestors.length);
				}
				outputs.add(output);
			}
		}
		if (outputs == null) {
			return this.input;
		}
		return (this.input.isEmpty() && outputs.size() == 1) ? outputs.get(0) : JsonValues.merge(this.input, outputs);
	}

	/**
	 * What a compensator sees: its step's input overlaid with the step's own output.
	 */
	JsonObject compensationInputOf(int index) {
		return JsonValues.merge(inputOf(index), List.of(this.steps[index].output));
	}

	/**
	 * The output of a step as an attempt may see it: an ancestor's, or, for a
	 * compensation, the compensated step's own.
	 * @return the output, or empty if the attempt may not see it
	 */
	public JsonObject outputVisibleTo(Attempt attempt, String stepId) {
		int index = visibleIndex(attempt, stepId);
		return (index >= 0) ? this.steps[index].output : JsonObject.empty();
	}

	/**
	 * How a step ended, as an attempt may see it: an ancestor's result, or, for a
	 * compensation, the compensated step's own.
	 * @return the result, or empty if the attempt may not see it
	 */
	public Optional<StepResult> resultVisibleTo(Attempt attempt, String stepId) {
		int index = visibleIndex(attempt, stepId);
		if (index < 0) {
			return Optional.empty();
		}
		StepState step = this.steps[index];
		return Optional.of(new StepResult(step.stepId, step.status, step.output, Optional.ofNullable(step.error),
				Optional.ofNullable(step.errorType)));
	}

	/**
	 * The index of a step an attempt may see, or -1.
	 */
	private int visibleIndex(Attempt attempt, String stepId) {
		int index = this.plan.indexOf(stepId);
		boolean visible = index >= 0
				&& (this.plan.isAncestor(attempt.step(), index) || (attempt.compensation() && index == attempt.step()));
		return visible ? index : -1;
	}

	/**
	 * The workflow output: its input overlaid with every completed step's output, in
	 * topological order.
	 */
	JsonObject workflowOutput() {
		List<JsonObject> outputs = new ArrayList<>();
		for (int index : this.plan.topologicalOrder()) {
			if (this.steps[index].status == StepStatus.COMPLETED) {
				outputs.add(this.steps[index].output);
			}
		}
		return JsonValues.merge(this.input, outputs);
	}

	/**
	 * Steps that have neither finished nor wait for a retry.
	 * @return their ids in topological order
	 */
	List<String> unfinished() {
		List<String> unfinished = new ArrayList<>();
		for (int index : this.plan.topologicalOrder()) {
			StepStatus status = this.steps[index].status;
			if (status == StepStatus.PENDING || status == StepStatus.RUNNING) {
				unfinished.add(this.steps[index].stepId);
			}
		}
		return unfinished;
	}

	/**
	 * When the first waiting step is due.
	 * @return its due time, or {@code null} if no step waits
	 */
	@Nullable Instant earliestWake() {
		Instant earliest = null;
		for (StepState step : this.steps) {
			if (step.status == StepStatus.WAITING && step.wakeAt != null
					&& (earliest == null || step.wakeAt.isBefore(earliest))) {
				earliest = step.wakeAt;
			}
		}
		return earliest;
	}

	/**
	 * Whether a forEach step has elements that did not run in its current attempt.
	 */
	boolean hasUnfinishedForEach() {
		for (StepState step : this.steps) {
			if (step.forEach != null && !step.forEach.isDone()) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a step waits without a deadline: for a signal or a child, for as long as it
	 * takes.
	 */
	boolean hasOpenWait() {
		for (StepState step : this.steps) {
			if (step.status == StepStatus.WAITING && step.wakeAt == null) {
				return true;
			}
		}
		return false;
	}

	/**
	 * When each waiting step is due, for those due after a given time.
	 * @param now the time
	 * @return the due times, in step order
	 */
	List<Instant> wakesAfter(Instant now) {
		List<Instant> wakes = new ArrayList<>();
		for (StepState step : this.steps) {
			if (step.status == StepStatus.WAITING && step.wakeAt != null && step.wakeAt.isAfter(now)) {
				wakes.add(step.wakeAt);
			}
		}
		return wakes;
	}

	/**
	 * Whether some step could start now: a ready pending step, or a due retry.
	 */
	boolean hasStartable(Instant now) {
		for (int i = 0; i < this.steps.length; i++) {
			StepState step = this.steps[i];
			if (step.status == StepStatus.PENDING) {
				Readiness readiness = readiness(i);
				if (readiness == Readiness.READY || readiness == Readiness.ALL_SKIPPED) {
					return true;
				}
			}
			if (step.status == StepStatus.WAITING && step.wakeAt != null && !step.wakeAt.isAfter(now)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The completed steps that have a compensator, latest completed first.
	 * @return their indexes
	 */
	int[] compensationOrder() {
		List<Integer> completed = new ArrayList<>();
		for (int i = 0; i < this.steps.length; i++) {
			if (this.steps[i].status == StepStatus.COMPLETED && this.plan.step(i).compensator().isPresent()) {
				completed.add(i);
			}
		}
		completed.sort((a, b) -> Long.compare(this.steps[b].completionOrder, this.steps[a].completionOrder));
		return completed.stream().mapToInt(Integer::intValue).toArray();
	}

	/**
	 * After a node was lost: its running attempts were cut off, not failed, so their
	 * steps run again under the same attempt number.
	 * @param transition records the reset rows
	 */
	void restartInterrupted(Transition transition) {
		for (StepState step : this.steps) {
			if (step.status == StepStatus.RUNNING) {
				step.restartInterrupted();
				transition.step(step.toRecord());
			}
		}
	}

	/**
	 * Before a failed instance runs again: every step that did not complete starts over.
	 * @param transition records the reset rows
	 */
	void resetUnfinished(Transition transition) {
		for (int i = 0; i < this.steps.length; i++) {
			StepState step = this.steps[i];
			if (step.status != StepStatus.COMPLETED) {
				step.startOver(this.plan.step(i).kind() == StepDefinition.Kind.FOR_EACH);
				transition.step(step.toRecord());
			}
		}
		this.ancestorsMayLag = anyFinishedStepWithUnfinishedDependency();
	}

}
