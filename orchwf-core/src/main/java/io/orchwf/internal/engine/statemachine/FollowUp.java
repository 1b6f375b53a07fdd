package io.orchwf.internal.engine.statemachine;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import io.orchwf.internal.engine.attempt.Attempt;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.store.StoredInstance;
import org.jspecify.annotations.Nullable;

/**
 * What a decision asks for once its transition is committed. The decisions only say what
 * follows; the run that drives the instance carries it out, so that nothing that decides
 * holds the node, the pools or the run itself.
 */
public sealed interface FollowUp {

	/**
	 * Run an attempt: of a step, of a forEach element, or of a compensator.
	 *
	 * @param attempt the attempt
	 */
	record Launch(Attempt attempt) implements FollowUp {
	}

	/**
	 * Look at the instance again at a time (a retry, a timer, a wait's deadline).
	 *
	 * @param at when
	 */
	record WakeAt(Instant at) implements FollowUp {
	}

	/**
	 * Start the child instance of a child step, unless it exists.
	 *
	 * @param stepIndex the child step
	 * @param childId the child's id, chosen by the parent
	 * @param workflowId the child's workflow
	 * @param input the child's input
	 */
	record StartChild(int stepIndex, String childId, String workflowId, JsonObject input) implements FollowUp {
	}

	/**
	 * Cancel a child instance, wherever it runs.
	 *
	 * @param childId the child
	 * @param reason why
	 */
	record CancelChild(String childId, String reason) implements FollowUp {
	}

	/**
	 * Tell the node that another instance received a signal with this transition (a
	 * child's end reaching its parent).
	 *
	 * @param instanceId the signalled instance
	 */
	record Signalled(String instanceId) implements FollowUp {
	}

	/**
	 * Complete a future once the transition is stored (a resumption its caller waits
	 * for).
	 *
	 * @param stored the future
	 */
	record Stored(CompletableFuture<Void> stored) implements FollowUp {
	}

	/**
	 * The instance is no longer driven here.
	 *
	 * @param ending why
	 * @param finalState the instance as stored, if it finished
	 */
	record Ended(RunEnding ending, @Nullable StoredInstance finalState) implements FollowUp {
	}

}
