package io.orchwf.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.orchwf.OverlapPolicy;
import io.orchwf.internal.json.JsonCodec;
import io.orchwf.store.ScheduleRecord;
import org.jspecify.annotations.Nullable;

import static io.orchwf.store.jdbc.JdbcValues.instant;
import static io.orchwf.store.jdbc.JdbcValues.requiredInstant;
import static io.orchwf.store.jdbc.JdbcValues.setInstant;
import static io.orchwf.store.jdbc.JdbcValues.setJson;

/**
 * The schedules table: a row per schedule, created or replaced by name, read whole (a
 * store holds a few schedules, not thousands), and moved past a tick by a conditional
 * update that one of the nodes firing that tick wins.
 */
final class ScheduleRows {

	private static final String COLUMNS = """
			name, workflow_id, cron, every_ms, zone, input, overlap, next_fire_at, last_fire_at, last_instance_id""";

	private static final String SELECT_ONE = "SELECT " + COLUMNS + " FROM %PREFIX%schedules WHERE name = ? FOR UPDATE";

	private static final String SELECT_ALL = "SELECT " + COLUMNS + " FROM %PREFIX%schedules ORDER BY name";

	private static final String INSERT = "INSERT INTO %PREFIX%schedules (" + COLUMNS + ")"
			+ " VALUES (?, ?, ?, ?, ?, %JSON%, ?, ?, ?, ?)";

	private static final String REPLACE = """
			UPDATE %PREFIX%schedules SET workflow_id = ?, cron = ?, every_ms = ?, zone = ?, input = %JSON%,
				overlap = ?, next_fire_at = ?, last_fire_at = ?, last_instance_id = ?
			WHERE name = ?
			""";

	private static final String DELETE = "DELETE FROM %PREFIX%schedules WHERE name = ?";

	private static final String ADVANCE = """
			UPDATE %PREFIX%schedules
			SET next_fire_at = ?, last_fire_at = ?, last_instance_id = COALESCE(?, last_instance_id)
			WHERE name = ? AND next_fire_at = ?
			""";

	private final String selectOne;

	private final String selectAll;

	private final String insert;

	private final String replace;

	private final String delete;

	private final String advance;

	ScheduleRows(Sql sql) {
		this.selectOne = sql.of(SELECT_ONE);
		this.selectAll = sql.of(SELECT_ALL);
		this.insert = sql.of(INSERT);
		this.replace = sql.of(REPLACE);
		this.delete = sql.of(DELETE);
		this.advance = sql.of(ADVANCE);
	}

	/**
	 * Create or replace a schedule, in the caller's transaction; one of the same
	 * definition is kept as it is.
	 * @return the schedule as stored
	 * @throws SQLException a unique violation if another transaction inserted one of that
	 * name meanwhile (the caller tries again)
	 */
	ScheduleRecord save(Connection connection, ScheduleRecord schedule) throws SQLException {
		Optional<ScheduleRecord> existing = selectOne(connection, schedule.name());
		if (existing.isPresent() && existing.get().sameDefinition(schedule)) {
			return existing.get();
		}
		if (existing.isPresent()) {
			try (PreparedStatement statement = connection.prepareStatement(this.replace)) {
				int i = bindDefinition(statement, 0, schedule);
				bindFireTimes(statement, i, schedule);
				statement.setString(i + 4, schedule.name());
				statement.executeUpdate();
			}
			return schedule;
		}
		try (PreparedStatement statement = connection.prepareStatement(this.insert)) {
			statement.setString(1, schedule.name());
			int i = bindDefinition(statement, 1, schedule);
			bindFireTimes(statement, i, schedule);
			statement.executeUpdate();
		}
		return schedule;
	}

	boolean delete(Connection connection, String name) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.delete)) {
			statement.setString(1, name);
			return statement.executeUpdate() > 0;
		}
	}

	List<ScheduleRecord> all(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.selectAll)) {
			return JdbcValues.rows(statement, ScheduleRows::schedule);
		}
	}

	boolean advance(Connection connection, String name, Instant expectedNextFireAt, Instant firedTick,
			Instant nextFireAt, @Nullable String startedInstanceId) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.advance)) {
			setInstant(statement, 1, nextFireAt);
			setInstant(statement, 2, firedTick);
			statement.setString(3, startedInstanceId);
			statement.setString(4, name);
			setInstant(statement, 5, expectedNextFireAt);
			return statement.executeUpdate() > 0;
		}
	}

	private Optional<ScheduleRecord> selectOne(Connection connection, String name) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.selectOne)) {
			statement.setString(1, name);
			try (ResultSet row = statement.executeQuery()) {
				return row.next() ? Optional.of(schedule(row)) : Optional.empty();
			}
		}
	}

	/** Binds workflow, cron, interval, zone, input and overlap after {@code index}. */
	private static int bindDefinition(PreparedStatement statement, int index, ScheduleRecord schedule)
			throws SQLException {
		statement.setString(index + 1, schedule.workflowId());
		statement.setString(index + 2, schedule.cron());
		Duration every = schedule.every();
		if (every != null) {
			statement.setLong(index + 3, every.toMillis());
		}
		else {
			statement.setNull(index + 3, Types.BIGINT);
		}
		statement.setString(index + 4, schedule.zone());
		setJson(statement, index + 5, schedule.input());
		statement.setString(index + 6, schedule.overlap().name());
		return index + 6;
	}

	/** Binds next and last fire times and the last instance after {@code index}. */
	private static void bindFireTimes(PreparedStatement statement, int index, ScheduleRecord schedule)
			throws SQLException {
		setInstant(statement, index + 1, schedule.nextFireAt());
		setInstant(statement, index + 2, schedule.lastFireAt());
		statement.setString(index + 3, schedule.lastInstanceId());
	}

	private static ScheduleRecord schedule(ResultSet row) throws SQLException {
		long every = row.getLong("every_ms");
		Duration interval = row.wasNull() ? null : Duration.ofMillis(every);
		return new ScheduleRecord(row.getString("name"), row.getString("workflow_id"), row.getString("cron"), interval,
				row.getString("zone"), JsonCodec.read(row.getString("input")),
				OverlapPolicy.valueOf(row.getString("overlap")), requiredInstant(row, "next_fire_at"),
				instant(row, "last_fire_at"), row.getString("last_instance_id"));
	}

}
