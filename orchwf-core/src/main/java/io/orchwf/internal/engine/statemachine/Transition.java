package io.orchwf.internal.engine.statemachine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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

	// most transitions change one or two steps, record one or two events, and deliver
	// nothing: each list is null until needed, then an immutable list of one or two
	// (which the store's update takes as it is), and an ArrayList only beyond

	/** The changed steps, each once, in the order they first changed. */
	private @Nullable List<StepRecord> steps;

	private @Nullable List<WorkflowEvent> events;

	private @Nullable List<FollowUp> followUps;

	private @Nullable InstanceState state;

	private boolean stateChanged;

	private boolean releaseLease;

	private long signalsSeen = InstanceUpdate.SIGNALS_IGNORED;

	private @Nullable List<SignalDelivery> deliveries;

	/**
	 * A transition decided at a time of the engine's clock.
	 * @param decidedAt when
	 */
	public Transition(Instant decidedAt) {
		this.decidedAt = decidedAt;
	}

	void step(StepRecord record) {
		List<StepRecord> changed = this.steps;
		if (changed != null) {
			// a step changed twice in one transition is stored as it ended up
			for (int i = 0; i < changed.size(); i++) {
				if (changed.get(i).stepId().equals(record.stepId())) {
					this.steps = replaced(changed, i, record);
					return;
				}
			}
		}
		this.steps = with(changed, record);
	}

	void event(WorkflowEvent event) {
		this.events = with(this.events, event);
	}

	void afterCommit(FollowUp followUp) {
		this.followUps = with(this.followUps, followUp);
	}

	/** A list with one more element at its end: the list itself once it is mutable. */
	private static <T> List<T> with(@Nullable List<T> list, T element) {
		if (list == null) {
			return List.of(element);
		}
		if (list instanceof ArrayList<T> mutable) {
			mutable.add(element);
			return mutable;
		}
		if (list.size() == 1) {
			return List.of(list.get(0), element);
		}
		ArrayList<T> grown = new ArrayList<>(list.size() + 2);
		grown.addAll(list);
		grown.add(element);
		return grown;
	}

	private static <T> List<T> replaced(List<T> list, int index, T element) {
		if (list instanceof ArrayList<T> mutable) {
			mutable.set(index, element);
			return mutable;
		}
		if (list.size() == 1) {
			return List.of(element);
		}
		return (index == 0) ? List.of(element, list.get(1)) : List.of(list.get(0), element);
	}

	/**
	 * Send a signal to another instance with this transition.
	 * @param delivery the signal
	 */
	void deliver(SignalDelivery delivery) {
		this.deliveries = with(this.deliveries, delivery);
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
		if (later.steps != null) {
			for (StepRecord record : later.steps) {
				step(record);
			}
		}
		if (later.events != null) {
			later.events.forEach(this::event);
		}
		if (later.followUps != null) {
			later.followUps.forEach(this::afterCommit);
		}
		if (later.state != null) {
			this.state = later.state;
		}
		this.stateChanged |= later.stateChanged;
		this.releaseLease |= later.releaseLease;
		this.signalsSeen = later.signalsSeen;
		if (later.deliveries != null) {
			later.deliveries.forEach(this::deliver);
		}
	}

	/**
	 * Whether anything must be stored before the actions run.
	 * @return {@code true} if rows or events changed
	 */
	public boolean needsWrite() {
		return this.stateChanged || this.releaseLease || this.steps != null || this.events != null
				|| this.deliveries != null;
	}

	public InstanceUpdate toUpdate(String instanceId, long fence) {
		if (this.state == null) {
			throw new IllegalStateException("transition of " + instanceId + " has no state");
		}
		return new InstanceUpdate(instanceId, fence, this.decidedAt, this.state, this.releaseLease,
				immutable(this.steps), immutable(this.events), this.signalsSeen, immutable(this.deliveries),
				this.stateChanged);
	}

	private static <T> List<T> listOf(@Nullable List<T> values) {
		return (values != null) ? values : List.of();
	}

	/** The list as an immutable one: itself, unless it grew beyond two elements. */
	private static <T> List<T> immutable(@Nullable List<T> values) {
		if (values == null) {
			return List.of();
		}
		return (values instanceof ArrayList) ? List.copyOf(values) : values;
	}

	public boolean releasesLease() {
		return this.releaseLease;
	}

	public @Nullable InstanceState state() {
		return this.state;
	}

	public List<WorkflowEvent> events() {
		return listOf(this.events);
	}

	public List<SignalDelivery> deliveries() {
		return listOf(this.deliveries);
	}

	public List<FollowUp> followUps() {
		return listOf(this.followUps);
	}

}
