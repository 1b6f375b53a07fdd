package io.orchwf;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * How long finished instances are kept: for each way an instance can end (completed,
 * failed, cancelled), a period after its end past which the orchestrator deletes it with
 * its steps, history, signals and idempotency key. A kind left unset is kept for ever;
 * unfinished instances are never deleted.
 *
 * <pre>{@code
 * Orchestrator.builder(store)
 *     .retention(Retention.builder()
 *         .completed(Duration.ofDays(7))
 *         .failed(Duration.ofDays(30))
 *         .cancelled(Duration.ofDays(7))
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p>
 * An instance's age is the orchestrator's clock minus its {@code completedAt}, so a test
 * clock moves it too. How often the orchestrator looks ({@link #checkEvery()}) is real
 * time. Deletion goes in batches of at most {@value #BATCH_SIZE} instances per
 * transaction, on a thread of its own.
 */
public final class Retention {

	/** How often expired instances are looked for by default. */
	public static final Duration DEFAULT_CHECK_EVERY = Duration.ofMinutes(1);

	/** The most instances deleted in one transaction. */
	public static final int BATCH_SIZE = 1_000;

	private static final Retention KEEP_FOREVER = builder().build();

	private final Map<WorkflowStatus, Duration> periods;

	private final Duration checkEvery;

	private Retention(Builder builder) {
		this.periods = new EnumMap<>(WorkflowStatus.class);
		this.periods.putAll(builder.periods);
		this.checkEvery = builder.checkEvery;
	}

	/**
	 * Keep every finished instance: the default.
	 * @return a retention that deletes nothing
	 */
	public static Retention keepForever() {
		return KEEP_FOREVER;
	}

	/**
	 * Start building a retention; every kind is kept for ever until set.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * How long completed instances are kept.
	 * @return the period after their end, or empty for ever
	 */
	public Optional<Duration> completed() {
		return of(WorkflowStatus.COMPLETED);
	}

	/**
	 * How long failed instances are kept.
	 * @return the period after their end, or empty for ever
	 */
	public Optional<Duration> failed() {
		return of(WorkflowStatus.FAILED);
	}

	/**
	 * How long cancelled instances are kept.
	 * @return the period after their end, or empty for ever
	 */
	public Optional<Duration> cancelled() {
		return of(WorkflowStatus.CANCELLED);
	}

	/**
	 * How long instances that ended with a status are kept.
	 * @param status a finished status
	 * @return the period after their end, or empty for ever
	 * @throws IllegalArgumentException if the status is not a finished one
	 */
	public Optional<Duration> of(WorkflowStatus status) {
		if (!status.isTerminal()) {
			throw new IllegalArgumentException(
					status + " instances are unfinished and never deleted; ask for COMPLETED, FAILED or CANCELLED");
		}
		return Optional.ofNullable(this.periods.get(status));
	}

	/**
	 * How often the orchestrator looks for expired instances, in real time.
	 * @return the interval; {@link #DEFAULT_CHECK_EVERY} unless set
	 */
	public Duration checkEvery() {
		return this.checkEvery;
	}

	/**
	 * Whether this retention deletes nothing.
	 * @return {@code true} if every kind is kept for ever
	 */
	public boolean keepsForever() {
		return this.periods.isEmpty();
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof Retention that && this.periods.equals(that.periods)
				&& this.checkEvery.equals(that.checkEvery);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.periods, this.checkEvery);
	}

	@Override
	public String toString() {
		return keepsForever() ? "Retention[keep forever]"
				: "Retention[" + this.periods + ", checkEvery=" + this.checkEvery + "]";
	}

	/**
	 * Builds a {@link Retention}.
	 */
	public static final class Builder {

		private final Map<WorkflowStatus, Duration> periods = new EnumMap<>(WorkflowStatus.class);

		private Duration checkEvery = DEFAULT_CHECK_EVERY;

		private Builder() {
		}

		/**
		 * Keep completed instances for a period after their end.
		 * @param period a positive duration, or {@code null} to keep them for ever
		 * @return this builder
		 */
		public Builder completed(@Nullable Duration period) {
			return keep(WorkflowStatus.COMPLETED, "completed", period);
		}

		/**
		 * Keep failed instances for a period after their end.
		 * @param period a positive duration, or {@code null} to keep them for ever
		 * @return this builder
		 */
		public Builder failed(@Nullable Duration period) {
			return keep(WorkflowStatus.FAILED, "failed", period);
		}

		/**
		 * Keep cancelled instances for a period after their end.
		 * @param period a positive duration, or {@code null} to keep them for ever
		 * @return this builder
		 */
		public Builder cancelled(@Nullable Duration period) {
			return keep(WorkflowStatus.CANCELLED, "cancelled", period);
		}

		/**
		 * How often to look for expired instances, in real time.
		 * @param interval a positive duration; default {@link #DEFAULT_CHECK_EVERY}
		 * @return this builder
		 */
		public Builder checkEvery(Duration interval) {
			if (interval == null || interval.isNegative() || interval.isZero()) {
				throw new IllegalArgumentException("checkEvery must be a positive duration but was " + interval);
			}
			this.checkEvery = interval;
			return this;
		}

		/**
		 * Build the retention.
		 * @return the retention
		 */
		public Retention build() {
			return new Retention(this);
		}

		private Builder keep(WorkflowStatus status, String name, @Nullable Duration period) {
			if (period == null) {
				this.periods.remove(status);
				return this;
			}
			if (period.isNegative() || period.isZero()) {
				throw new IllegalArgumentException(name + " must be a positive duration but was " + period
						+ "; leave it unset (null) to keep " + name + " instances for ever");
			}
			this.periods.put(status, period);
			return this;
		}

	}

}
