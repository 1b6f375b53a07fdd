package io.orchwf;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Wraps the code of every step attempt, element of a forEach step and compensation, on
 * the thread it runs on: to put it in a scope (a tracing span, a logging context, a
 * security context), measure it, or guard it.
 *
 * <pre>{@code
 * Orchestrator.builder(store)
 *     .stepInterceptor((invocation) -> {
 *         MDC.put("step", invocation.context().stepId());
 *         try {
 *             return invocation.proceed();
 *         }
 *         finally {
 *             MDC.remove("step");
 *         }
 *     })
 *     .build();
 * }</pre>
 *
 * <p>
 * An interceptor runs where the step's code runs and as part of it: on the attempt's
 * thread, after the attempt has begun and within its timeout, so that a timeout or a
 * cancellation interrupts it too. Whatever it throws is the attempt's failure, as if the
 * step had thrown it; what it returns is the step's output. It normally calls
 * {@link StepInvocation#proceed()} once and returns what that returned. Steps the engine
 * runs itself (signal waits, timers, child workflows) run no code and are not
 * intercepted; neither are {@code when} conditions and {@code timerUntil} functions.
 *
 * <p>
 * Interceptors are registered with {@link Orchestrator.Builder#stepInterceptor}; the
 * first registered is the outermost. In Spring Boot, every {@code StepInterceptor} bean
 * is registered, in {@code @Order}.
 */
@FunctionalInterface
public interface StepInterceptor {

	/**
	 * Run one invocation of a step's code, normally by calling
	 * {@link StepInvocation#proceed()}.
	 * @param invocation what runs, and the way to run it
	 * @return the step's output, normally what {@code proceed()} returned; ignored for a
	 * compensation
	 * @throws Exception the failure of the attempt, normally what {@code proceed()} threw
	 */
	@Nullable Map<String, Object> intercept(StepInvocation invocation) throws Exception;

}
