package io.orchwf.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a bean, or a method of a bean, a step of a workflow.
 *
 * <p>
 * On a class, the bean must implement {@link io.orchwf.StepExecutor}. On a method, the
 * method must take a {@link io.orchwf.StepContext} and return
 * {@code Map<String, Object>}. Steps with the same {@link #workflow()} are assembled into
 * one registered workflow, wired by their {@link #dependsOn()}. Calls go through the
 * bean's proxy, so {@code @Transactional} and other advice apply.
 *
 * <pre>{@code
 * &#64;Component
 * class OrderSteps {
 *
 *     &#64;WorkflowStep(workflow = "order_processing", id = "process_payment", dependsOn = "validate_order",
 *             async = true, timeout = "${orders.payment-timeout:30s}", retry = @Retry(maxAttempts = 5),
 *             compensation = "refund")
 *     Map<String, Object> charge(StepContext context) { ... }
 *
 *     void refund(StepContext context) { ... }
 *
 * }
 * }</pre>
 *
 * <p>
 * {@code orchwf.workflows.<workflow>.steps.<id>.*} properties override what the
 * annotation says. Steps that only wait (for a signal, a duration or a child workflow)
 * are declared with {@link WorkflowWait}.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface WorkflowStep {

	/**
	 * The id of the workflow the step belongs to.
	 * @return the workflow id
	 */
	String workflow();

	/**
	 * The step's id, unique in its workflow.
	 * @return the step id
	 */
	String id();

	/**
	 * A human-readable name; empty to use the id.
	 * @return the name
	 */
	String name() default "";

	/**
	 * A description.
	 * @return the description
	 */
	String description() default "";

	/**
	 * The ids of the steps this one depends on.
	 * @return the dependencies
	 */
	String[] dependsOn() default {};

	/**
	 * Whether the step runs on the async worker pool, concurrently with other ready
	 * steps.
	 * @return whether the step is async
	 */
	boolean async() default false;

	/**
	 * Whether the workflow fails when this step fails.
	 * @return whether the step is required
	 */
	boolean required() default true;

	/**
	 * Order among steps ready at the same time; higher first.
	 * @return the priority
	 */
	int priority() default 0;

	/**
	 * Bound of each attempt, such as {@code "30s"} or {@code "PT1M"}; placeholders are
	 * resolved. Empty to use {@code orchwf.default-step-timeout}.
	 * @return the timeout
	 */
	String timeout() default "";

	/**
	 * The step's retry policy; attributes left unset inherit from
	 * {@code orchwf.default-retry}.
	 * @return the retry policy
	 */
	Retry retry() default @Retry;

	/**
	 * What undoes the step if the workflow fails or is cancelled after it completed: the
	 * name of a method of the same bean that takes a {@link io.orchwf.StepContext}, or
	 * the name of a {@link io.orchwf.StepCompensator} bean. Empty for none.
	 * @return the compensation
	 */
	String compensation() default "";

	/**
	 * Make the step a forEach step: the key of the list in the step's input that it maps
	 * over; the step's code runs once per element, with {@code item} and {@code index} in
	 * its input, and the step's output is {@code {"results": [...]}} (see
	 * {@link io.orchwf.StepDefinition#forEach}). Empty for an ordinary step.
	 * @return the input key of the list
	 */
	String forEach() default "";

	/**
	 * How many elements of a {@link #forEach()} step run at once; 0 for all of them.
	 * @return the limit
	 */
	int maxConcurrency() default 0;

}
