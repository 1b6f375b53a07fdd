package io.orchwf;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A schedule as stored, with when it fires next and when it last did.
 */
public final class ScheduleInfo {

	private final Schedule schedule;

	private final Instant nextFireAt;

	private final @Nullable Instant lastFireAt;

	private final @Nullable String lastInstanceId;

	/**
	 * Create the view of a stored schedule.
	 * @param schedule the schedule
	 * @param nextFireAt the tick it fires at next
	 * @param lastFireAt the tick it last fired at, or {@code null} if it never fired
	 * @param lastInstanceId the instance its last tick started, or {@code null} if none
	 * did
	 */
	public ScheduleInfo(Schedule schedule, Instant nextFireAt, @Nullable Instant lastFireAt,
			@Nullable String lastInstanceId) {
		this.schedule = Objects.requireNonNull(schedule, "schedule");
		this.nextFireAt = Objects.requireNonNull(nextFireAt, "nextFireAt");
		this.lastFireAt = lastFireAt;
		this.lastInstanceId = lastInstanceId;
	}

	/**
	 * The schedule.
	 * @return its definition
	 */
	public Schedule schedule() {
		return this.schedule;
	}

	/**
	 * The schedule's name.
	 * @return the name
	 */
	public String name() {
		return this.schedule.name();
	}

	/**
	 * The workflow each tick starts.
	 * @return the workflow id
	 */
	public String workflowId() {
		return this.schedule.workflowId();
	}

	/**
	 * The tick the schedule fires at next.
	 * @return the instant, by the orchestrator's clock
	 */
	public Instant nextFireAt() {
		return this.nextFireAt;
	}

	/**
	 * The tick the schedule last fired at, whether it started an instance or skipped one
	 * (see {@link OverlapPolicy#SKIP}).
	 * @return the tick, or empty if it never fired
	 */
	public Optional<Instant> lastFireAt() {
		return Optional.ofNullable(this.lastFireAt);
	}

	/**
	 * The instance the schedule's last started tick created.
	 * @return the instance id, or empty if no tick started one
	 */
	public Optional<String> lastInstanceId() {
		return Optional.ofNullable(this.lastInstanceId);
	}

	@Override
	public String toString() {
		return "ScheduleInfo[" + name() + ", workflow " + workflowId() + ", next " + this.nextFireAt + ", last "
				+ this.lastFireAt + "]";
	}

}
