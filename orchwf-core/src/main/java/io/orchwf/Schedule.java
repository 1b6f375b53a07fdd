package io.orchwf;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import org.jspecify.annotations.Nullable;

/**
 * Starts a workflow at every tick of a cron expression or of a fixed interval, exactly
 * one instance per tick across all the nodes that share a store.
 *
 * <pre>{@code
 * orchestrator.schedule(Schedule.cron("nightly-report", "0 0 2 * * *")   // Spring's six-field cron
 *     .workflow("report")
 *     .zone(ZoneId.of("Europe/Paris"))        // default UTC
 *     .input(Map.of("kind", "daily"))
 *     .overlap(OverlapPolicy.SKIP)            // default; or ALLOW
 *     .build());
 * orchestrator.schedule(Schedule.every("poll-feeds", Duration.ofMinutes(5)).workflow("poll").build());
 * }</pre>
 *
 * <p>
 * A cron expression has Spring's six fields (second, minute, hour, day of month, month,
 * day of week, as {@code org.springframework.scheduling.support.CronExpression} reads
 * them, with its macros such as {@code @daily}) and is read in the schedule's zone. An
 * interval's ticks are whole multiples of it since the epoch (UTC), so that every node
 * agrees on them: {@code every(name, Duration.ofMinutes(5))} ticks at :00, :05, :10.
 * Ticks follow the orchestrator's clock.
 *
 * <p>
 * Each tick starts one instance with the idempotency key
 * {@code schedule:<name>:<tick in epoch milliseconds>} and the metadata
 * {@code schedule_name} and {@code scheduled_at} (the tick, ISO-8601). Ticks missed while
 * no node ran are not caught up: the latest one runs once, older ones are skipped.
 */
public final class Schedule {

	/** The longest name a schedule may have, so that its idempotency keys fit. */
	public static final int MAX_NAME_LENGTH = 200;

