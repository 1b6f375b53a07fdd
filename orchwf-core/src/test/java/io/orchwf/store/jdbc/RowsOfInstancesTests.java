package io.orchwf.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.orchwf.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rows of many instances in a child table are read by index, each instance's rows in
 * their order, on PostgreSQL even where the table has never been analysed: there, an
 * {@code IN} list of a hundred ids used to be planned as a scan of the whole table.
 */
class RowsOfInstancesTests {

	private static final int INSTANCES = 20_000;

	private static final int WANTED = 150;

	@Test
	void postgresReadsEachInstanceByIndexWithoutStatistics() throws SQLException {
		try (TestDatabase database = TestDatabase.postgres(2)) {
			fill(database);
			try (Connection connection = database.dataSource().getConnection()) {
				connection.setAutoCommit(false);
				List<String> wanted = someIds(connection);
				List<String> rows = stepsOf(connection, Dialect.POSTGRESQL, wanted);
				assertInOrder(rows, wanted);
				try (PreparedStatement statement = connection.prepareStatement("""
						SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables
						WHERE schemaname = current_schema() AND relname = 'orchwf_steps'
						"""); ResultSet scans = statement.executeQuery()) {
					assertThat(scans.next()).isTrue();
					assertThat(scans.getLong("seq_scan")).as("scans of the whole steps table").isZero();
					assertThat(scans.getLong("idx_scan")).as("index lookups").isPositive();
				}
				connection.rollback();
			}
		}
	}

	@Test
	void h2ReadsTheRowsOfEachInstanceInOrder() throws SQLException {
		try (TestDatabase database = TestDatabase.h2()) {
			database.execute("""
					INSERT INTO orchwf_instances (id, workflow_id, workflow_version, status, input, output, metadata,
						trace_id, correlation_id, created_at, updated_at)
					SELECT RANDOM_UUID(), 'w', '1', 'WAITING', JSON '{}', JSON '{}', JSON '{}', 't', 'c',
						CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM SYSTEM_RANGE(1, 500)
					""");
			insertSteps(database, "JSON '{}'");
			try (Connection connection = database.dataSource().getConnection()) {
				List<String> wanted = someIds(connection);
				assertInOrder(stepsOf(connection, Dialect.H2, wanted), wanted);
			}
		}
	}

	private static void fill(TestDatabase database) {
		// never analysed, as a table that has grown since autovacuum last looked at it
		database.execute("ALTER TABLE orchwf_steps SET (autovacuum_enabled = false)");
		database.execute("ALTER TABLE orchwf_instances SET (autovacuum_enabled = false)");
		database.execute("""
				INSERT INTO orchwf_instances (id, workflow_id, workflow_version, status, input, output, metadata,
					trace_id, correlation_id, created_at, updated_at)
				SELECT gen_random_uuid(), 'w', '1', 'WAITING', '{}', '{}', '{}', 't', 'c', now(), now()
				FROM generate_series(1, %d)
				""".formatted(INSTANCES));
		insertSteps(database, "'{}'");
	}

	/**
	 * Two steps for each instance, the second inserted first, so that only the query's
	 * order puts them in place.
	 */
	private static void insertSteps(TestDatabase database, String emptyJson) {
		for (String[] step : new String[][] { { "second", "1" }, { "first", "0" } }) {
			database.execute(
					"""
							INSERT INTO orchwf_steps (instance_id, step_id, position, status, attempts, output, completion_order)
							SELECT id, '%s', %s, 'PENDING', 0, %s, 0 FROM orchwf_instances
							"""
						.formatted(step[0], step[1], emptyJson));
		}
	}

	private static List<String> someIds(Connection connection) throws SQLException {
		List<String> ids = new ArrayList<>();
		try (PreparedStatement statement = connection
			.prepareStatement("SELECT id FROM orchwf_instances ORDER BY id FETCH FIRST " + WANTED + " ROWS ONLY");
				ResultSet rows = statement.executeQuery()) {
			while (rows.next()) {
				ids.add(rows.getString(1));
			}
		}
		return ids;
	}

	private static List<String> stepsOf(Connection connection, Dialect dialect, List<String> ids) throws SQLException {
		RowsOfInstances steps = new RowsOfInstances(new Sql("orchwf_", dialect), "%STEP_COLUMNS%", "%PREFIX%steps", "",
				"instance_id, position");
		List<String> rows = new ArrayList<>();
		try (PreparedStatement statement = steps.prepare(connection, ids, (id) -> id);
				ResultSet result = statement.executeQuery()) {
			while (result.next()) {
				rows.add(result.getString("instance_id") + "/" + result.getString("step_id"));
			}
		}
		return rows;
	}

	/**
	 * Each wanted instance's two steps, in their order, the instances one after another.
	 */
	private static void assertInOrder(List<String> rows, List<String> wanted) {
		assertThat(rows).hasSize(2 * wanted.size());
		List<String> instances = new ArrayList<>();
		for (int i = 0; i < rows.size(); i += 2) {
			String instance = rows.get(i).substring(0, rows.get(i).indexOf('/'));
			assertThat(rows.subList(i, i + 2)).containsExactly(instance + "/first", instance + "/second");
			instances.add(instance);
		}
		assertThat(instances).containsExactlyInAnyOrderElementsOf(wanted);
	}

}
