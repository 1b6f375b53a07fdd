package io.orchwf.internal.engine.statemachine;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.orchwf.StepDefinition.Kind;
import io.orchwf.StepDefinition;
import io.orchwf.StepStatus;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.internal.engine.attempt.Attempt;
import io.orchwf.internal.engine.attempt.StepFailure;
import io.orchwf.internal.engine.support.Ids;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.internal.json.JsonValues;
import io.orchwf.internal.plan.WorkflowPlan;
import io.orchwf.store.SignalRecord;
import org.jspecify.annotations.Nullable;

/**
 * The steps the engine runs itself by waiting: signal waits, timers and child workflows.
 * Such a step goes from ready straight to {@link StepStatus#WAITING}, with its deadline
 * (a timer's end, a wait's timeout) as its wake-up; it ends when what it waits for is
 * there. Nothing runs meanwhile: once nothing else does, the instance parks, and a
 * signal, a child's end (which arrives as a signal) or its wake-up brings it back, on any
 * node. It says what became of a step, and {@link RunDecisions} acts on it. Guarded by
 * the owning run.
 */
final class WaitingSteps {

	/**
	 * Prefix of the name of the signal a child's end sends its parent, before the step
	 * id.
	 */
	static final String CHILD_SIGNAL_PREFIX = "orchwf:child:";

	/** The key of the child's id in the output of a step that waits for its child. */
	static final String CHILD_INSTANCE_ID = "child_instance_id";

	/**
	 * What became of a waiting step that was looked at.
	 *
	 * @param ended whether the step ended (completed, or failed with {@code failure})
	 * @param began whether it began waiting anew (a child step's retry)
	 * @param failure why it failed, for the decisions to apply; {@code null} if it did
	 * not
	 */
	record WaitOutcome(boolean ended, boolean began, @Nullable StepFailure failure) {

		static final WaitOutcome WAITING = new WaitOutcome(false, false, null);

		static final WaitOutcome COMPLETED = new WaitOutcome(true, false, null);

		static WaitOutcome failed(StepFailure failure) {
			return new WaitOutcome(true, false, failure);
		}

		WaitOutcome afterBeginning() {
			return new WaitOutcome(this.ended, true, this.failure);
		}

	}

	private final RunScope scope;

	private final WorkflowPlan plan;

	private final StepBook steps;

	private final RunEvents events;

	private final SignalBox signals;

	/** Child steps whose child is being created, by step index. */
	private final Set<Integer> creating = new HashSet<>();

	WaitingSteps(RunScope scope, WorkflowPlan plan, StepBook steps, RunEvents events, SignalBox signals) {
		this.scope = scope;
		this.plan = plan;
		this.steps = steps;
		this.events = events;
		this.signals = signals;
	}

	boolean handles(int index) {
		Kind kind = this.plan.step(index).kind();
		return kind == Kind.AWAIT_SIGNAL || kind == Kind.TIMER || kind == Kind.CHILD_WORKFLOW;
	}

	/**
	 * A ready step starts waiting, and ends at once if what it waits for is there.
	 * @return what became of it
	 */
	WaitOutcome begin(Transition transition, int index, Instant now) {
		StepState step = this.steps.at(index);
		StepDefinition definition = this.plan.step(index);
		step.begin(StepStatus.WAITING, now);
		step.clearError();
		step.output = JsonObject.empty();
		Map<String, Object> data = new LinkedHashMap<>();
		@Nullable StepFailure failure = null;
		switch (definition.kind()) {
			case TIMER -> {
				if (definition.until().isPresent()) {
					Attempt probe = new Attempt(index, step.attempts, false, this.steps.inputOf(index), now);
					TimerEnd end = TimerEnd.of(definition.until().get(), this.scope.contextOf(probe), step.stepId);
					step.wakeAt = end.at();
					failure = end.failure();
					if (end.at() != null) {
						data.put("until", end.at().toString());
					}
				}
				else {
					Duration delay = definition.delay().orElseThrow();
					step.wakeAt = now.plus(delay);
					data.put("timerMs", delay.toMillis());
				}
			}
			case AWAIT_SIGNAL -> {
				step.wakeAt = deadline(definition, now);
				data.put("signal", definition.signalName().orElseThrow());
			}
			case CHILD_WORKFLOW -> {
				String childId = Ids.instanceId(now);
				step.wakeAt = deadline(definition, now);
				step.output = JsonValues.object(Map.of(CHILD_INSTANCE_ID, childId), "child step output");
				data.put("childWorkflowId", definition.childWorkflowId().orElseThrow());
				data.put("childInstanceId", childId);
				createChild(transition, index, childId);
			}
			default -> throw new IllegalStateException("step " + step.stepId + " is not a waiting step");
		}
		transition.step(step.toRecord());
		transition.event(this.events.step(WorkflowEventType.STEP_STARTED, step.stepId, step.attempts, now, data));
		if (failure != null) {
			return WaitOutcome.failed(failure).afterBeginning();
		}
		WaitOutcome outcome = resolve(transition, index, now).afterBeginning();
		armWakeUp(transition, step);
		return outcome;
	}