	private static final CronParser SPRING_CRON = new CronParser(
			CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));

	private final String name;

	private final String workflowId;

	private final @Nullable String cron;

	private final @Nullable Duration every;

	private final ZoneId zone;

	private final Map<String, Object> input;

	private final OverlapPolicy overlap;

	private final @Nullable ExecutionTime executionTime;

	private Schedule(Builder builder, String workflowId) {
		this.name = builder.name;
		this.workflowId = workflowId;
		this.cron = builder.cron;
		this.every = builder.every;
		this.zone = builder.zone;
		this.input = Collections.unmodifiableMap(new LinkedHashMap<>(builder.input));
		this.overlap = builder.overlap;
		this.executionTime = builder.executionTime;
	}

	/**
	 * Start building a schedule that ticks by a cron expression.
	 * @param name the schedule's name, unique in the store
	 * @param expression a six-field cron expression, as Spring reads it
	 * @return a builder
	 * @throws IllegalArgumentException if the name is blank or too long, or the
	 * expression is not a valid cron expression
	 */
	public static Builder cron(String name, String expression) {
		Builder builder = new Builder(name);
		if (expression == null || expression.isBlank()) {
			throw new IllegalArgumentException("The cron expression of schedule '" + name + "' must not be blank");
		}
		try {
			builder.executionTime = ExecutionTime.forCron(SPRING_CRON.parse(expression.trim()).validate());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("The cron expression '" + expression + "' of schedule '" + name
					+ "' is not valid: " + ex.getMessage()
					+ "; write six fields: second, minute, hour, day of month, month, day of week, "
					+ "such as \"0 0 2 * * *\" for 2 a.m. every day", ex);
		}
		builder.cron = expression.trim();
		return builder;
	}

	/**
	 * Start building a schedule that ticks at a fixed interval.
	 * @param name the schedule's name, unique in the store
	 * @param interval the interval, at least a millisecond
	 * @return a builder
	 * @throws IllegalArgumentException if the name is blank or too long, or the interval
	 * is shorter than a millisecond
	 */
	public static Builder every(String name, Duration interval) {
		Builder builder = new Builder(name);
		if (interval == null || interval.toMillis() < 1) {
			throw new IllegalArgumentException("The interval of schedule '" + name
					+ "' must be at least a millisecond but was " + interval + "; such as Duration.ofMinutes(5)");
		}
		builder.every = interval;
		return builder;
	}

	/**
	 * The schedule's name, unique in the store.
	 * @return the name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * The workflow each tick starts, at its highest registered version.
	 * @return the workflow id
	 */
	public String workflowId() {
		return this.workflowId;
	}

	/**
	 * The cron expression, for a schedule built with {@link #cron}.
	 * @return the expression, or empty for an interval
	 */
	public Optional<String> cronExpression() {
		return Optional.ofNullable(this.cron);
	}

	/**
	 * The interval, for a schedule built with {@link #every}.
	 * @return the interval, or empty for a cron expression
	 */
	public Optional<Duration> interval() {
		return Optional.ofNullable(this.every);
	}

	/**
	 * The zone the cron expression is read in.
	 * @return the zone; UTC unless set
	 */
	public ZoneId zone() {
		return this.zone;
	}

	/**
	 * The input of every instance the schedule starts.
	 * @return a read-only map
	 */
	public Map<String, Object> input() {
		return this.input;
	}

	/**
	 * What a tick does while the previous tick's instance runs.
	 * @return the policy; {@link OverlapPolicy#SKIP} unless set
	 */
	public OverlapPolicy overlap() {
		return this.overlap;
	}

	/**
	 * The first tick after an instant.
	 * @param after the instant
	 * @return the tick, strictly after it; empty for a cron expression that never fires
	 * again (such as one of a year that has passed)
	 */
	public Optional<Instant> tickAfter(Instant after) {
		if (this.executionTime != null) {
			return this.executionTime.nextExecution(ZonedDateTime.ofInstant(after, this.zone))
				.map(ZonedDateTime::toInstant);
		}
		long interval = this.every.toMillis();
		long tick = Math.floorDiv(after.toEpochMilli(), interval) * interval;
		return Optional.of(Instant.ofEpochMilli(tick + interval));
	}

	/**
	 * The latest tick at or before an instant: the one to fire when a schedule is due.
	 * @param atOrBefore the instant
	 * @return the tick, or empty if none came before
	 */
	public Optional<Instant> latestTickAtOrBefore(Instant atOrBefore) {
		if (this.executionTime != null) {
			return this.executionTime.lastExecution(ZonedDateTime.ofInstant(atOrBefore.plusNanos(1), this.zone))
				.map(ZonedDateTime::toInstant);
		}
		long interval = this.every.toMillis();
		return Optional.of(Instant.ofEpochMilli(Math.floorDiv(atOrBefore.toEpochMilli(), interval) * interval));
	}

	/**
	 * Whether another schedule ticks the same way and starts the same instances, whatever
	 * it fired so far.
	 * @param other the other schedule
	 * @return {@code true} if it has the same name, workflow, ticks, zone, input and
	 * overlap policy
	 */
	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof Schedule that && this.name.equals(that.name) && this.workflowId.equals(that.workflowId)
				&& Objects.equals(this.cron, that.cron) && Objects.equals(this.every, that.every)
				&& this.zone.equals(that.zone) && this.input.equals(that.input) && this.overlap == that.overlap;
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.name, this.workflowId, this.cron, this.every, this.zone, this.input, this.overlap);
	}

	@Override
	public String toString() {
		return "Schedule[" + this.name + ", "
				+ ((this.cron != null) ? "cron '" + this.cron + "'" : "every " + this.every) + ", workflow "
				+ this.workflowId + ((this.cron != null) ? ", zone " + this.zone : "") + ", overlap " + this.overlap
				+ "]";
	}

	/**
	 * Builds a {@link Schedule}.
	 */
	public static final class Builder {

		private final String name;

		private @Nullable String workflowId;

		private @Nullable String cron;

		private @Nullable Duration every;

		private @Nullable ExecutionTime executionTime;

		private ZoneId zone = ZoneId.of("UTC");

		private Map<String, Object> input = Map.of();

		private OverlapPolicy overlap = OverlapPolicy.SKIP;

		private Builder(String name) {
			if (name == null || name.isBlank()) {
				throw new IllegalArgumentException("A schedule's name must not be blank");
			}
			if (name.length() > MAX_NAME_LENGTH) {
				throw new IllegalArgumentException("Schedule name '" + name.substring(0, 40) + "...' is "
						+ name.length() + " characters long; keep it to " + MAX_NAME_LENGTH);
			}
			String flaw = StorableText.flawIn(name);
			if (flaw != null) {
				throw new IllegalArgumentException("Schedule name '" + name + "' contains " + flaw
						+ ", which no store can keep; use printable text");
			}
			this.name = name;
		}

		/**
		 * The workflow each tick starts. Required.
		 * @param workflowId the workflow id
		 * @return this builder
		 */
		public Builder workflow(String workflowId) {
			if (workflowId == null || workflowId.isBlank()) {
				throw new IllegalArgumentException("The workflow of schedule '" + this.name + "' must not be blank");
			}
			this.workflowId = workflowId;
			return this;
		}

		/**
		 * The zone the cron expression is read in.
		 * @param zone the zone; default UTC
		 * @return this builder
		 */
		public Builder zone(ZoneId zone) {
			this.zone = Objects.requireNonNull(zone, "zone");
			return this;
		}

		/**
		 * The input of every instance the schedule starts.
		 * @param input JSON-compatible values; {@code null} means empty
		 * @return this builder
		 */
		public Builder input(@Nullable Map<String, ?> input) {
			this.input = (input != null) ? new LinkedHashMap<>(input) : Map.of();
			return this;
		}

		/**
		 * What a tick does while the previous tick's instance has not finished.
		 * @param overlap the policy; default {@link OverlapPolicy#SKIP}
		 * @return this builder
		 */
		public Builder overlap(OverlapPolicy overlap) {
			this.overlap = Objects.requireNonNull(overlap, "overlap");
			return this;
		}

		/**
		 * Build the schedule.
		 * @return the schedule
		 * @throws IllegalArgumentException if no workflow was set
		 */
		public Schedule build() {
			if (this.workflowId == null) {
				throw new IllegalArgumentException(
						"Schedule '" + this.name + "' starts no workflow; call workflow(\"...\") before build()");
			}
			return new Schedule(this, this.workflowId);
		}

	}

}
