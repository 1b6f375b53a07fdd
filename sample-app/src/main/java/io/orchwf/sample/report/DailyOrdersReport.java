package io.orchwf.sample.report;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import io.orchwf.StepContext;
import io.orchwf.spring.WorkflowStep;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A report of the orders of the day before, by status: the workflow the schedule
 * {@code daily-orders-report} starts every night (see {@code application.yml}). The day
 * comes from the tick the schedule fired ({@code scheduled_at}), not from the clock when
 * the step runs, so that a report started late or run again covers the same day.
 */
@Component
public class DailyOrdersReport {

	/** The workflow's id. */
	public static final String ID = "daily_orders_report";

	private final JdbcClient jdbc;

	DailyOrdersReport(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@WorkflowStep(workflow = ID, id = "count_orders", name = "Count yesterday's orders")
	Map<String, Object> countOrders(StepContext context) {
		Object scheduledAt = context.metadata().get("scheduled_at");
		Instant tick = (scheduledAt != null) ? Instant.parse(scheduledAt.toString()) : Instant.EPOCH;
		LocalDate day = LocalDate.ofInstant(tick, ZoneOffset.UTC).minusDays(1);
		Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
		Instant to = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
		Map<String, Object> byStatus = new LinkedHashMap<>();
		this.jdbc
			.sql("SELECT status, COUNT(*) AS orders FROM orders WHERE created_at >= :from AND created_at < :to "
					+ "GROUP BY status ORDER BY status")
			.param("from", java.sql.Timestamp.from(from))
			.param("to", java.sql.Timestamp.from(to))
			.query((row, index) -> byStatus.put(row.getString("status"), row.getLong("orders")))
			.list();
		long total = byStatus.values().stream().mapToLong((count) -> (Long) count).sum();
		return Map.of("day", day.toString(), "orders", total, "by_status", byStatus);
	}

}
