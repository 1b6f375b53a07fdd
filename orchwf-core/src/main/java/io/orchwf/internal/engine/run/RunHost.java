package io.orchwf.internal.engine.run;

import java.time.Instant;

import io.orchwf.internal.engine.attempt.AttemptServices;
import io.orchwf.internal.engine.attempt.StepFailure;
import io.orchwf.internal.engine.statemachine.RunEnding;
import io.orchwf.internal.engine.write.TransitionWriter;
import io.orchwf.store.StateStore;
import io.orchwf.store.StoredInstance;
import org.jspecify.annotations.Nullable;

/**
 * What a run needs from the node driving it: time, threads, the writer, the listeners,
 * and someone to tell when it stops being driven here.
 */
public interface RunHost {

	Instant now();

	String nodeId();

	/**
	 * Whether the node is shutting down: runs start nothing more and hand their instances
	 * back once idle.
	 * @return {@code true} once shutdown began
	 */
	boolean isClosing();

	StateStore store();

	/**
	 * What the run's attempts need of the node: its pools, its timer, its clock and the
	 * interceptors of step code.
	 * @return the node's attempt services
	 */
	AttemptServices attempts();

	TransitionWriter writer();

	EventDispatcher events();

	/**
	 * Ask for the instance to be looked at again at the given time (a retry is due).
	 * @param instanceId the instance
	 * @param at when
	 */
	void wakeAt(String instanceId, Instant at);

	/**
	 * Start the child of a child step, unless it exists, on a thread of the node's; then
	 * tell the parent.
	 * @param start the child and its parent
	 * @param reply told once the child runs, or why it cannot
	 */
	void startChild(ChildStart start, ChildCreated reply);

	/**
	 * Cancel a child instance, wherever it runs, without waiting for it to end.
	 * @param childId the child
	 * @param reason why
	 */
	void cancelChild(String childId, String reason);

	/**
	 * An instance received a signal: let it see it now if this node drives it, or take it
	 * if no node does (it waits).
	 * @param instanceId the instance
	 */
	void signalled(String instanceId);

	/**
	 * Give up an instance whose writes the store refused for good: release its lease so
	 * that it is tried again later, on any node. Never throws; a release that fails is
	 * retried.
	 * @param instanceId the instance
	 */
	void handBack(String instanceId);

	/**
	 * The run stopped being driven here, its last transition committed (or refused).
	 * @param run the run, as the node registered it
	 * @param ending why
	 * @param finalState the instance as its last transition stored it, when it
	 * {@linkplain RunEnding#FINISHED finished}; else {@code null}
	 */
	void runEnded(DrivenRun run, RunEnding ending, @Nullable StoredInstance finalState);

	/**
	 * What the parent of a child step is told once the node tried to start the child.
	 */
	@FunctionalInterface
	interface ChildCreated {

		/**
		 * The node tried to start the child.
		 * @param stepIndex the child step
		 * @param childId the child
		 * @param failure why it could not, or {@code null} if it runs
		 */
		void childCreated(int stepIndex, String childId, @Nullable StepFailure failure);

	}

}