	private static @Nullable Instant deadline(StepDefinition definition, Instant now) {
		return definition.timeout().map(now::plus).orElse(null);
	}

	/**
	 * Have the node wake the run when a step that still waits is due; one that ended at
	 * once (a signal that was there, a timer's end in the past) needs no wake-up.
	 */
	private void armWakeUp(Transition transition, StepState step) {
		Instant due = step.wakeAt;
		if (due != null && step.status == StepStatus.WAITING) {
			transition.afterCommit(new FollowUp.WakeAt(due));
		}
	}

	private void createChild(Transition transition, int index, String childId) {
		this.creating.add(index);
		String workflowId = this.plan.step(index).childWorkflowId().orElseThrow();
		transition.afterCommit(new FollowUp.StartChild(index, childId, workflowId, this.steps.inputOf(index)));
	}

	/**
	 * A waiting step: end it if what it waits for has come or its deadline has passed.
	 * @return what became of it: ended, began anew (a child step whose retry is due), or
	 * still waiting
	 */
	WaitOutcome resolve(Transition transition, int index, Instant now) {
		StepState step = this.steps.at(index);
		StepDefinition definition = this.plan.step(index);
		switch (definition.kind()) {
			case TIMER -> {
				if (!isDue(step, now)) {
					return WaitOutcome.WAITING;
				}
				complete(transition, index, JsonObject.empty(), now, Map.of());
				return WaitOutcome.COMPLETED;
			}
			case AWAIT_SIGNAL -> {
				String name = definition.signalName().orElseThrow();
				SignalRecord signal = this.signals.nth(name, consumedBefore(index, name));
				if (signal != null) {
					complete(transition, index, JsonValues.object(signal.payload(), "payload of signal " + name), now,
							Map.of("signal", name, "signalSequence", signal.sequence()));
					return WaitOutcome.COMPLETED;
				}
				if (isDue(step, now)) {
					return WaitOutcome.failed(StepFailure.permanent(StepFailure.TIMEOUT,
							"no signal '" + name + "' arrived within " + timeoutMillis(definition) + " ms"));
				}
				return WaitOutcome.WAITING;
			}
			case CHILD_WORKFLOW -> {
				return resolveChild(transition, index, now);
			}
			default -> throw new IllegalStateException("step " + step.stepId + " is not a waiting step");
		}
	}

	private WaitOutcome resolveChild(Transition transition, int index, Instant now) {
		StepState step = this.steps.at(index);
		String childId = childOf(step);
		if (childId == null) {
			// waiting for a retry, which starts a new child
			return isDue(step, now) ? begin(transition, index, now) : WaitOutcome.WAITING;
		}
		SignalRecord end = childEnd(step, childId);
		if (end != null) {
			String status = String.valueOf(end.payload().get("status"));
			if ("COMPLETED".equals(status)) {
				Object output = end.payload().get("output");
				complete(transition, index, JsonValues
					.object((output instanceof Map<?, ?> map) ? castMap(map) : Map.of(), "output of child " + childId),
						now, Map.of("childInstanceId", childId));
				return WaitOutcome.COMPLETED;
			}
			step.output = JsonObject.empty();
			String workflowId = this.plan.step(index).childWorkflowId().orElseThrow();
			return WaitOutcome
				.failed(new StepFailure("child_" + status.toLowerCase(Locale.ROOT), "child workflow " + workflowId
						+ " (instance " + childId + ") ended " + status + ": " + end.payload().get("error"), true));
		}
		if (isDue(step, now) && !this.creating.contains(index)) {
			step.output = JsonObject.empty();
			transition.afterCommit(new FollowUp.CancelChild(childId, "its parent step timed out"));
			return WaitOutcome.failed(StepFailure.permanent(StepFailure.TIMEOUT, "child workflow " + childId
					+ " did not end within " + timeoutMillis(this.plan.step(index)) + " ms"));
		}
		return WaitOutcome.WAITING;
	}

