package io.orchwf.internal.engine.write;

import java.util.concurrent.CompletableFuture;

import io.orchwf.store.InstanceUpdate;

/**
 * Commits transitions to the store. Each instance has at most one write in flight (see
 * the run that drives it), so a writer may reorder writes of different instances but
 * never those of one.
 */
public interface TransitionWriter {

	/**
	 * Commit one transition, retrying while the store is unavailable.
	 * @param update the transition
	 * @return the outcome, once known
	 */
	CompletableFuture<WriteOutcome> write(InstanceUpdate update);

	/**
	 * Commit one transition decided on the thread of an attempt that has just ended,
	 * which may as well wait for the commit: a writer may commit it on that thread when
	 * no other commit is running, sparing the hand-off to a committer and back (the next
	 * sync step of the instance then starts on the same thread too).
	 * @param update the transition
	 * @return the outcome, once known
	 */
	default CompletableFuture<WriteOutcome> writeOnAttemptThread(InstanceUpdate update) {
		return write(update);
	}

	/**
	 * Stop retrying; pending writes end {@link WriteOutcome#ABANDONED}.
	 */
	void close();

	/**
	 * What became of a write.
	 */
	enum WriteOutcome {

		/** Committed. */
		APPLIED,

		/** Refused because the instance's fence moved on: another node owns it now. */
		REJECTED,

		/** Given up because the orchestrator is closing and the store is unavailable. */
		ABANDONED

	}

}
