package io.orchwf;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * What an attempt of a step sees: its input, its identity and the workflow's metadata.
 *
 * <p>
 * The input is deterministic: the workflow input overlaid with the outputs of all the
 * step's ancestors, merged in topological order. It is the same on every attempt and
 * after any recovery. All maps are read-only.
 */
public interface StepContext {

	/**
	 * The workflow instance this attempt belongs to.
	 * @return the instance id
	 */
	String instanceId();

	/**
	 * The workflow definition id.
	 * @return the workflow id
	 */
	String workflowId();

	/**
	 * The step being run.
	 * @return the step id
	 */
	String stepId();

	/**
	 * The attempt number, starting at 1.
	 * @return the 1-based attempt number
	 */
	int attempt();

	/**
	 * The step's input: the workflow input overlaid with its ancestors' outputs.
	 * @return a read-only map of JSON-compatible values
	 */
	Map<String, Object> input();

	/**
	 * Read one input value, converted to the given type (numbers widen or narrow, maps
	 * become objects as Jackson would bind them).
	 * @param <T> the type to convert to
	 * @param key the input key
	 * @param type the type to convert to
	 * @return the converted value, or {@code null} if the key is absent or its value is
	 * null
	 * @throws IllegalArgumentException if the value cannot be converted to the type
	 */
	<T> @Nullable T get(String key, Class<T> type);

	/**
	 * The output of an ancestor step (a step this one depends on, directly or not).
	 * @param stepId the ancestor's id
	 * @return its read-only output; empty if it is not an ancestor or produced nothing
	 */
	Map<String, Object> stepOutput(String stepId);

	/**
	 * How an ancestor step (a step this one depends on, directly or not) ended: its
	 * state, its output and, if it failed, the message and type of its failure. A join
	 * after a {@link FailurePolicy#COMPLETE_ALL} block or after steps that are not
	 * required sees this way which branches failed and why. A compensator sees its own
	 * step's result too, as it sees its output.
	 *
	 * <p>
	 * The contexts the engine gives step code, conditions, compensators and
	 * {@link StepDefinition#timerUntil timerUntil} functions answer for every ancestor.
	 * This method has a default, which answers empty as for a step that is not an
	 * ancestor, only so that contexts implemented elsewhere (test doubles in users'
	 * tests) still compile; such an implementation should override it.
	 * @param stepId the ancestor's id
	 * @return its result; empty if it is not an ancestor: an unknown id, a step that does
	 * not precede this one, or this step itself (but for its compensator)
	 * @see StepResult
	 */
	default Optional<StepResult> stepResult(String stepId) {
		return Optional.empty();
	}

	/**
	 * The workflow instance's metadata, including {@code trace_id} and
	 * {@code correlation_id}.
	 * @return a read-only map
	 */
	Map<String, Object> metadata();

	/**
	 * A key that identifies this step of this instance (and, in a forEach step, this
	 * element), stable across retries, resumes and recoveries; pass it to external
	 * systems to make the step's effects idempotent.
	 * @return the idempotency key
	 */
	String idempotencyKey();

	/**
	 * The payloads of the signals of the given name the instance has received so far.
	 * @param name the signal name
	 * @return the payloads in arrival order; empty if none
	 */
	List<Map<String, Object>> signals(String name);

	/**
	 * Whether this attempt has been cancelled (timed out, the workflow was cancelled or
	 * is failing fast). Its result will be ignored; long-running work should stop.
	 * @return {@code true} once the attempt is cancelled
	 */
	boolean isCancelled();

}
