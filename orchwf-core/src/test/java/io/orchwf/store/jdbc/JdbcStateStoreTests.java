package io.orchwf.store.jdbc;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import io.orchwf.Orchestrator;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.store.StoreException;
import io.orchwf.testing.SwitchableDataSource;
import io.orchwf.testing.TestDatabase;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What the JDBC store adds to the store contract: its configuration, payload limits and
 * errors. Runs on H2; the contract tests cover PostgreSQL.
 */
class JdbcStateStoreTests {

	private static TestDatabase database;

	@BeforeAll
	static void createDatabase() {
		database = TestDatabase.h2();
	}

	@AfterAll
	static void dropDatabase() {
		database.close();
	}

	@BeforeEach
	void emptyTables() {
		database.truncate();
	}

	@Test
	void tellsWhereItsMigrationsAre() {
		assertThat(JdbcStateStore.builder(database.dataSource()).build().migrationLocation())
			.isEqualTo("classpath:db/orchwf/h2");
	}

	@Test
	void rejectsInvalidSettingsNamingThem() {
		JdbcStateStore.Builder builder = JdbcStateStore.builder(database.dataSource());
		assertThatIllegalArgumentException().isThrownBy(() -> builder.tablePrefix("orchwf; DROP TABLE x"))
			.withMessageContaining("tablePrefix");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.maxPayloadBytes(0))
			.withMessageContaining("maxPayloadBytes");
		assertThatIllegalArgumentException().isThrownBy(() -> builder.writeConcurrency(0))
			.withMessageContaining("writeConcurrency");
		assertThatIllegalArgumentException().isThrownBy(() -> JdbcStateStore.builder(null))
			.withMessageContaining("dataSource");
		assertThat(builder.tablePrefix("workflows.orchwf_").build()).isNotNull();
	}

	@Test
	void tooLargeInputsFailTheStartAndTooLargeOutputsFailTheStep() {
		JdbcStateStore store = JdbcStateStore.builder(database.dataSource()).maxPayloadBytes(300).build();
		try (Orchestrator orchestrator = Orchestrator.builder(store).build()) {
			orchestrator.register(WorkflowDefinition.builder("big", "Big")
				.step(StepDefinition.builder("a", "A", (context) -> Map.of("blob", "x".repeat(500))).build())
				.build());
			assertThatIllegalArgumentException()
				.isThrownBy(() -> orchestrator.startAsync("big", Map.of("blob", "y".repeat(500))))
				.withMessageContaining("input is 511 bytes of JSON, more than the 300 bytes this store accepts");
			WorkflowResult result = orchestrator.start("big", Map.of());
			assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
			assertThat(result.error()).hasValueSatisfying((error) -> assertThat(error)
				.contains("output of step a is 511 bytes of JSON, more than the 300 bytes this store accepts"));
		}
	}

	@Test
	void anUnreachableDatabaseIsAStoreExceptionThatSaysWhatFailed() {
		SwitchableDataSource dataSource = new SwitchableDataSource(database.dataSource());
		JdbcStateStore store = JdbcStateStore.builder(dataSource).build();
		String id = UUID.randomUUID().toString();
		assertThat(store.load(id)).isEmpty();
		dataSource.down();
		assertThatExceptionOfType(StoreException.class).isThrownBy(() -> store.load(id))
			.withMessageContaining("Could not load instance " + id)
			.withMessageContaining("the database is down")
			.withMessageContaining("SQL state 08001")
			.satisfies((ex) -> assertThat(ex.isTransient()).isTrue());
	}

	@Test
	void startsFailWhileTheDatabaseIsDownAndWorkOnceItIsBack() {
		SwitchableDataSource dataSource = new SwitchableDataSource(database.dataSource());
		try (Orchestrator orchestrator = oneStepWorkflowOn(dataSource)) {
			dataSource.down();
			assertThatExceptionOfType(StoreException.class).isThrownBy(() -> orchestrator.startAsync("w", null));
			dataSource.up();
			assertThat(orchestrator.start("w", null).success()).isTrue();
		}
	}

	@Test
	void aNewStoreNeedsOnlyOneConnectionForItsFirstStart() {
		String url = "jdbc:h2:mem:orchwf_one_connection_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
		// Flyway takes connections of its own
		Flyway.configure()
			.dataSource(url, "", "")
			.locations("classpath:db/orchwf/h2")
			.table("orchwf_schema_history")
			.load()
			.migrate();
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url);
		config.setMaximumPoolSize(1);
		config.setConnectionTimeout(1000);
		try (HikariDataSource dataSource = new HikariDataSource(config)) {
			try (Orchestrator orchestrator = oneStepWorkflowOn(dataSource)) {
				assertThat(orchestrator.start("w", null).success()).isTrue();
			}
		}
	}

	/**
	 * An orchestrator on a store of the given database, with workflow {@code w} of one
	 * step registered.
	 */
	private static Orchestrator oneStepWorkflowOn(DataSource dataSource) {
		Orchestrator orchestrator = Orchestrator.builder(JdbcStateStore.builder(dataSource).build())
			.pollInterval(Duration.ofMillis(50))
			.build();
		orchestrator.register(WorkflowDefinition.builder("w", "W")
			.step(StepDefinition.builder("a", "A", (context) -> Map.of("ok", true)).build())
			.build());
		return orchestrator;
	}

}
