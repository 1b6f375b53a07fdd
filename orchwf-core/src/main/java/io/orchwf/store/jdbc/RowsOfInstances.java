package io.orchwf.store.jdbc;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * A query of the rows several instances own in one of the store's child tables (steps,
 * history, signals), in one statement whatever their number.
 *
 * <p>
 * On PostgreSQL the ids are one {@code uuid[]} parameter, and each is looked up on its
 * own through the table's index (a lateral subquery per id, which {@code OFFSET 0} keeps
 * from being flattened into a join). The plan then does not depend on the table's
 * statistics: without any, as on a table that has grown since its last {@code ANALYZE},
 * PostgreSQL takes an {@code IN} list of a hundred ids for a large part of the table and
 * scans all of it, which made each claim of woken instances cost a scan of every step
 * row. The one text also keeps one prepared statement instead of one per count. Elsewhere
 * the ids are an {@code IN} list, which those databases look up by index.
 */
final class RowsOfInstances {

	private final String byArray;

	private final Sql.Listed byList;

	private final boolean bindsArray;

	/**
	 * A query of a child table's rows.
	 * @param sql the store's SQL
	 * @param columns the columns to select, {@code instance_id} among them, unqualified
	 * @param table the table, with its {@code %PREFIX%}
	 * @param condition a further condition on the rows, starting with {@code AND}, or
	 * empty
	 * @param order the columns the rows are ordered by, {@code instance_id} first
	 */
	RowsOfInstances(Sql sql, String columns, String table, String condition, String order) {
		this.bindsArray = sql.dialect() == Dialect.POSTGRESQL;
		this.byArray = sql.of("SELECT r.* FROM unnest(CAST(? AS uuid[])) AS wanted(wanted_id) CROSS JOIN LATERAL ("
				+ "SELECT " + columns + " FROM " + table + " WHERE instance_id = wanted.wanted_id " + condition
				+ " OFFSET 0) r ORDER BY " + order);
		this.byList = sql.listed("SELECT " + columns + " FROM " + table + " WHERE instance_id IN (%IN%) " + condition
				+ " ORDER BY " + order, Sql.Token.IN, "?");
	}

	/**
	 * Prepare the query for some instances, their ids bound.
	 * @param <T> what holds an id
	 * @param connection the connection to prepare it on
	 * @param instances the instances, at least one
	 * @param id the id of each
	 * @return the statement, for the caller to run and close
	 * @throws SQLException if the statement cannot be prepared
	 */
	<T> PreparedStatement prepare(Connection connection, List<T> instances, Function<T, String> id)
			throws SQLException {
		if (this.bindsArray) {
			UUID[] ids = new UUID[instances.size()];
			for (int i = 0; i < ids.length; i++) {
				ids[i] = UUID.fromString(id.apply(instances.get(i)));
			}
			PreparedStatement statement = connection.prepareStatement(this.byArray);
			try {
				Array array = connection.createArrayOf("uuid", ids);
				statement.setArray(1, array);
				return statement;
			}
			catch (SQLException | RuntimeException ex) {
				statement.close();
				throw ex;
			}
		}
		PreparedStatement statement = connection.prepareStatement(this.byList.of(instances.size()));
		try {
			int i = 0;
			for (T instance : instances) {
				JdbcValues.setId(statement, ++i, id.apply(instance));
			}
			return statement;
		}
		catch (SQLException | RuntimeException ex) {
			statement.close();
			throw ex;
		}
	}

}
