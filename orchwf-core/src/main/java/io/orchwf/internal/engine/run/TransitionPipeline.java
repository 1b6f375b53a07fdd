package io.orchwf.internal.engine.run;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.orchwf.internal.engine.statemachine.FollowUp;
import io.orchwf.internal.engine.statemachine.Transition;
import io.orchwf.internal.engine.write.TransitionWriter.WriteOutcome;
import io.orchwf.internal.engine.write.TransitionWriter;
import io.orchwf.store.InstanceUpdate;
import io.orchwf.store.SignalDelivery;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orders the writes of one instance: at most one in flight, later decisions merged into
 * the next write, and each transition's actions run only after its commit, in decision
 * order. Writes complete on whatever thread the writer chooses; a write that completes at
 * once is followed by the next without growing the stack.
 */
final class TransitionPipeline {

	private static final Logger logger = LoggerFactory.getLogger(TransitionPipeline.class);

	private final String instanceId;

	private final long fence;

	private final TransitionWriter writer;

	private final EventDispatcher events;

	private final Consumer<WriteOutcome> onLost;

	private final Consumer<FollowUp> followUps;

	private @Nullable Transition pending;

	private boolean writing;

	private boolean lost;

	/**
	 * Create the pipeline of one instance.
	 * @param instanceId the instance
	 * @param fence the fence its writes carry
	 * @param writer the node's writer
	 * @param events the node's listeners
	 * @param onLost called with the outcome of a write that was not applied: the node no
	 * longer drives the instance
	 * @param followUps carries out what a committed transition asks for
	 */
	TransitionPipeline(String instanceId, long fence, TransitionWriter writer, EventDispatcher events,
			Consumer<WriteOutcome> onLost, Consumer<FollowUp> followUps) {
		this.instanceId = instanceId;
		this.fence = fence;
		this.writer = writer;
		this.events = events;
		this.onLost = onLost;
		this.followUps = followUps;
	}

	/**
	 * Queue a transition. Call it while holding the run's lock, so that transitions queue
	 * in decision order; then, without the lock, pass the result to {@link #pump}.
	 * @param transition the decided transition
	 * @return the transition to write now, or {@code null} if a write is in flight (the
	 * transition then rides with the next one)
	 */
	synchronized @Nullable Transition enqueue(Transition transition) {
		if (this.lost) {
			return null;
		}
		if (this.writing) {
			if (this.pending == null) {
				this.pending = transition;
			}
			else {
				this.pending.absorb(transition);
			}
			return null;
		}
		this.writing = true;
		return transition;
	}

	/**
	 * Mark a write as in flight without writing, for the first transition of an instance,
	 * which its creation stores.
	 */
	synchronized void holdForCreation() {
		this.writing = true;
	}

	/**
	 * The instance was created with the first transition: act on it, then write what
	 * queued up meanwhile.
	 * @param first the transition stored with the instance
	 */
	void createdWith(Transition first) {
		if (committed(first, WriteOutcome.APPLIED)) {
			pump(next());
		}
	}

	/**
	 * Drop whatever waits to be written; the run no longer drives the instance.
	 */
	synchronized void discard() {
		this.lost = true;
		this.pending = null;
	}

	/**
	 * Write a transition and those that queue up behind it.
	 * @param first the transition {@link #enqueue} returned, or {@code null}
	 */
	void pump(@Nullable Transition first) {
		pump(first, false);
	}

	/**
	 * Write a transition and those that queue up behind it.
	 * @param first the transition {@link #enqueue} returned, or {@code null}
	 * @param onAttemptThread whether this is the thread of an attempt that has just
	 * ended, which the writer may commit on (see
	 * {@link TransitionWriter#writeOnAttemptThread})
	 */
	void pump(@Nullable Transition first, boolean onAttemptThread) {
		Transition transition = first;
		while (transition != null) {
			if (!transition.needsWrite()) {
				runActions(transition);
				transition = next();
				continue;
			}
			InstanceUpdate update = transition.toUpdate(this.instanceId, this.fence);
			CompletableFuture<WriteOutcome> outcome = onAttemptThread ? this.writer.writeOnAttemptThread(update)
					: this.writer.write(update);
			if (!outcome.isDone()) {
				Transition inFlight = transition;
				outcome.whenComplete((result, failure) -> {
					if (committed(inFlight, (failure != null) ? WriteOutcome.ABANDONED : result)) {
						pump(next());
					}
				});
				return;
			}
			if (!committed(transition, outcome.join())) {
				return;
			}
			transition = next();
		}
	}

	/**
	 * Act on a transition whose write has completed.
	 * @param transition the transition
	 * @param outcome what became of its write
	 * @return {@code true} if it was applied and the pipeline goes on
	 */
	boolean committed(Transition transition, WriteOutcome outcome) {
		if (outcome != WriteOutcome.APPLIED) {
			logger.info("Instance {} is no longer driven by this node: its write was {}", this.instanceId,
					outcome.name().toLowerCase(Locale.ROOT));
			synchronized (this) {
				this.lost = true;
			}
			this.onLost.accept(outcome);
			return false;
		}
		runActions(transition);
		return true;
	}

	private void runActions(Transition transition) {
		// nothing may stop the actions, or the instance would wait forever for attempts
		// that were never launched
		try {
			this.events.dispatch(transition.events());
			for (SignalDelivery delivery : transition.deliveries()) {
				this.events.dispatch(List.of(delivery.event()));
			}
		}
		catch (Throwable ex) {
			logger.error("Dispatching the events of instance {} failed", this.instanceId, ex);
		}
		List<FollowUp> followUps = transition.followUps();
		for (int i = 0; i < followUps.size(); i++) {
			FollowUp followUp = followUps.get(i);
			try {
				this.followUps.accept(followUp);
			}
			catch (Throwable ex) {
				logger.error("Action after a transition of instance {} failed", this.instanceId, ex);
			}
		}
	}

	private synchronized @Nullable Transition next() {
		if (this.lost) {
			return null;
		}
		Transition next = this.pending;
		this.pending = null;
		if (next == null) {
			this.writing = false;
		}
		return next;
	}

}
