package io.orchwf.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.orchwf.OverlapPolicy;
import org.jspecify.annotations.Nullable;

/**
 * A schedule as a store keeps it: its definition, and where its ticks have got to.
 *
 * @param name the schedule's name, its key
 * @param workflowId the workflow each tick starts
 * @param cron the cron expression, or {@code null} for an interval
 * @param every the interval, or {@code null} for a cron expression
 * @param zone the zone id the cron expression is read in
 * @param input the input of every instance started, normalized JSON values
 * @param overlap what a tick does while the previous tick's instance runs
 * @param nextFireAt the tick it fires at next
 * @param lastFireAt the tick it last fired at, or {@code null}
 * @param lastInstanceId the instance its last started tick created, or {@code null}
 */
public record ScheduleRecord(String name, String workflowId, @Nullable String cron, @Nullable Duration every,
		String zone, Map<String, Object> input, OverlapPolicy overlap, Instant nextFireAt, @Nullable Instant lastFireAt,
		@Nullable String lastInstanceId) {

	/**
	 * Create a record.
	 * @param name the name
	 * @param workflowId the workflow
	 * @param cron the cron expression, or {@code null}
	 * @param every the interval, or {@code null}
	 * @param zone the zone id
	 * @param input the input
	 * @param overlap the overlap policy
	 * @param nextFireAt the next tick
	 * @param lastFireAt the last tick fired, or {@code null}
	 * @param lastInstanceId the last instance started, or {@code null}
	 */
	public ScheduleRecord {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(workflowId, "workflowId");
		if ((cron == null) == (every == null)) {
			throw new IllegalArgumentException("A schedule has either a cron expression or an interval");
		}
		Objects.requireNonNull(zone, "zone");
		// JSON values may be null, which Map.copyOf refuses
		input = Collections.unmodifiableMap(new LinkedHashMap<>(input));
		Objects.requireNonNull(overlap, "overlap");
		Objects.requireNonNull(nextFireAt, "nextFireAt");
	}

	/**
	 * Whether another record defines the same schedule (name, workflow, ticks, zone,
	 * input, overlap), whatever either has fired.
	 * @param other the other record
	 * @return {@code true} if only their fire times may differ
	 */
	public boolean sameDefinition(ScheduleRecord other) {
		return this.name.equals(other.name) && this.workflowId.equals(other.workflowId)
				&& Objects.equals(this.cron, other.cron) && Objects.equals(this.every, other.every)
				&& this.zone.equals(other.zone) && this.input.equals(other.input) && this.overlap == other.overlap;
	}

}
