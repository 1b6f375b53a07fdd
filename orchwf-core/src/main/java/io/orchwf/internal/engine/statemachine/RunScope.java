package io.orchwf.internal.engine.statemachine;

import io.orchwf.StepContext;
import io.orchwf.internal.engine.attempt.Attempt;

/**
 * What the decisions of one instance may ask of what surrounds them, and nothing more:
 * the node's id and whether it shuts down, and the {@link StepContext} a step's condition
 * is evaluated with.
 */
public interface RunScope {

	/**
	 * The id of the node deciding, for the history.
	 * @return the node id
	 */
	String nodeId();

	/**
	 * Whether the node shuts down: the instance starts nothing more and is handed back
	 * once idle.
	 * @return {@code true} once shutdown began
	 */
	boolean isNodeClosing();

	/**
	 * The context a step's code or condition sees for an attempt.
	 * @param attempt the attempt
	 * @return its context
	 */
	StepContext contextOf(Attempt attempt);

}
