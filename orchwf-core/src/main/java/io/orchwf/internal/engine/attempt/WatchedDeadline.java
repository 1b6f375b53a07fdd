package io.orchwf.internal.engine.attempt;

import org.jspecify.annotations.Nullable;

/**
 * Something a {@link StepDeadlines} watch bounds in time: the watch links it into its
 * list through these fields, so that arming a deadline allocates nothing. The fields are
 * the watch's, guarded by its lock.
 */
abstract class WatchedDeadline {

	long deadlineNanos;

	boolean watched;

	@Nullable WatchedDeadline previousWatched;

	@Nullable WatchedDeadline nextWatched;

	@Nullable Listener listener;

	/**
	 * Told when a watched deadline passes, on the watch's thread: it must hand the work
	 * on, not do it there.
	 */
	@FunctionalInterface
	interface Listener {

		/**
		 * A deadline passed.
		 * @param deadline what it bounded
		 */
		void passed(WatchedDeadline deadline);

	}

}
