package io.orchwf.internal.engine;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

import io.orchwf.Schedule;
import io.orchwf.ScheduleInfo;
import io.orchwf.store.ScheduleRecord;

/**
 * Between the API's {@link Schedule} and the store's {@link ScheduleRecord}.
 */
final class ScheduleRecords {

	private ScheduleRecords() {
	}

	static ScheduleRecord record(Schedule schedule, Map<String, Object> input, Instant nextFireAt) {
		return new ScheduleRecord(schedule.name(), schedule.workflowId(), schedule.cronExpression().orElse(null),
				schedule.interval().orElse(null), schedule.zone().getId(), input, schedule.overlap(), nextFireAt, null,
				null);
	}

	static Schedule schedule(ScheduleRecord record) {
		String cron = record.cron();
		Schedule.Builder builder = (cron != null) ? Schedule.cron(record.name(), cron)
				: Schedule.every(record.name(), record.every());
		return builder.workflow(record.workflowId())
			.zone(ZoneId.of(record.zone()))
			.input(record.input())
			.overlap(record.overlap())
			.build();
	}

	static ScheduleInfo info(ScheduleRecord record) {
		return new ScheduleInfo(schedule(record), record.nextFireAt(), record.lastFireAt(), record.lastInstanceId());
	}

}
