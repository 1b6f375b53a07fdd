package io.orchwf.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.store.StateStore;
import io.orchwf.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrading a database whose history holds one row per event (PostgreSQL's version 2,
 * H2's version 1) to one row per transition keeps every event, its order and its values,
 * and the transitions stored afterwards come after them.
 */
class HistoryMigrationTests {

	private static final Instant STARTED = Instant.parse("2026-01-02T03:04:05.123456Z");

	private static final Instant COMPLETED = Instant.parse("2026-01-02T03:04:06.000001Z");

	@Test
	void postgresHistoryKeepsItsEventsThroughTheUpgrade() throws SQLException {
		try (TestDatabase.EmptySchema schema = TestDatabase.emptyPostgresSchema();
				HikariDataSource dataSource = pool(schema)) {
			Flyway flyway = flyway(dataSource, "classpath:db/orchwf/postgresql", schema.schema(), "2");
			flyway.migrate();
			String id = eventsStoredOneRowEach(dataSource);
			flyway(dataSource, "classpath:db/orchwf/postgresql", schema.schema(), "latest").migrate();
			assertUpgraded(dataSource, id);
		}
	}

	@Test
	void h2HistoryKeepsItsEventsThroughTheUpgrade() throws SQLException {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl("jdbc:h2:mem:orchwf_history_migration_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		try (HikariDataSource dataSource = new HikariDataSource(config)) {
			flyway(dataSource, "classpath:db/orchwf/h2", null, "1").migrate();
			String id = eventsStoredOneRowEach(dataSource);
			flyway(dataSource, "classpath:db/orchwf/h2", null, "latest").migrate();
			assertUpgraded(dataSource, id);
		}
	}

	private static void assertUpgraded(DataSource dataSource, String id) {
		StateStore store = JdbcStateStore.builder(dataSource).build();
		assertThat(store.history(id)).containsExactly(
				new WorkflowEvent(WorkflowEventType.WORKFLOW_STARTED, id, "orders", null, 0, STARTED, Map.of()),
				new WorkflowEvent(WorkflowEventType.STEP_STARTED, id, "orders", "pay", 1, STARTED, Map.of()),
				new WorkflowEvent(WorkflowEventType.STEP_COMPLETED, id, "orders", "pay", 1, COMPLETED,
						Map.of("durationMs", 877, "receipt", Map.of("amount", 12.5, "lines", List.of("a", "b")))));
		WorkflowEvent signal = new WorkflowEvent(WorkflowEventType.SIGNAL_RECEIVED, id, "orders", null, 0,
				COMPLETED.plusSeconds(1), Map.of("name", "approved"));
		assertThat(store.addSignal(id, "approved", Map.of(), signal)).isTrue();
		assertThat(store.history(id)).hasSize(4).last().isEqualTo(signal);
	}

	/**
	 * Store an instance and its events the way the previous schema did.
	 */
	private static String eventsStoredOneRowEach(DataSource dataSource) throws SQLException {
		String id = UUID.randomUUID().toString();
		try (Connection connection = dataSource.getConnection()) {
			try (PreparedStatement instance = connection.prepareStatement("""
					INSERT INTO orchwf_instances (id, workflow_id, workflow_version, status, input, output, metadata,
						trace_id, correlation_id, created_at, started_at, fence, updated_at)
					VALUES (CAST(? AS uuid), 'orders', '1', 'RUNNING', '{}', '{}', '{}', 't', 'c', ?, ?, 1, ?)""")) {
				instance.setString(1, id);
				for (int i = 2; i <= 4; i++) {
					instance.setObject(i, STARTED.atOffset(java.time.ZoneOffset.UTC));
				}
				instance.executeUpdate();
			}
			insertEvent(connection, id, "WORKFLOW_STARTED", null, 0, STARTED, "{}");
			insertEvent(connection, id, "STEP_STARTED", "pay", 1, STARTED, "{}");
			insertEvent(connection, id, "STEP_COMPLETED", "pay", 1, COMPLETED,
					"{\"durationMs\": 877, \"receipt\": {\"amount\": 12.5, \"lines\": [\"a\", \"b\"]}}");
		}
		return id;
	}

	private static void insertEvent(Connection connection, String id, String type, String stepId, int attempt,
			Instant at, String data) throws SQLException {
		boolean h2 = connection.getMetaData().getDatabaseProductName().equals("H2");
		try (PreparedStatement event = connection.prepareStatement(
				"INSERT INTO orchwf_events (instance_id, type, step_id, attempt, occurred_at, data) VALUES (CAST(? AS uuid), ?, ?, ?, ?, "
						+ (h2 ? "? FORMAT JSON" : "CAST(? AS jsonb)") + ")")) {
			event.setString(1, id);
			event.setString(2, type);
			event.setString(3, stepId);
			event.setInt(4, attempt);
			event.setObject(5, at.atOffset(java.time.ZoneOffset.UTC));
			event.setString(6, data);
			event.executeUpdate();
		}
	}

	private static Flyway flyway(DataSource dataSource, String location, String schema, String target) {
		var configuration = Flyway.configure()
			.dataSource(dataSource)
			.locations(location)
			.table("orchwf_schema_history")
			.target(target);
		if (schema != null) {
			configuration.defaultSchema(schema).schemas(schema);
		}
		return configuration.load();
	}

	private static HikariDataSource pool(TestDatabase.EmptySchema schema) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(schema.address().url());
		config.setUsername(schema.address().user());
		config.setPassword(schema.address().password());
		config.setSchema(schema.schema());
		config.setMaximumPoolSize(2);
		return new HikariDataSource(config);
	}

}
