package io.orchwf.internal.engine.statemachine;

/**
 * How a run stopped being driven by this node.
 */
public enum RunEnding {

	/** The instance finished: completed, failed or cancelled. */
	FINISHED,

	/** The instance waits for a wake-up, lease released. */
	PARKED,

	/** The node handed the instance back (shutdown), lease released. */
	RELEASED,

	/**
	 * The node lost the instance (its lease or a write), nothing more was written.
	 */
	ABANDONED

}
