package io.orchwf.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import io.orchwf.StepStatus;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.internal.json.JsonCodec;
import io.orchwf.internal.json.JsonValues;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.SignalRecord;
import io.orchwf.store.StepRecord;
import org.jspecify.annotations.Nullable;

/**
 * Binds values to statements and maps rows back to records, in one place so that every
 * statement treats times (UTC, microseconds), JSON and enums the same way.
 */
final class JdbcValues {

	/** The instance columns every query that maps an {@link InstanceRecord} selects. */
	static final String INSTANCE_COLUMNS = """
			id, workflow_id, workflow_version, status, input, output, error, metadata, trace_id, correlation_id,
			business_id, idempotency_key, created_at, started_at, completed_at, wake_at, lease_owner,
			lease_expires_at, fence, cancel_reason""";

	/** The step columns every query that maps a {@link StepRecord} selects. */
	static final String STEP_COLUMNS = """
			instance_id, step_id, position, status, attempts, output, error, started_at, completed_at, wake_at,
			completion_order""";

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
		// normalizing rejects what JSON cannot hold; values from the engine pass through
		// as they are
		statement.setString(index, JsonCodec.write(JsonValues.object(value, "value")));
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
				row.getString("cancel_reason"));
	}

	static StepRecord step(ResultSet row) throws SQLException {
		return new StepRecord(row.getString("step_id"), row.getInt("position"),
				StepStatus.valueOf(row.getString("status")), row.getInt("attempts"),
				JsonCodec.read(row.getString("output")), row.getString("error"), instant(row, "started_at"),
				instant(row, "completed_at"), instant(row, "wake_at"), row.getLong("completion_order"));
	}

	static WorkflowEvent event(ResultSet row) throws SQLException {
		return new WorkflowEvent(WorkflowEventType.valueOf(row.getString("type")), row.getString("instance_id"),
				row.getString("workflow_id"), row.getString("step_id"), row.getInt("attempt"),
				requiredInstant(row, "occurred_at"), JsonCodec.read(row.getString("data")));
	}

	static SignalRecord signal(ResultSet row) throws SQLException {
		return new SignalRecord(row.getLong("id"), row.getString("name"), JsonCodec.read(row.getString("payload")),
				requiredInstant(row, "received_at"));
	}

}