	/**
	 * Whether the start of a child is under way: the instance must not park or end before
	 * the node says how it went.
	 */
	boolean isCreatingChild() {
		return !this.creating.isEmpty();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> castMap(Map<?, ?> map) {
		return (Map<String, Object>) map;
	}

	/**
	 * Whether {@link #resolve} would end a waiting step now: for a node that drains,
	 * which hands such an instance back at once rather than parking it.
	 */
	boolean canResolve(int index, Instant now) {
		StepState step = this.steps.at(index);
		if (step.status != StepStatus.WAITING) {
			return false;
		}
		if (isDue(step, now)) {
			return true;
		}
		StepDefinition definition = this.plan.step(index);
		if (definition.kind() == Kind.AWAIT_SIGNAL) {
			String name = definition.signalName().orElseThrow();
			return this.signals.nth(name, consumedBefore(index, name)) != null;
		}
		if (definition.kind() == Kind.CHILD_WORKFLOW) {
			String childId = childOf(step);
			return childId != null && childEnd(step, childId) != null;
		}
		return false;
	}

	/**
	 * The instance was claimed: make sure the children of its waiting child steps exist
	 * (a node may have been lost between deciding to start a child and starting it;
	 * starting one that exists changes nothing).
	 */
	void recovered(Transition transition) {
		for (int index = 0; index < this.steps.size(); index++) {
			StepState step = this.steps.at(index);
			String childId = childOf(step);
			if (step.status == StepStatus.WAITING && childId != null && !this.creating.contains(index)) {
				createChild(transition, index, childId);
			}
		}
	}

	/**
	 * The run stopped a waiting step (a failure elsewhere, a cancellation): a child it
	 * waits for is cancelled too.
	 */
	void stopped(Transition transition, int index, String reason) {
		StepState step = this.steps.at(index);
		String childId = childOf(step);
		if (childId != null) {
			step.output = JsonObject.empty();
			transition.afterCommit(new FollowUp.CancelChild(childId, reason));
		}
	}

	/**
	 * The node tried to start a step's child.
	 * @param failure why the child could not be started, or {@code null} if it was (or
	 * existed already)
	 * @return what became of the step, or {@code null} if the run was not waiting for
	 * that
	 */
	@Nullable WaitOutcome childCreated(Transition transition, int index, String childId, @Nullable StepFailure failure) {
		if (!this.creating.remove(index)) {
			return null;
		}
		StepState step = this.steps.at(index);
		if (!childId.equals(childOf(step)) || step.status != StepStatus.WAITING) {
			if (failure == null) {
				// the step stopped waiting meanwhile; the child must not run on its own
				transition.afterCommit(new FollowUp.CancelChild(childId, "its parent step no longer waits for it"));
			}
			return WaitOutcome.WAITING;
		}
		if (failure != null) {
			step.output = JsonObject.empty();
			return WaitOutcome.failed(failure);
		}
		return WaitOutcome.WAITING;
	}

	private @Nullable SignalRecord childEnd(StepState step, String childId) {
		return this.signals.first(CHILD_SIGNAL_PREFIX + step.stepId,
				(payload) -> childId.equals(payload.get(CHILD_INSTANCE_ID)));
	}

	private static @Nullable String childOf(StepState step) {
		Object childId = step.output.get(CHILD_INSTANCE_ID);
		return (step.status == StepStatus.WAITING && childId instanceof String id) ? id : null;
	}

	/**
	 * How many waits for a signal name completed before this one: the position of the
	 * signal this one consumes.
	 */
	private int consumedBefore(int index, String name) {
		int consumed = 0;
		for (int other = 0; other < this.steps.size(); other++) {
			StepDefinition definition = this.plan.step(other);
			StepStatus status = this.steps.at(other).status;
			if (other != index && definition.kind() == Kind.AWAIT_SIGNAL
					&& name.equals(definition.signalName().orElse(null))
					&& (status == StepStatus.COMPLETED || status == StepStatus.COMPENSATED)) {
				consumed++;
			}
		}
		return consumed;
	}

	private void complete(Transition transition, int index, JsonObject output, Instant now, Map<String, Object> data) {
		StepState step = this.steps.at(index);
		long durationMs = step.millisUntil(now);
		step.complete(output, now, this.steps.nextCompletionOrder());
		transition.step(step.toRecord());
		Map<String, Object> eventData = new LinkedHashMap<>(data);
		eventData.put("durationMs", durationMs);
		transition
			.event(this.events.step(WorkflowEventType.STEP_COMPLETED, step.stepId, step.attempts, now, eventData));
	}

	private static boolean isDue(StepState step, Instant now) {
		return step.wakeAt != null && !step.wakeAt.isAfter(now);
	}

	private static long timeoutMillis(StepDefinition definition) {
		return definition.timeout().map(Duration::toMillis).orElse(0L);
	}

}
