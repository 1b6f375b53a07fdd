package io.orchwf.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.orchwf.WorkflowStatus;

import static io.orchwf.store.jdbc.JdbcValues.setInstant;

/**
 * The deletion of finished instances past their retention, a batch per transaction. The
 * instances' steps and history go with them (by trigger on PostgreSQL, by foreign key on
 * H2), their signals by foreign key, and their idempotency keys here, so that a key is
 * free again once its instance is gone. Rows another transaction holds are skipped, never
 * waited for: a deletion never holds up the engine, and two nodes deleting at once never
 * delete one instance twice. On PostgreSQL one node deletes at a time (a
 * transaction-level advisory lock); another that asks meanwhile deletes nothing.
 */
final class ExpiredInstances {

	private static final String LOCK = """
			SELECT pg_try_advisory_xact_lock(hashtext(current_schema() || ?))
			""";

	// the finished index (status, completed_at) delivers the oldest first
	private static final String SELECT_EXPIRED = """
			SELECT id FROM %PREFIX%instances
			WHERE status = ? AND completed_at < ?
			ORDER BY completed_at
			FETCH FIRST ? ROWS ONLY
			FOR UPDATE SKIP LOCKED
			""";

	// PostgreSQL: the three in one command
	private static final String DELETE_EXPIRED = """
			WITH expired AS (""" + SELECT_EXPIRED + """
			),
			keys AS (DELETE FROM %PREFIX%idempotency_keys k USING expired e WHERE k.instance_id = e.id)
			DELETE FROM %PREFIX%instances i USING expired e WHERE i.id = e.id
			""";

	private static final String DELETE_KEYS = """
			DELETE FROM %PREFIX%idempotency_keys WHERE instance_id IN (%IN%)
			""";

	private static final String DELETE_INSTANCES = """
			DELETE FROM %PREFIX%instances WHERE id IN (%IN%)
			""";

	private final boolean inOneCommand;

	private final String lockName;

	private final String deleteExpired;

	private final String selectExpired;

	private final Sql.Listed deleteKeys;

	private final Sql.Listed deleteInstances;

	ExpiredInstances(Sql sql, String tablePrefix) {
		this.inOneCommand = sql.dialect() == Dialect.POSTGRESQL;
		this.lockName = "." + tablePrefix + "retention";
		this.deleteExpired = sql.of(DELETE_EXPIRED);
		this.selectExpired = sql.of(SELECT_EXPIRED);
		this.deleteKeys = sql.listed(DELETE_KEYS, Sql.Token.IN, "?");
		this.deleteInstances = sql.listed(DELETE_INSTANCES, Sql.Token.IN, "?");
	}

	/**
	 * Delete one batch, in the caller's transaction.
	 * @param connection a connection in a transaction
	 * @param status the finished status
	 * @param finishedBefore the instances that ended before this
	 * @param limit the most instances to delete
	 * @return how many instances were deleted
	 * @throws SQLException on a database error
	 */
	int delete(Connection connection, WorkflowStatus status, Instant finishedBefore, int limit) throws SQLException {
		if (this.inOneCommand) {
			if (!lock(connection)) {
				return 0;
			}
			try (PreparedStatement statement = connection.prepareStatement(this.deleteExpired)) {
				bindSelection(statement, status, finishedBefore, limit);
				return statement.executeUpdate();
			}
		}
		List<String> ids = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(this.selectExpired)) {
			bindSelection(statement, status, finishedBefore, limit);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					ids.add(rows.getString(1));
				}
			}
		}
		if (ids.isEmpty()) {
			return 0;
		}
		deleteByIds(connection, this.deleteKeys, ids);
		return deleteByIds(connection, this.deleteInstances, ids);
	}

	private boolean lock(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(LOCK)) {
			statement.setString(1, this.lockName);
			try (ResultSet row = statement.executeQuery()) {
				return row.next() && row.getBoolean(1);
			}
		}
	}

	private static void bindSelection(PreparedStatement statement, WorkflowStatus status, Instant finishedBefore,
			int limit) throws SQLException {
		statement.setString(1, status.name());
		setInstant(statement, 2, finishedBefore);
		statement.setInt(3, limit);
	}

	private static int deleteByIds(Connection connection, Sql.Listed template, List<String> ids) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(template.of(ids.size()))) {
			JdbcValues.setIds(statement, 1, ids);
			return statement.executeUpdate();
		}
	}

}
