package io.orchwf.internal.engine.attempt;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.orchwf.StepResult;
import io.orchwf.internal.json.JsonObject;
import org.jspecify.annotations.Nullable;

/**
 * The run an attempt belongs to, as the attempt sees it: what the step's code may read of
 * its instance, and where the attempt reports how it ended.
 */
public interface AttemptOwner {

	/**
	 * The instance.
	 * @return its id
	 */
	String instanceId();

	/**
	 * The instance's workflow.
	 * @return its id
	 */
	String workflowId();

	/**
	 * The instance's metadata.
	 * @return the metadata
	 */
	JsonObject metadata();

	/**
	 * The output of a step as an attempt may see it: an ancestor's, or, for a
	 * compensation, the compensated step's own.
	 * @param attempt the attempt that asks
	 * @param stepId the step
	 * @return its output
	 */
	Map<String, Object> outputVisibleTo(Attempt attempt, String stepId);

	/**
	 * How a step ended, as an attempt may see it: an ancestor's result, or, for a
	 * compensation, the compensated step's own.
	 * @param attempt the attempt that asks
	 * @param stepId the step
	 * @return its result, or empty if the attempt may not see it
	 */
	Optional<StepResult> resultVisibleTo(Attempt attempt, String stepId);

	/**
	 * The payloads of the signals of one name the instance has received.
	 * @param name the signal name
	 * @return the payloads, oldest first
	 */
	List<Map<String, Object>> signals(String name);

	/**
	 * An attempt ended, with an output or a failure (both {@code null} for a compensation
	 * that succeeded).
	 * @param attempt the attempt
	 * @param output its output
	 * @param failure its failure
	 */
	void finished(Attempt attempt, @Nullable JsonObject output, @Nullable StepFailure failure);

	/**
	 * An attempt ran out of time.
	 * @param attempt the attempt
	 */
	void timedOut(Attempt attempt);

}
