package io.orchwf.internal.engine.statemachine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orchwf.event.WorkflowEvent;
import io.orchwf.store.InstanceState;
import io.orchwf.store.InstanceUpdate;
import io.orchwf.store.SignalDelivery;
import io.orchwf.store.StepRecord;
import org.jspecify.annotations.Nullable;

/**
 * What one decision of a run changes: the rows to write, the events to record, and what
 * to do once they are committed (start attempts, arm timers, tell waiters). Nothing acts
 * on a decision before its write commits. Decisions taken while an earlier one is being
 * written are merged into one transition, which is how a busy instance needs fewer writes
 * than it has transitions.
 */
public final class Transition {

	private Instant decidedAt;

	private final Map<String, StepRecord> steps = new LinkedHashMap<>();

	private final List<WorkflowEvent> events = new ArrayList<>();

	private final List<FollowUp> followUps = new ArrayList<>();

	private @Nullable InstanceState state;

	private boolean stateChanged;

	private boolean releaseLease;

	private long signalsSeen = InstanceUpdate.SIGNALS_IGNORED;

	private final List<SignalDelivery> deliveries = new ArrayList<>();

	/**
	 * A transition decided at a time of the engine's clock.
	 * @param decidedAt when
	 */
	public Transition(Instant decidedAt) {
		this.decidedAt = decidedAt;
	}

	void step(StepRecord record) {
		this.steps.put(record.stepId(), record);
	}

	void event(WorkflowEvent event) {
		this.events.add(event);
	}

	void afterCommit(FollowUp followUp) {
		this.followUps.add(followUp);
	}

	/**
	 * Send a signal to another instance with this transition.
	 * @param delivery the signal
	 */
	void deliver(SignalDelivery delivery) {
		this.deliveries.add(delivery);
	}

	/**
	 * Record how many signals of the instance the decisions took into account.
	 * @param count the count, or {@link InstanceUpdate#SIGNALS_IGNORED}
	 */
	public void signalsSeen(long count) {
		this.signalsSeen = count;
	}

	public void state(InstanceState state, boolean changed, boolean releaseLease) {
		this.state = state;
		this.stateChanged |= changed;
		this.releaseLease |= releaseLease;
	}

	/**
	 * Take a later transition's changes into this one.
	 * @param later the later transition
	 */
	public void absorb(Transition later) {
		this.decidedAt = later.decidedAt;
		this.steps.putAll(later.steps);
		this.events.addAll(later.events);
		this.followUps.addAll(later.followUps);
		if (later.state != null) {
			this.state = later.state;
		}
		this.stateChanged |= later.stateChanged;
		this.releaseLease |= later.releaseLease;
		this.signalsSeen = later.signalsSeen;
		this.deliveries.addAll(later.deliveries);
	}

	/**
	 * Whether anything must be stored before the actions run.
	 * @return {@code true} if rows or events changed
	 */
	public boolean needsWrite() {
		return this.stateChanged || this.releaseLease || !this.steps.isEmpty() || !this.events.isEmpty()
				|| !this.deliveries.isEmpty();
	}

	public InstanceUpdate toUpdate(String instanceId, long fence) {
		if (this.state == null) {
			throw new IllegalStateException("transition of " + instanceId + " has no state");
		}
		return new InstanceUpdate(instanceId, fence, this.decidedAt, this.state, this.releaseLease,
				List.copyOf(this.steps.values()), this.events, this.signalsSeen, this.deliveries, this.stateChanged);
	}

	public boolean releasesLease() {
		return this.releaseLease;
	}

	public @Nullable InstanceState state() {
		return this.state;
	}

	Map<String, StepRecord> steps() {
		return this.steps;
	}

	public List<WorkflowEvent> events() {
		return this.events;
	}

	public List<SignalDelivery> deliveries() {
		return this.deliveries;
	}

	public List<FollowUp> followUps() {
		return this.followUps;
	}

}
