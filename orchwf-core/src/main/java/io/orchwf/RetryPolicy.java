package io.orchwf;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often a failing step is attempted and how long to wait between attempts.
 *
 * <p>
 * The delay before retry {@code k} (k = 1, 2, ...) is
 * {@code initialInterval * multiplier^(k-1)}, capped at {@code maxInterval}, then spread
 * by {@code jitter}: a jitter of 0.2 moves each delay by up to 20% either way (never
 * beyond {@code maxInterval}). A failure's error type (see {@link StepException}) is
 * retried if {@link #retryableErrors()} is empty or contains it, and
 * {@link #nonRetryableErrors()} does not. {@link NonRetryableStepException} is never
 * retried.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder()
 *     .maxAttempts(5)
 *     .initialInterval(Duration.ofSeconds(1))
 *     .multiplier(2.0)
 *     .maxInterval(Duration.ofSeconds(60))
 *     .retryableErrors("timeout", "connection_refused")
 *     .build();
 * }</pre>
 */
public final class RetryPolicy {

	/** Attempts of {@link #defaults()}. */
	public static final int DEFAULT_MAX_ATTEMPTS = 3;

	/** First retry delay of {@link #defaults()}. */
	public static final Duration DEFAULT_INITIAL_INTERVAL = Duration.ofSeconds(1);

	/** Delay multiplier of {@link #defaults()}. */
	public static final double DEFAULT_MULTIPLIER = 2.0;

	/** Delay cap of {@link #defaults()}. */
	public static final Duration DEFAULT_MAX_INTERVAL = Duration.ofSeconds(30);

	/** Jitter of {@link #defaults()}: none, so delays are exact. */
	public static final double DEFAULT_JITTER = 0.0;

	private static final RetryPolicy DEFAULTS = builder().build();

	private static final RetryPolicy NONE = builder().maxAttempts(1).build();

	private final int maxAttempts;

	private final Duration initialInterval;

	private final double multiplier;

	private final Duration maxInterval;

	private final double jitter;

	private final Set<String> retryableErrors;

	private final Set<String> nonRetryableErrors;

	private RetryPolicy(Builder builder) {
		this.maxAttempts = builder.maxAttempts;
		this.initialInterval = builder.initialInterval;
		this.multiplier = builder.multiplier;
		this.maxInterval = builder.maxInterval;
		this.jitter = builder.jitter;
		this.retryableErrors = Collections.unmodifiableSet(new LinkedHashSet<>(builder.retryableErrors));
		this.nonRetryableErrors = Collections.unmodifiableSet(new LinkedHashSet<>(builder.nonRetryableErrors));
	}

	/**
	 * Start building a policy; unset values are those of {@link #defaults()}.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Three attempts, 1s initial interval, multiplier 2.0, at most 30s between attempts.
	 * @return the default policy
	 */
	public static RetryPolicy defaults() {
		return DEFAULTS;
	}

	/**
	 * A single attempt, no retry.
	 * @return the policy that never retries
	 */
	public static RetryPolicy none() {
		return NONE;
	}

	/**
	 * A builder holding this policy's values, to derive a changed copy.
	 * @return a new builder initialised from this policy
	 */
	public Builder toBuilder() {
		return new Builder().maxAttempts(this.maxAttempts)
			.initialInterval(this.initialInterval)
			.multiplier(this.multiplier)
			.maxInterval(this.maxInterval)
			.jitter(this.jitter)
			.retryableErrors(this.retryableErrors.toArray(String[]::new))
			.nonRetryableErrors(this.nonRetryableErrors.toArray(String[]::new));
	}

	/**
	 * Total number of executions, first one included.
	 * @return at least 1
	 */
	public int maxAttempts() {
		return this.maxAttempts;
	}

	/**
	 * Delay before the first retry.
	 * @return a non-negative duration
	 */
	public Duration initialInterval() {
		return this.initialInterval;
	}

	/**
	 * Factor applied to the delay after each retry.
	 * @return at least 1.0
	 */
	public double multiplier() {
		return this.multiplier;
	}

	/**
	 * Upper bound of any delay.
	 * @return a non-negative duration
	 */
	public Duration maxInterval() {
		return this.maxInterval;
	}

	/**
	 * Fraction of each delay by which it is randomly moved.
	 * @return a value from 0 to 1
	 */
	public double jitter() {
		return this.jitter;
	}

	/**
	 * Error types that are retried; empty means every type not listed as non-retryable.
	 * @return a read-only set
	 */
	public Set<String> retryableErrors() {
		return this.retryableErrors;
	}

	/**
	 * Error types that are never retried.
	 * @return a read-only set
	 */
	public Set<String> nonRetryableErrors() {
		return this.nonRetryableErrors;
	}

	/**
	 * Whether a failure of the given type may be retried (attempts permitting).
	 * @param errorType the failure's type
	 * @return {@code true} if the type is retryable under this policy
	 */
	public boolean isRetryable(String errorType) {
		if (this.nonRetryableErrors.contains(errorType)) {
			return false;
		}
		return this.retryableErrors.isEmpty() || this.retryableErrors.contains(errorType);
	}

	/**
	 * The delay before the given retry, jitter applied.
	 * @param retry the retry number, 1 for the first retry (the second attempt)
	 * @return the delay, never above {@link #maxInterval()}
	 */
	public Duration delayBeforeRetry(int retry) {
		if (retry < 1) {
			throw new IllegalArgumentException("retry must be >= 1 but was " + retry);
		}
		double base = this.initialInterval.toNanos() * Math.pow(this.multiplier, retry - 1);
		double capped = Math.min(base, this.maxInterval.toNanos());
		double spread = (this.jitter > 0) ? capped * this.jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1)
				: 0;
		double delay = Math.max(0, Math.min(capped + spread, this.maxInterval.toNanos()));
		return Duration.ofNanos((long) delay);
	}

	@Override
	public boolean equals(Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof RetryPolicy that)) {
			return false;
		}
		return this.maxAttempts == that.maxAttempts && Double.compare(this.multiplier, that.multiplier) == 0
				&& Double.compare(this.jitter, that.jitter) == 0 && this.initialInterval.equals(that.initialInterval)
				&& this.maxInterval.equals(that.maxInterval) && this.retryableErrors.equals(that.retryableErrors)
				&& this.nonRetryableErrors.equals(that.nonRetryableErrors);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.maxAttempts, this.initialInterval, this.multiplier, this.maxInterval, this.jitter,
				this.retryableErrors, this.nonRetryableErrors);
	}

	@Override
	public String toString() {
		return "RetryPolicy[maxAttempts=" + this.maxAttempts + ", initialInterval=" + this.initialInterval
				+ ", multiplier=" + this.multiplier + ", maxInterval=" + this.maxInterval + ", jitter=" + this.jitter
				+ ", retryableErrors=" + this.retryableErrors + ", nonRetryableErrors=" + this.nonRetryableErrors + "]";
	}

	/**
	 * Builds a {@link RetryPolicy}. Every setter rejects an invalid value at once with an
	 * {@link IllegalArgumentException} naming it.
	 */
	public static final class Builder {

		private int maxAttempts = DEFAULT_MAX_ATTEMPTS;

		private Duration initialInterval = DEFAULT_INITIAL_INTERVAL;

		private double multiplier = DEFAULT_MULTIPLIER;

		private Duration maxInterval = DEFAULT_MAX_INTERVAL;

		private double jitter = DEFAULT_JITTER;

		private Set<String> retryableErrors = Set.of();

		private Set<String> nonRetryableErrors = Set.of();

		private Builder() {
		}

		/**
		 * Total number of executions, first one included.
		 * @param maxAttempts at least 1
		 * @return this builder
		 */
		public Builder maxAttempts(int maxAttempts) {
			if (maxAttempts < 1) {
				throw new IllegalArgumentException("maxAttempts must be >= 1 but was " + maxAttempts);
			}
			this.maxAttempts = maxAttempts;
			return this;
		}

		/**
		 * Delay before the first retry.
		 * @param initialInterval a non-negative duration
		 * @return this builder
		 */
		public Builder initialInterval(Duration initialInterval) {
			this.initialInterval = requireNonNegative("initialInterval", initialInterval);
			return this;
		}

		/**
		 * Factor applied to the delay after each retry.
		 * @param multiplier at least 1.0
		 * @return this builder
		 */
		public Builder multiplier(double multiplier) {
			if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
				throw new IllegalArgumentException("multiplier must be a finite number >= 1.0 but was " + multiplier);
			}
			this.multiplier = multiplier;
			return this;
		}

		/**
		 * Upper bound of any delay.
		 * @param maxInterval a non-negative duration
		 * @return this builder
		 */
		public Builder maxInterval(Duration maxInterval) {
			this.maxInterval = requireNonNegative("maxInterval", maxInterval);
			return this;
		}

		/**
		 * Fraction of each delay by which it is randomly moved, either way.
		 * @param jitter from 0 (exact delays) to 1
		 * @return this builder
		 */
		public Builder jitter(double jitter) {
			if (!(jitter >= 0.0 && jitter <= 1.0)) {
				throw new IllegalArgumentException("jitter must be between 0 and 1 but was " + jitter);
			}
			this.jitter = jitter;
			return this;
		}

		/**
		 * Error types that are retried; replaces the list. Empty (the default) retries
		 * every type not listed as non-retryable.
		 * @param errorTypes the retryable types
		 * @return this builder
		 */
		public Builder retryableErrors(String... errorTypes) {
			this.retryableErrors = errorTypes("retryableErrors", errorTypes);
			return this;
		}

		/**
		 * Error types that are never retried; replaces the list.
		 * @param errorTypes the non-retryable types
		 * @return this builder
		 */
		public Builder nonRetryableErrors(String... errorTypes) {
			this.nonRetryableErrors = errorTypes("nonRetryableErrors", errorTypes);
			return this;
		}

		/**
		 * Build the policy.
		 * @return the policy
		 */
		public RetryPolicy build() {
			return new RetryPolicy(this);
		}

		private static Duration requireNonNegative(String name, Duration value) {
			if (value == null || value.isNegative()) {
				throw new IllegalArgumentException(name + " must be a non-negative duration but was " + value);
			}
			return value;
		}

		private static Set<String> errorTypes(String name, String... errorTypes) {
			if (errorTypes == null) {
				throw new IllegalArgumentException(name + " must not be null");
			}
			for (String type : errorTypes) {
				if (type == null || type.isBlank()) {
					throw new IllegalArgumentException(
							name + " must not contain a blank error type: " + Arrays.toString(errorTypes));
				}
			}
			return new LinkedHashSet<>(Arrays.asList(errorTypes));
		}

	}

}
