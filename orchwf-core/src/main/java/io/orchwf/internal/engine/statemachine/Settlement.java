package io.orchwf.internal.engine.statemachine;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.internal.engine.attempt.Attempt;
import io.orchwf.internal.engine.statemachine.RunState.Phase;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.internal.json.JsonValues;
import io.orchwf.store.SignalDelivery;
import io.orchwf.store.StoredInstance;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an instance does once nothing of it runs: it is handed back (the node shuts down),
 * parks until its next wake-up, completes, or compensates what completed, one compensator
 * at a time, and ends failed or cancelled. A child that ends tells its parent in the same
 * commit. Guarded by the owning run.
 */
final class Settlement {

	private static final Logger logger = LoggerFactory.getLogger(Settlement.class);

	private final StepBook steps;

	private final RunEvents events;

	private final WaitingSteps waits;

	private final Compensation compensation;

	private final RunState run;

	private final JsonObject metadata;

	Settlement(StepBook steps, RunEvents events, WaitingSteps waits, Compensation compensation, RunState run,
			JsonObject metadata) {
		this.steps = steps;
		this.events = events;
		this.waits = waits;
		this.compensation = compensation;
		this.run = run;
		this.metadata = metadata;
	}

	/**
	 * Nothing runs: hand back, park, complete or compensate.
	 */
	void settle(Transition transition, Instant now) {
		boolean startable = (this.run.phase == Phase.COMPENSATING) ? this.compensation.hasNext()
				: this.steps.hasStartable(now) || anyWaitResolvable(now) || this.steps.hasUnfinishedForEach();
		if (this.run.isDraining() && startable) {
			end(transition, RunEnding.RELEASED, now);
			return;
		}
		Instant nextWake = this.steps.earliestWake();
		if (nextWake != null || this.steps.hasOpenWait()) {
			this.run.status = WorkflowStatus.WAITING;
			end(transition, RunEnding.PARKED, nextWake);
		}
		else if (this.run.phase == Phase.ACTIVE) {
			complete(transition, now);
		}
		else {
			this.run.phase = Phase.COMPENSATING;
			if (this.compensation.plan()) {
				this.run.status = WorkflowStatus.COMPENSATING;
			}
			compensateNext(transition, now);
		}
	}

	private boolean anyWaitResolvable(Instant now) {
		for (int i = 0; i < this.steps.size(); i++) {
			if (this.waits.handles(i) && this.waits.canResolve(i, now)) {
				return true;
			}
		}
		return false;
	}

	private void complete(Transition transition, Instant now) {
		List<String> stuck = this.steps.unfinished();
		if (!stuck.isEmpty()) {
			// cannot happen while the scheduling invariants hold; fail loudly rather than
			// hang
			logger.error("Instance {} has nothing running but steps {} cannot start", this.run.record.id(), stuck);
			this.run.fail("internal error: steps " + stuck + " can never start");
			settle(transition, now);
			return;
		}
		this.run.output = this.steps.workflowOutput();
		this.run.status = WorkflowStatus.COMPLETED;
		this.run.completedAt = now;
		transition.event(this.events.workflow(WorkflowEventType.WORKFLOW_COMPLETED, now,
				RunEvents.duration(this.run.runMillis(now))));
		notifyParent(transition, now);
		end(transition, RunEnding.FINISHED, null);
	}

	/**
	 * Launch the next compensator, or, once none is left, end the instance failed or
	 * cancelled.
	 */
	void compensateNext(Transition transition, Instant now) {
		if (this.compensation.isRunning()) {
			return;
		}
		if (this.compensation.hasNext()) {
			if (this.run.isDraining()) {
				end(transition, RunEnding.RELEASED, now);
				return;
			}
			Attempt attempt = this.compensation.startNext(now);
			this.run.attemptLaunched(false);
			transition.afterCommit(new FollowUp.Launch(attempt));
			return;
		}
		boolean cancelled = this.run.cancelReason != null;
		this.run.status = cancelled ? WorkflowStatus.CANCELLED : WorkflowStatus.FAILED;
		this.run.completedAt = now;
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("error", Objects.requireNonNullElse(this.run.error, "failed"));
		data.put("durationMs", this.run.runMillis(now));
		if (cancelled) {
			data.put("reason", this.run.cancelReason);
		}
		transition.event(this.events
			.workflow(cancelled ? WorkflowEventType.WORKFLOW_CANCELLED : WorkflowEventType.WORKFLOW_FAILED, now, data));
		notifyParent(transition, now);
		end(transition, RunEnding.FINISHED, null);
	}

	/**
	 * A child workflow that ends tells its parent, with the same commit, by a signal the
	 * parent's child step waits for.
	 */
	private void notifyParent(Transition transition, Instant now) {
		if (!(this.metadata.get(ChildLinks.PARENT_INSTANCE_ID) instanceof String parentId)
				|| !(this.metadata.get(ChildLinks.PARENT_STEP_ID) instanceof String parentStep)) {
			return;
		}
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put(WaitingSteps.CHILD_INSTANCE_ID, this.run.record.id());
		payload.put("status", this.run.status.name());
		payload.put("output", this.run.output);
		if (this.run.error != null) {
			payload.put("error", this.run.error);
		}
		String name = WaitingSteps.CHILD_SIGNAL_PREFIX + parentStep;
		JsonObject values = JsonValues.object(payload, "child result");
		Object parentWorkflow = this.metadata.get(ChildLinks.PARENT_WORKFLOW_ID);
		WorkflowEvent event = new WorkflowEvent(WorkflowEventType.SIGNAL_RECEIVED, parentId,
				(parentWorkflow != null) ? String.valueOf(parentWorkflow) : "", null, 0, now,
				JsonValues.object(Map.of("name", name, "payload", values), "signal event"));
		transition.deliver(new SignalDelivery(parentId, name, values, event));
		transition.afterCommit(new FollowUp.Signalled(parentId));
	}

	private void end(Transition transition, RunEnding ending, @Nullable Instant wakeAt) {
		this.run.end(wakeAt);
		// what a caller waiting here gets without reading the store back
		StoredInstance finalState = (ending == RunEnding.FINISHED)
				? new StoredInstance(this.run.record.with(this.run.state()).withLease(null, null), this.steps.records())
				: null;
		transition.afterCommit(new FollowUp.Ended(ending, finalState));
	}

}
