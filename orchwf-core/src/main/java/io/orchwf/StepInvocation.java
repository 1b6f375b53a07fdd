package io.orchwf;

import java.util.Map;
import java.util.OptionalInt;

import org.jspecify.annotations.Nullable;

/**
 * One run of a step's code as a {@link StepInterceptor} sees it: an attempt of a step, of
 * one element of a forEach step, or of a compensation.
 */
public interface StepInvocation {

	/**
	 * What the code sees: the instance, the step, the attempt and its input.
	 * @return the context the code gets
	 */
	StepContext context();

	/**
	 * Whether the code is the step's compensator rather than its executor.
	 * @return {@code true} for a compensation
	 */
	boolean isCompensation();

	/**
	 * The element of a forEach step this run maps, also found as {@code index} in the
	 * context's input.
	 * @return the element's index, or empty for a whole step or a compensation
	 */
	OptionalInt element();

	/**
	 * Run the next interceptor, or the step's code after the last one. Call it at most
	 * once.
	 * @return the step's output ({@code null} means empty); {@code null} for a
	 * compensation
	 * @throws Exception what the step's code (or a later interceptor) threw
	 * @throws IllegalStateException if it was called before
	 */
	@Nullable Map<String, Object> proceed() throws Exception;

}
