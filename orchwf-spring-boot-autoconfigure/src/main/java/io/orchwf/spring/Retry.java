package io.orchwf.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The retry policy of a {@link WorkflowStep}. Attributes left unset inherit from
 * {@code orchwf.default-retry}; {@code orchwf.workflows.<workflow>.steps.<step>.retry.*}
 * properties override them.
 */
@Target({})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Retry {

	/**
	 * Total number of executions, first one included; 0 to inherit.
	 * @return the maximum attempts
	 */
	int maxAttempts() default 0;

	/**
	 * Delay before the first retry, such as {@code "1s"}; empty to inherit.
	 * @return the initial interval
	 */
	String initialInterval() default "";

	/**
	 * Factor applied to the delay after each retry; 0 to inherit.
	 * @return the multiplier
	 */
	double multiplier() default 0;

	/**
	 * Upper bound of any delay, such as {@code "60s"}; empty to inherit.
	 * @return the maximum interval
	 */
	String maxInterval() default "";

	/**
	 * Fraction of each delay by which it is randomly moved; negative to inherit.
	 * @return the jitter
	 */
	double jitter() default -1;

	/**
	 * Error types that are retried; empty to inherit.
	 * @return the retryable types
	 */
	String[] retryableErrors() default {};

	/**
	 * Error types that are never retried; empty to inherit.
	 * @return the non-retryable types
	 */
	String[] nonRetryableErrors() default {};

}
