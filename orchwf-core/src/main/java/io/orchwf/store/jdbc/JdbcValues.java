package io.orchwf.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.orchwf.StepStatus;
import io.orchwf.WorkflowStatus;
import io.orchwf.internal.json.JsonCodec;
import io.orchwf.internal.json.JsonValues;
import io.orchwf.internal.json.TextFlaw;
import io.orchwf.store.FlowControl;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.SignalRecord;
import io.orchwf.store.StepRecord;
import org.jspecify.annotations.Nullable;

/**
 * Binds values to statements and maps rows back to records, in one place so that every
 * statement treats times (UTC, microseconds), JSON and enums the same way.
 */
final class JdbcValues {

	private JdbcValues() {
	}

	static void setInstant(PreparedStatement statement, int index, @Nullable Instant instant) throws SQLException {
		if (instant == null) {
			statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
		}
		else {
			// truncated, as the engine and the in-memory store keep them; the database
			// would round
			statement.setObject(index,
					OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC));
		}
	}

	static void setJson(PreparedStatement statement, int index, Map<String, ?> value) throws SQLException {
		statement.setString(index, json(value));
	}

	/**
	 * JSON values as they are stored: normalized, with the flaws of free text as U+FFFD.
	 * @param value the values
	 * @return the JSON text
	 */
	static String json(Map<String, ?> value) {
		// normalizing rejects what JSON cannot hold; values from the engine pass through
		// as they are
		String json = JsonCodec.write(JsonValues.object(value, "value"));
		if (json.contains("\\u0000") || TextFlaw.of(json) != null) {
			// only free text gets here (an error message in a child's result): the store
			// rejects other values with such flaws before they are used
			json = JsonCodec.write(repaired(JsonValues.object(value, "value")));
		}
		return json;
	}

	/**
	 * An instant as microseconds since the epoch, as history rows keep times.
	 * @param instant the instant, truncated to microseconds
	 * @return the microseconds
	 */
	static long micros(Instant instant) {
		return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
	}

	/**
	 * The instant of microseconds since the epoch.
	 * @param micros the microseconds
	 * @return the instant
	 */
	static Instant instantOfMicros(long micros) {
		return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
	}

	/**
	 * Bind an instance id, which the store keeps as a UUID.
	 * @param id an id for which {@link #isInstanceId} holds
	 */
	static void setId(PreparedStatement statement, int index, String id) throws SQLException {
		statement.setObject(index, UUID.fromString(id));
	}

	/**
	 * Bind instance ids to consecutive parameters.
	 * @param statement the statement
	 * @param first the index of the first
	 * @param ids the ids, each a UUID
	 */
	static void setIds(PreparedStatement statement, int first, List<String> ids) throws SQLException {
		int index = first;
		for (String id : ids) {
			setId(statement, index++, id);
		}
	}

	/**
	 * Whether a string is an instance id this store can hold: a UUID in its canonical
	 * form. Any other string names no instance.
	 * @param id the string
	 * @return whether it is a canonical UUID
	 */
	static boolean isInstanceId(String id) {
		if (id.length() != 36) {
			return false;
		}
		try {
			return UUID.fromString(id).toString().equals(id);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/**
	 * Free text (an error message, a cancellation reason) as it can be stored: U+0000 and
	 * unpaired surrogates become U+FFFD.
	 */
	static @Nullable String text(@Nullable String value) {
		return (value != null) ? TextFlaw.repaired(value) : null;
	}

	/**
	 * A copy of normalized JSON values in which the flaws of strings and keys are U+FFFD,
	 * as any database can store them.
	 * @param map the values
	 * @return the copy
	 */
	static Map<String, Object> repaired(Map<?, ?> map) {
		Map<String, Object> copy = new LinkedHashMap<>();
		map.forEach((key, value) -> copy.put(TextFlaw.repaired((String) key), repairedValue(value)));
		return copy;
	}

	private static @Nullable Object repairedValue(@Nullable Object value) {
		if (value instanceof String string) {
			return TextFlaw.repaired(string);
		}
		if (value instanceof Map<?, ?> map) {
			return repaired(map);
		}
		if (value instanceof List<?> list) {
			List<@Nullable Object> copy = new ArrayList<>(list.size());
			list.forEach((element) -> copy.add(repairedValue(element)));
			return copy;
		}
		return value;
	}

	static @Nullable Instant instant(ResultSet row, String column) throws SQLException {
		OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	static Instant requiredInstant(ResultSet row, String column) throws SQLException {
		Instant value = instant(row, column);
		if (value == null) {
			throw new SQLException("Column " + column + " is null");
		}
		return value;
	}

	static InstanceRecord instance(ResultSet row) throws SQLException {
		return new InstanceRecord(row.getString("id"), row.getString("workflow_id"), row.getString("workflow_version"),
				WorkflowStatus.valueOf(row.getString("status")), JsonCodec.read(row.getString("input")),
				JsonCodec.read(row.getString("output")), row.getString("error"),
				JsonCodec.read(row.getString("metadata")), row.getString("trace_id"), row.getString("correlation_id"),
				row.getString("business_id"), row.getString("idempotency_key"), requiredInstant(row, "created_at"),
				instant(row, "started_at"), instant(row, "completed_at"), instant(row, "wake_at"),
				row.getString("lease_owner"), instant(row, "lease_expires_at"), row.getLong("fence"),
				row.getString("cancel_reason"), flow(row));
	}

	private static FlowControl flow(ResultSet row) throws SQLException {
		return FlowControl.of(row.getString("concurrency_key"), row.getInt("priority"), row.getInt("max_concurrency"),
				row.getInt("max_per_key"));
	}

	static StepRecord step(ResultSet row) throws SQLException {
		return new StepRecord(row.getString("step_id"), row.getInt("position"),
				StepStatus.valueOf(row.getString("status")), row.getInt("attempts"),
				JsonCodec.read(row.getString("output")), row.getString("error"), row.getString("error_type"),
				instant(row, "started_at"), instant(row, "completed_at"), instant(row, "wake_at"),
				row.getLong("completion_order"));
	}

	static SignalRecord signal(ResultSet row) throws SQLException {
		return new SignalRecord(row.getLong("id"), row.getString("name"), JsonCodec.read(row.getString("payload")),
				requiredInstant(row, "received_at"));
	}

	/**
	 * Bind the columns of a step row that its state changes, in the order the insert and
	 * the update of step rows list them: status, attempts, output, error, error type,
	 * started at, completed at, wake at and completion order.
	 * @param statement the statement
	 * @param index the last parameter index bound so far
	 * @param step the step
	 * @return the last parameter index bound
	 */
	static int bindStepState(PreparedStatement statement, int index, StepRecord step) throws SQLException {
		int i = index;
		statement.setString(++i, step.status().name());
		statement.setInt(++i, step.attempts());
		setJson(statement, ++i, step.output());
		statement.setString(++i, text(step.error()));
		statement.setString(++i, text(step.errorType()));
		setInstant(statement, ++i, step.startedAt());
		setInstant(statement, ++i, step.completedAt());
		setInstant(statement, ++i, step.wakeAt());
		statement.setLong(++i, step.completionOrder());
		return i;
	}

	/**
	 * Run a query and map each of its rows.
	 * @param statement the query, bound
	 * @param mapper how a row becomes a record
	 * @return the records, in the order of the rows
	 */
	static <T> List<T> rows(PreparedStatement statement, RowMapper<T> mapper) throws SQLException {
		List<T> records = new ArrayList<>();
		try (ResultSet rows = statement.executeQuery()) {
			while (rows.next()) {
				records.add(mapper.map(rows));
			}
		}
		return records;
	}

	/**
	 * Maps the current row of a result to a record.
	 */
	@FunctionalInterface
	interface RowMapper<T> {

		T map(ResultSet row) throws SQLException;

	}

}
