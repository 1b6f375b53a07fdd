package io.orchwf.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

import io.orchwf.Orchestrator;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;
import io.orchwf.testing.SharedPostgres;
import io.orchwf.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention is a {@code DELETE} of old instances: their steps and events go with them, by
 * foreign key on H2 and by trigger on PostgreSQL, whose schema has no foreign keys on
 * those tables (see {@code V2__cascade_children_by_trigger.sql}).
 */
class InstanceDeletionTests {

	private static final TestDatabase h2 = TestDatabase.h2();

	@AfterAll
	static void dropDatabase() {
		h2.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "h2", "postgresql" })
	void deletingInstancesDeletesTheirStepsAndHistoryAndNothingElse(String name) throws SQLException {
		// looked up here, so that a missing PostgreSQL skips its case only, not H2's
		TestDatabase database = name.equals("h2") ? h2 : SharedPostgres.database();
		database.truncate();
		try (Orchestrator orchestrator = Orchestrator.builder(JdbcStateStore.builder(database.dataSource()).build())
			.build()) {
			orchestrator.register(WorkflowDefinition.builder("w", "W")
				.step(StepDefinition.builder("a", "A", (context) -> Map.of()).build())
				.step(StepDefinition.builder("b", "B", (context) -> Map.of()).dependsOn("a").build())
				.build());
			String deleted = orchestrator.start("w", null).instanceId();
			String kept = orchestrator.start("w", null).instanceId();
			String alsoDeleted = orchestrator.start("w", null).instanceId();
			assertThat(count(database, "orchwf_steps", deleted)).isEqualTo(2);
			assertThat(count(database, "orchwf_history", deleted)).isPositive();
			long keptRows = count(database, "orchwf_history", kept);
			int keptEvents = orchestrator.history(kept).size();

			try (Connection connection = database.dataSource().getConnection();
					PreparedStatement delete = connection.prepareStatement(
							"DELETE FROM orchwf_instances WHERE id IN (CAST(? AS uuid), CAST(? AS uuid))")) {
				delete.setString(1, deleted);
				delete.setString(2, alsoDeleted);
				assertThat(delete.executeUpdate()).isEqualTo(2);
			}

			for (String id : new String[] { deleted, alsoDeleted }) {
				assertThat(count(database, "orchwf_steps", id)).isZero();
				assertThat(count(database, "orchwf_history", id)).isZero();
				assertThat(orchestrator.status(id)).isEmpty();
			}
			assertThat(count(database, "orchwf_steps", kept)).isEqualTo(2);
			assertThat(count(database, "orchwf_history", kept)).isEqualTo(keptRows);
			assertThat(orchestrator.history(kept)).hasSize(keptEvents);
		}
	}

	private static long count(TestDatabase database, String table, String instanceId) throws SQLException {
		try (Connection connection = database.dataSource().getConnection();
				PreparedStatement query = connection
					.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE instance_id = CAST(? AS uuid)")) {
			query.setString(1, instanceId);
			try (ResultSet row = query.executeQuery()) {
				row.next();
				return row.getLong(1);
			}
		}
	}

}
