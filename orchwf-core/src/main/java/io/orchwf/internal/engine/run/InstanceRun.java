package io.orchwf.internal.engine.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

import io.orchwf.StepResult;
import io.orchwf.internal.engine.attempt.Attempt;
import io.orchwf.internal.engine.attempt.AttemptOwner;
import io.orchwf.internal.engine.attempt.AttemptRunner;
import io.orchwf.internal.engine.attempt.StepFailure;
import io.orchwf.internal.engine.statemachine.FollowUp;
import io.orchwf.internal.engine.statemachine.RunDecisions;
import io.orchwf.internal.engine.statemachine.RunEnding;
import io.orchwf.internal.engine.statemachine.SignalBox;
import io.orchwf.internal.engine.statemachine.StepBook;
import io.orchwf.internal.engine.statemachine.Transition;
import io.orchwf.internal.engine.write.TransitionWriter.WriteOutcome;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.internal.json.JsonValues;
import io.orchwf.internal.plan.WorkflowPlan;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.InstanceState;
import io.orchwf.store.SignalRecord;
import io.orchwf.store.StepRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one workflow instance on this node, from the moment it is created or claimed
 * until it finishes, parks to wait, is handed back or is lost.
 *
 * <p>
 * Every input (an attempt's result, a timeout, a due retry, a cancellation) is handled
 * the same way: under the run's lock, {@link RunDecisions} changes the state and decides
 * what follows, into a {@link Transition}; then, without the lock, the
 * {@link TransitionPipeline} commits it, and only then are its follow-ups (starting
 * attempts, arming timers, telling waiters) carried out. The run holds no thread: its
 * attempts run on the node's pools, and between inputs it is only memory.
 */
public final class InstanceRun implements AttemptOwner, DrivenRun {

	private static final Logger logger = LoggerFactory.getLogger(InstanceRun.class);

	/**
	 * One input's change of state, made under the run's lock.
	 */
	@FunctionalInterface
	private interface Change {

		/**
		 * Change the state.
		 * @return {@code false} to decide nothing (the input does not apply)
		 */
		boolean apply(Transition transition, Instant now);

	}

	private final RunHost host;

	private final WorkflowPlan plan;

	private final InstanceRecord record;

	private final JsonObject metadata;

	private final StepBook steps;

	private final RunDecisions decisions;

	private final TransitionPipeline pipeline;

	private final AttemptRunner attempts;

	private InstanceState lastState;

	private boolean abandoned;

	/**
	 * Prepare to drive an instance this node created or claimed.
	 * @param host the node's services
	 * @param plan the instance's workflow version
	 * @param record the instance row, leased to this node
	 * @param stepRecords the step rows
	 * @param signals the signals the instance has received, if its workflow has steps
	 * that wait for signals (else ignored)
	 */
	public InstanceRun(RunHost host, WorkflowPlan plan, InstanceRecord record, List<StepRecord> stepRecords,
			List<SignalRecord> signals) {
		this.host = host;
		this.plan = plan;
		this.record = record;
		this.metadata = JsonValues.object(record.metadata(), "metadata");
		this.steps = new StepBook(plan, JsonValues.object(record.input(), "input"), stepRecords);
		this.decisions = new RunDecisions(new NodeScope(host, plan, this), plan, record, this.metadata, this.steps,
				new SignalBox(plan.waitsForSignals(), plan.waitsForSignals() ? signals : List.of()));
		this.lastState = this.decisions.state();
		this.pipeline = new TransitionPipeline(record.id(), record.fence(), host.writer(), host.events(),
				this::writeNotApplied, this::carryOut);
		this.attempts = new AttemptRunner(host.attempts(), plan, this);
	}

	/**
	 * Carry out what a committed transition asks for.
	 */
	private void carryOut(FollowUp followUp) {
		if (followUp instanceof FollowUp.Launch launch) {
			this.attempts.launch(launch.attempt());
		}
		else if (followUp instanceof FollowUp.WakeAt wake) {
			this.host.wakeAt(instanceId(), wake.at());
		}
		else if (followUp instanceof FollowUp.StartChild child) {
			ChildStart start = new ChildStart(instanceId(), workflowId(), this.metadata, child.stepIndex(),
					stepId(child.stepIndex()), child.childId(), child.workflowId(), child.input());
			this.host.startChild(start, this::childCreated);
		}
		else if (followUp instanceof FollowUp.CancelChild child) {
			this.host.cancelChild(child.childId(), child.reason());
		}
		else if (followUp instanceof FollowUp.Signalled signalled) {
			this.host.signalled(signalled.instanceId());
		}
		else if (followUp instanceof FollowUp.Stored stored) {
			stored.stored().complete(null);
		}
		else if (followUp instanceof FollowUp.Ended ended) {
			this.host.runEnded(this, ended.ending(), ended.finalState());
		}
	}

	@Override
	public String instanceId() {
		return this.record.id();
	}

	@Override
	public String workflowId() {
		return this.record.workflowId();
	}

	private String stepId(int index) {
		return this.plan.step(index).id();
	}

	@Override
	public JsonObject metadata() {
		return this.metadata;
	}

	@Override
	public synchronized @Nullable Instant wakeAt() {
		return this.decisions.wakeAt();
	}

	/**
	 * The rows of every step, for the creation of a new instance.
	 * @return the step rows in definition order
	 */
	public synchronized List<StepRecord> stepRecords() {
		return this.steps.records();
	}

	/**
	 * Decide the first transition of a new instance; the caller stores it with the
	 * instance and then calls {@link #created}.
	 * @return the transition
	 */
	public synchronized Transition begin() {
		Instant now = this.host.now();
		Transition transition = new Transition(now);
		this.decisions.begin(transition, now);
		this.decisions.advance(transition, now);
		seal(transition);
		this.pipeline.holdForCreation();
		return transition;
	}

	/**
	 * The instance and its first transition are stored: act on it.
	 * @param transition what {@link #begin} returned
	 */
	public void created(Transition transition) {
		this.pipeline.createdWith(transition);
	}

	/**
	 * Continue an instance this node has just claimed.
	 * @param publish makes the run reachable (registers it with the node); called under
	 * the run's lock, so that no other input reaches the run before it has recovered
	 * @return completed once the recovery's first transition is stored, or at once if the
	 * run does not recover
	 */
	public CompletableFuture<Void> recover(Runnable publish) {
		CompletableFuture<Void> stored = new CompletableFuture<>();
		return afterClaim(publish, stored, (transition, now) -> this.decisions.recover(transition, now, stored));
	}

	/**
	 * Run a failed instance again, keeping the outputs of its completed steps.
	 * @param publish makes the run reachable; called under the run's lock
	 * @return completed once the resumption is stored
	 */
	public CompletableFuture<Void> resumeFailed(Runnable publish) {
		CompletableFuture<Void> stored = new CompletableFuture<>();
		return afterClaim(publish, stored, (transition, now) -> this.decisions.resumeFailed(transition, now, stored));
	}

	private CompletableFuture<Void> afterClaim(Runnable publish, CompletableFuture<Void> stored,
			BiConsumer<Transition, Instant> decision) {
		boolean decided = input((transition, now) -> {
			publish.run();
			if (this.abandoned) {
				return false;
			}
			decision.accept(transition, now);
			return true;
		});
		if (!decided) {
			stored.complete(null);
		}
		return stored;
	}

	/**
	 * A due retry: start what is due.
	 * @return {@code false} if the run no longer drives the instance
	 */
	public boolean wake() {
		return input((transition, now) -> !this.decisions.isEnded());
	}

	/**
	 * Cancel the instance: stop scheduling, interrupt running attempts, compensate, end
	 * cancelled.
	 * @param reason why
	 * @return {@code false} if the run no longer drives the instance
	 */
	public boolean cancel(String reason) {
		synchronized (this) {
			if (this.decisions.isEnded()) {
				return false;
			}
		}
		input((transition, now) -> {
			if (!this.decisions.acceptsCancel()) {
				return false;
			}
			this.decisions.cancel(transition, now, reason);
			return true;
		});
		return true;
	}

	/**
	 * The node is shutting down: start nothing more, and hand the instance back once the
	 * running attempts have ended.
	 */
	public void drain() {
		input((transition, now) -> this.decisions.drain());
	}

	/**
	 * An attempt ended, with an output or a failure (both {@code null} for a compensation
	 * that succeeded). The result of an attempt the run no longer waits for is ignored.
	 */
	@Override
	public void finished(Attempt attempt, @Nullable JsonObject output, @Nullable StepFailure failure) {
		input((transition, now) -> this.decisions.finished(transition, attempt, output, failure, now), true);
	}

	/**
	 * The instance may have received signals this run has not seen: read them and act on
	 * them. Reads the store, so call it on a thread that may block.
	 */
	public void refreshSignals() {
		boolean tracked;
		synchronized (this) {
			tracked = this.decisions.tracksSignals() && !this.decisions.isEnded();
		}
		if (!tracked) {
			return;
		}
		List<SignalRecord> received = this.host.store().signals(instanceId());
		input((transition, now) -> this.decisions.signalsArrived(received));
	}

	/**
	 * How many signals the run has seen.
	 * @return the count, or {@link io.orchwf.store.InstanceUpdate#SIGNALS_IGNORED}
	 */
	public synchronized long signalsSeen() {
		return this.decisions.signalsSeen();
	}

	/**
	 * The node tried to start the child of a child step.
	 * @param stepIndex the child step
	 * @param childId the child
	 * @param failure why it could not, or {@code null} if it runs
	 */
	private void childCreated(int stepIndex, String childId, @Nullable StepFailure failure) {
		input((transition, now) -> this.decisions.childCreated(transition, stepIndex, childId, failure, now));
	}

	/**
	 * An attempt ran out of time: it fails with type {@code timeout}, and whatever it
	 * reports later is ignored.
	 */
	@Override
	public void timedOut(Attempt attempt) {
		input((transition, now) -> this.decisions.timedOut(transition, attempt, now));
	}

	/**
	 * The node no longer drives the instance (its lease is lost, a write was refused, or
	 * it shuts down without waiting): interrupt what runs and write nothing more.
	 */
	public void abandon() {
		synchronized (this) {
			if (this.abandoned) {
				return;
			}
			this.abandoned = true;
			this.pipeline.discard();
			this.decisions.abandon();
		}
		this.host.runEnded(this, RunEnding.ABANDONED, null);
	}

	/**
	 * Whether the run decided its last transition: the instance finished or parked, and
	 * the run is on its way out of the node's runs.
	 * @return {@code true} once ended
	 */
	public synchronized boolean isEnded() {
		return this.decisions.isEnded();
	}

	/**
	 * A write was not applied: another node owns the instance now, or the store refused
	 * the write for good, or the node is closing.
	 */
	private void writeNotApplied(WriteOutcome outcome) {
		abandon();
		if (outcome == WriteOutcome.ABANDONED) {
			// this node still holds the lease, and no other node would take the instance
			// while its heartbeat goes on
			this.host.handBack(instanceId());
		}
	}

	/**
	 * The heartbeat found the lease gone. A run that has just ended released it itself;
	 * any other must stop.
	 */
	public void leaseLost() {
		synchronized (this) {
			if (this.decisions.isEnded()) {
				return;
			}
		}
		logger.warn("Lost the lease of instance {}; another node drives it now", instanceId());
		abandon();
	}

	/**
	 * Handle one input: under the lock, apply its change and decide what follows; then,
	 * without the lock, write the result.
	 * @return what the change returned
	 */
	private boolean input(Change change) {
		return input(change, false);
	}

	/**
	 * Handle one input as {@link #input(Change)} does.
	 * @param onAttemptThread whether the caller is the thread of an attempt that has just
	 * ended, on which the transition may be committed
	 */
	private boolean input(Change change, boolean onAttemptThread) {
		Transition toWrite;
		synchronized (this) {
			Instant now = this.host.now();
			Transition transition = new Transition(now);
			if (!change.apply(transition, now)) {
				return false;
			}
			this.decisions.advance(transition, now);
			toWrite = seal(transition);
		}
		this.pipeline.pump(toWrite, onAttemptThread);
		return true;
	}

	/**
	 * Stamp the transition with the instance state and queue it.
	 * @return the transition to write now, or {@code null}
	 */
	private @Nullable Transition seal(Transition transition) {
		InstanceState state = this.decisions.state();
		boolean changed = !state.equals(this.lastState);
		this.lastState = state;
		transition.state(state, changed, this.decisions.leaseReleased());
		transition.signalsSeen(this.decisions.signalsSeen());
		return this.pipeline.enqueue(transition);
	}

	/**
	 * The output of a step as an attempt may see it: an ancestor's, or, for a
	 * compensation, the compensated step's own.
	 */
	@Override
	public synchronized Map<String, Object> outputVisibleTo(Attempt attempt, String stepId) {
		return this.steps.outputVisibleTo(attempt, stepId);
	}

	/**
	 * How a step ended, as an attempt may see it: an ancestor's, or a compensated step's.
	 */
	@Override
	public synchronized Optional<StepResult> resultVisibleTo(Attempt attempt, String stepId) {
		return this.steps.resultVisibleTo(attempt, stepId);
	}

	/**
	 * The payloads of the signals of one name the instance has received.
	 */
	@Override
	public List<Map<String, Object>> signals(String name) {
		List<Map<String, Object>> payloads = new ArrayList<>();
		for (SignalRecord signal : this.host.store().signals(instanceId(), name)) {
			payloads.add(signal.payload());
		}
		return payloads;
	}

	@Override
	public String toString() {
		return "InstanceRun[" + instanceId() + ", " + this.plan.key() + "]";
	}

}
