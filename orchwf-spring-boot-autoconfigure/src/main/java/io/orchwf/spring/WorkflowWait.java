package io.orchwf.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a step that waits, run by the engine itself, in a workflow assembled from
 * {@link WorkflowStep} beans: exactly one of {@link #signal()} (the step completes when
 * that signal arrives, with its payload as output), {@link #duration()} (a durable
 * timer), {@link #until()} (a durable timer until an instant a method of the bean
 * computes when the step starts) or {@link #childWorkflow()} (the step runs that workflow
 * and completes with its output). Put it on any bean, typically the one holding the steps
 * around it; it may be repeated.
 *
 * <pre>{@code
 * &#64;Component
 * &#64;WorkflowWait(workflow = "order_processing", id = "await_approval", dependsOn = "reserve_stock",
 *         signal = "approve-payment", timeout = "${shop.approval-timeout:24h}")
 * class PaymentSteps { ... }
 *
 * &#64;Component
 * &#64;WorkflowWait(workflow = "delivery", id = "until_window", dependsOn = "schedule", until = "windowOpens")
 * class DeliverySteps {
 *
 *     Instant windowOpens(StepContext context) {
 *         return Instant.parse(context.get("window_opens_at", String.class));
 *     }
 *
 * }
 * }</pre>
 *
 * <p>
 * {@code orchwf.workflows.<workflow>.steps.<id>.*} properties override what the
 * annotation says, as for {@link WorkflowStep}.
 *
 * @see io.orchwf.StepDefinition#awaitSignal
 * @see io.orchwf.StepDefinition#timer
 * @see io.orchwf.StepDefinition#timerUntil
 * @see io.orchwf.StepDefinition#childWorkflow
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(WorkflowWaits.class)
public @interface WorkflowWait {

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
	 * Whether the workflow fails when this step fails (its wait times out, its child
	 * fails).
	 * @return whether the step is required
	 */
	boolean required() default true;

	/**
	 * The name of the signal the step waits for.
	 * @return the signal name, or empty
	 */
	String signal() default "";

	/**
	 * How long a timer step waits, such as {@code "30m"}; placeholders are resolved.
	 * @return the duration, or empty
	 */
	String duration() default "";

	/**
	 * Makes a timer step that waits until an instant computed at run time: the name of a
	 * method of the annotated bean that takes a {@link io.orchwf.StepContext} and returns
	 * the {@link java.time.Instant} to wait until. It is called once, when the step
	 * starts, through the bean's proxy; the instant is stored, so that a restart or
	 * another node waits for the same one, and one that has passed completes the step at
	 * once. A method that throws or returns {@code null} fails the step. A name that is
	 * no such method of the bean stops start-up.
	 * @return the method's name, or empty
	 * @see io.orchwf.StepDefinition#timerUntil
	 */
	String until() default "";

	/**
	 * The workflow a child step runs.
	 * @return the child workflow's id, or empty
	 */
	String childWorkflow() default "";

	/**
	 * Bound of the wait for a signal or a child, such as {@code "24h"}; placeholders are
	 * resolved. Empty to wait for as long as it takes.
	 * @return the timeout
	 */
	String timeout() default "";

	/**
	 * What undoes the step if the workflow fails or is cancelled after it completed: the
	 * name of a method of the annotated bean that takes a {@link io.orchwf.StepContext},
	 * or of a {@link io.orchwf.StepCompensator} bean. Empty for none.
	 * @return the compensation
	 */
	String compensation() default "";

}
