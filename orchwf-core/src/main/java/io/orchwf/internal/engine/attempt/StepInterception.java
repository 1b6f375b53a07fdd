package io.orchwf.internal.engine.attempt;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import io.orchwf.StepContext;
import io.orchwf.StepInterceptor;
import io.orchwf.StepInvocation;
import org.jspecify.annotations.Nullable;

/**
 * Runs a step's code inside the {@link StepInterceptor}s of the orchestrator, the first
 * registered outermost. Each interceptor gets an invocation of its own, so that it can
 * proceed once, and only once, to the next.
 */
public final class StepInterception {

	/**
	 * The code an invocation ends in.
	 */
	@FunctionalInterface
	interface Code {

		@Nullable Map<String, Object> run() throws Exception;

	}

	private final List<StepInterceptor> interceptors;

	/**
	 * Create the interception of a node's attempts.
	 * @param interceptors the interceptors, outermost first
	 */
	public StepInterception(List<StepInterceptor> interceptors) {
		this.interceptors = List.copyOf(interceptors);
	}

	/**
	 * Run a step's code within the interceptors.
	 * @param context what the code sees
	 * @param compensation whether the code is a compensator
	 * @param element the forEach element, or {@link Attempt#NO_ELEMENT}
	 * @param code the step's code
	 * @return what the outermost interceptor (or, without any, the code) returned
	 * @throws Exception what it threw
	 */
	@Nullable Map<String, Object> run(StepContext context, boolean compensation, int element, Code code) throws Exception {
		if (this.interceptors.isEmpty()) {
			return code.run();
		}
		return new Invocation(context, compensation, element, code, 0).proceed();
	}

	/**
	 * The invocation one interceptor proceeds with: to the interceptor at its level, or
	 * to the code past the last one.
	 */
	private final class Invocation implements StepInvocation {

		private final StepContext context;

		private final boolean compensation;

		private final int element;

		private final Code code;

		private final int level;

		private boolean proceeded;

		Invocation(StepContext context, boolean compensation, int element, Code code, int level) {
			this.context = context;
			this.compensation = compensation;
			this.element = element;
			this.code = code;
			this.level = level;
		}

		@Override
		public StepContext context() {
			return this.context;
		}

		@Override
		public boolean isCompensation() {
			return this.compensation;
		}

		@Override
		public OptionalInt element() {
			return (this.element != Attempt.NO_ELEMENT) ? OptionalInt.of(this.element) : OptionalInt.empty();
		}

		@Override
		public @Nullable Map<String, Object> proceed() throws Exception {
			if (this.proceeded) {
				throw new IllegalStateException("An interceptor of step " + this.context.stepId()
						+ " proceeded twice; call proceed() once per invocation");
			}
			this.proceeded = true;
			if (this.level == StepInterception.this.interceptors.size()) {
				return this.code.run();
			}
			return StepInterception.this.interceptors.get(this.level)
				.intercept(new Invocation(this.context, this.compensation, this.element, this.code, this.level + 1));
		}

		@Override
		public String toString() {
			return "StepInvocation[" + this.context + (this.compensation ? ", compensation" : "")
					+ ((this.element != Attempt.NO_ELEMENT) ? ", element " + this.element : "") + "]";
		}

	}

}
