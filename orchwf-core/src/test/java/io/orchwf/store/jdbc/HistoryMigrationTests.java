package io.orchwf.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.store.InstanceState;
import io.orchwf.store.InstanceUpdate;
import io.orchwf.store.StepRecord;
import io.orchwf.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Upgrading a database whose history holds one row per event (PostgreSQL's version 2,
 * H2's version 1) to the latest schema keeps every event, its order and its values, and
 * the state of every step, which the previous schemas updated in the steps' rows; the
 * transitions stored afterwards come after them, their step changes in the history.
 */
class HistoryMigrationTests {

	private static final Instant STARTED = Instant.parse("2026-01-02T03:04:05.123456Z");

	private static final Instant COMPLETED = Instant.parse("2026-01-02T03:04:06.000001Z");

	/**
	 * The first step, completed and updated in its row the way the previous schemas did.
	 */
	private static final StepRecord PAID = new StepRecord("pay", 0, StepStatus.COMPLETED, 1, Map.of("receipt", "r-1"),
			null, STARTED, COMPLETED, null, 1);

	private static final InstanceState RUNNING = new InstanceState(WorkflowStatus.RUNNING, Map.of(), null, STARTED,
			null, null);

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

	private static void assertUpgraded(DataSource dataSource, String id) throws SQLException {
		JdbcStateStore store = JdbcStateStore.builder(dataSource).build();
		assertThat(store.history(id)).containsExactly(
				new WorkflowEvent(WorkflowEventType.WORKFLOW_STARTED, id, "orders", null, 0, STARTED, Map.of()),
				new WorkflowEvent(WorkflowEventType.STEP_STARTED, id, "orders", "pay", 1, STARTED, Map.of()),
				new WorkflowEvent(WorkflowEventType.STEP_COMPLETED, id, "orders", "pay", 1, COMPLETED,
						Map.of("durationMs", 877, "receipt", Map.of("amount", 12.5, "lines", List.of("a", "b")))));
		assertThat(store.load(id).orElseThrow().steps()).containsExactly(PAID, StepRecord.pending("ship", 1));

		StepRecord shipping = new StepRecord("ship", 1, StepStatus.RUNNING, 1, Map.of(), null, COMPLETED, null, null,
				0);
		WorkflowEvent shipStarted = new WorkflowEvent(WorkflowEventType.STEP_STARTED, id, "orders", "ship", 1,
				COMPLETED, Map.of());
		assertThat(store.apply(List.of(new InstanceUpdate(id, 1, COMPLETED, RUNNING, false, List.of(shipping),
				List.of(shipStarted), InstanceUpdate.SIGNALS_IGNORED, List.of(), false))))
			.isEmpty();
		assertThat(store.load(id).orElseThrow().steps()).containsExactly(PAID, shipping);
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection
					.prepareStatement("SELECT status FROM orchwf_steps WHERE step_id = 'ship'");
				ResultSet row = statement.executeQuery()) {
			// the change is in the history; the row stays as the instance was created
			assertThat(row.next()).isTrue();
			assertThat(row.getString(1)).isEqualTo("PENDING");
		}
		WorkflowEvent signal = new WorkflowEvent(WorkflowEventType.SIGNAL_RECEIVED, id, "orders", null, 0,
				COMPLETED.plusSeconds(1), Map.of("name", "approved"));
		assertThat(store.addSignal(id, "approved", Map.of(), signal)).isTrue();
		assertThat(store.history(id)).hasSize(5).endsWith(shipStarted, signal);
	}

	/**
	 * Store an instance and its events the way the previous schema did.
	 */
	private static String eventsStoredOneRowEach(DataSource dataSource) throws SQLException {
		String id = UUID.randomUUID().toString();
		try (Connection connection = dataSource.getConnection()) {
			String json = connection.getMetaData().getDatabaseProductName().equals("H2") ? " FORMAT JSON" : "";
			try (PreparedStatement instance = connection.prepareStatement(
					"""
							INSERT INTO orchwf_instances (id, workflow_id, workflow_version, status, input, output, metadata,
								trace_id, correlation_id, created_at, started_at, fence, updated_at)
							VALUES (CAST(? AS uuid), 'orders', '1', 'RUNNING', '{}'%1$s, '{}'%1$s, '{}'%1$s, 't', 'c', ?, ?, 1, ?)"""
						.formatted(json))) {
				instance.setString(1, id);
				for (int i = 2; i <= 4; i++) {
					instance.setObject(i, STARTED.atOffset(java.time.ZoneOffset.UTC));
				}
				instance.executeUpdate();
			}
			try (PreparedStatement steps = connection.prepareStatement("""
					INSERT INTO orchwf_steps (instance_id, step_id, position, status, attempts, output, started_at,
						completed_at, completion_order)
					VALUES (CAST(? AS uuid), 'pay', 0, 'COMPLETED', 1, '{"receipt": "r-1"}'%1$s, ?, ?, 1),
						(CAST(? AS uuid), 'ship', 1, 'PENDING', 0, '{}'%1$s, NULL, NULL, 0)""".formatted(json))) {
				steps.setString(1, id);
				steps.setObject(2, STARTED.atOffset(java.time.ZoneOffset.UTC));
				steps.setObject(3, COMPLETED.atOffset(java.time.ZoneOffset.UTC));
				steps.setString(4, id);
				steps.executeUpdate();
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
