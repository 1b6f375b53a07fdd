package io.orchwf.internal.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.orchwf.StepDefinition;
import io.orchwf.StepDefinition.Kind;
import io.orchwf.StepStatus;
import io.orchwf.event.WorkflowEventType;
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
 * node. Guarded by the owning {@link InstanceRun}, called by {@link RunDecisions}.
 */
final class WaitingSteps {

	/**
	 * Prefix of the name of the signal a child's end sends its parent, before the step
	 * id.
	 */
	static final String CHILD_SIGNAL_PREFIX = "orchwf:child:";

	/** The key of the child's id in the output of a step that waits for its child. */
	static final String CHILD_INSTANCE_ID = "child_instance_id";

	private final RunHost host;

	private final WorkflowPlan plan;

	private final InstanceRun run;

	private final StepBook steps;

	private final RunEvents events;

	private final SignalBox signals;

	private final RunDecisions decisions;

	/** Child steps whose child is being created, by step index. */
	private final Set<Integer> creating = new HashSet<>();

	WaitingSteps(RunHost host, WorkflowPlan plan, InstanceRun run, StepBook steps, RunEvents events, SignalBox signals,
			RunDecisions decisions) {
		this.host = host;
		this.plan = plan;
		this.run = run;
		this.steps = steps;
		this.events = events;
		this.signals = signals;
		this.decisions = decisions;
	}

	boolean handles(int index) {
		Kind kind = this.plan.step(index).kind();
		return kind == Kind.AWAIT_SIGNAL || kind == Kind.TIMER || kind == Kind.CHILD_WORKFLOW;
	}

	/**
	 * A ready step starts waiting, and ends at once if what it waits for is there.
	 * @return {@code true} if the step ended
	 */
	boolean begin(Transition transition, int index, Instant now) {
		StepState step = this.steps.at(index);
		StepDefinition definition = this.plan.step(index);
		step.attempts++;
		step.status = StepStatus.WAITING;
		step.startedAt = now;
		step.completedAt = null;
		step.error = null;
		step.output = JsonObject.empty();
		Map<String, Object> data = new LinkedHashMap<>();
		switch (definition.kind()) {
			case TIMER -> {
				Duration delay = definition.delay().orElseThrow();
				step.wakeAt = now.plus(delay);
				data.put("timerMs", delay.toMillis());
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
		this.decisions.markRunning();
		transition.step(step.toRecord());
		transition.event(this.events.step(WorkflowEventType.STEP_STARTED, step.stepId, step.attempts, now, data));
		armWakeUp(transition, step);
		return resolve(transition, index, now);
	}

	private static @Nullable Instant deadline(StepDefinition definition, Instant now) {
		return definition.timeout().map(now::plus).orElse(null);
	}

	private void armWakeUp(Transition transition, StepState step) {
		Instant due = step.wakeAt;
		if (due != null) {
			transition.afterCommit(() -> this.host.wakeAt(this.run.instanceId(), due));
		}
	}

	private void createChild(Transition transition, int index, String childId) {
		this.creating.add(index);
		this.decisions.workStarted();
		String workflowId = this.plan.step(index).childWorkflowId().orElseThrow();
		JsonObject input = this.steps.inputOf(index);
		transition.afterCommit(() -> this.host.startChild(this.run, index, childId, workflowId, input));
	}

	/**
	 * A waiting step: end it if what it waits for has come or its deadline has passed.
	 * @return {@code true} if the step ended (or started over, for a child step whose
	 * retry is due)
	 */
	boolean resolve(Transition transition, int index, Instant now) {
		StepState step = this.steps.at(index);
		StepDefinition definition = this.plan.step(index);
		switch (definition.kind()) {
			case TIMER -> {
				if (!isDue(step, now)) {
					return false;
				}
				complete(transition, index, JsonObject.empty(), now, Map.of());
				return true;
			}
			case AWAIT_SIGNAL -> {
				String name = definition.signalName().orElseThrow();
				SignalRecord signal = this.signals.nth(name, consumedBefore(index, name));
				if (signal != null) {
					complete(transition, index, JsonValues.object(signal.payload(), "payload of signal " + name), now,
							Map.of("signal", name, "signalSequence", signal.sequence()));
					return true;
				}
				if (isDue(step, now)) {
					this.decisions.failWaiting(transition, index,
							StepFailure.permanent(StepFailure.TIMEOUT,
									"no signal '" + name + "' arrived within " + timeoutMillis(definition) + " ms"),
							now);
					return true;
				}
				return false;
			}
			case CHILD_WORKFLOW -> {
				return resolveChild(transition, index, now);
			}
			default -> throw new IllegalStateException("step " + step.stepId + " is not a waiting step");
		}
	}

	private boolean resolveChild(Transition transition, int index, Instant now) {
		StepState step = this.steps.at(index);
		String childId = childOf(step);
		if (childId == null) {
			// waiting for a retry, which starts a new child
			return isDue(step, now) && begin(transition, index, now);
		}
		SignalRecord end = childEnd(step, childId);
		if (end != null) {
			String status = String.valueOf(end.payload().get("status"));
			if ("COMPLETED".equals(status)) {
				Object output = end.payload().get("output");
				complete(transition, index, JsonValues
					.object((output instanceof Map<?, ?> map) ? castMap(map) : Map.of(), "output of child " + childId),
						now, Map.of("childInstanceId", childId));
			}
			else {
				step.output = JsonObject.empty();
				String workflowId = this.plan.step(index).childWorkflowId().orElseThrow();
				this.decisions.failWaiting(transition, index,
						new StepFailure("child_" + status.toLowerCase(Locale.ROOT), "child workflow " + workflowId
								+ " (instance " + childId + ") ended " + status + ": " + end.payload().get("error"),
								true),
						now);
			}
			return true;
		}
		if (isDue(step, now) && !this.creating.contains(index)) {
			step.output = JsonObject.empty();
			transition.afterCommit(() -> this.host.cancelChild(childId, "its parent step timed out"));
			this.decisions.failWaiting(transition, index, StepFailure.permanent(StepFailure.TIMEOUT, "child workflow "
					+ childId + " did not end within " + timeoutMillis(this.plan.step(index)) + " ms"), now);
			return true;
		}
		return false;
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
			transition.afterCommit(() -> this.host.cancelChild(childId, reason));
		}
	}

	/**
	 * The node tried to start a step's child.
	 * @param failure why the child could not be started, or {@code null} if it was (or
	 * existed already)
	 * @return {@code false} if the run was not waiting for that
	 */
	boolean childCreated(Transition transition, int index, String childId, @Nullable StepFailure failure, Instant now) {
		if (!this.creating.remove(index)) {
			return false;
		}
		this.decisions.workEnded();
		StepState step = this.steps.at(index);
		if (!childId.equals(childOf(step)) || step.status != StepStatus.WAITING) {
			if (failure == null) {
				// the step stopped waiting meanwhile; the child must not run on its own
				transition.afterCommit(() -> this.host.cancelChild(childId, "its parent step no longer waits for it"));
			}
			return true;
		}
		if (failure != null) {
			step.output = JsonObject.empty();
			this.decisions.failWaiting(transition, index, failure, now);
		}
		return true;
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
		long durationMs = (step.startedAt != null) ? Duration.between(step.startedAt, now).toMillis() : 0;
		step.status = StepStatus.COMPLETED;
		step.output = output;
		step.error = null;
		step.completedAt = now;
		step.wakeAt = null;
		step.completionOrder = this.steps.nextCompletionOrder();
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
