package io.orchwf.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.orchwf.Orchestrator;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;
import io.orchwf.spring.OrchestratorCustomizer;
import io.orchwf.store.StateStore;
import io.orchwf.store.jdbc.JdbcStateStore;
import io.orchwf.store.memory.InMemoryStateStore;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which beans the auto-configuration creates, when it backs off, and how it configures
 * the orchestrator.
 */
class OrchwfAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OrchwfAutoConfiguration.class));

	private final ApplicationContextRunner jdbcRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				OrchwfAutoConfiguration.class))
		.withPropertyValues(
				"spring.datasource.url=jdbc:h2:mem:orchwf-autoconfig-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");

	@Test
	void withoutADataSourceUsesTheInMemoryStore() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(InMemoryStateStore.class)
				.hasSingleBean(Orchestrator.class)
				.hasSingleBean(OrchestratorLifecycle.class)
				.doesNotHaveBean(OrchwfSchemaMigration.class);
			assertThat(context.getBean(OrchestratorLifecycle.class).isRunning()).isTrue();
		});
	}

	@Test
	void withADataSourceUsesTheJdbcStoreAndCreatesItsTables() {
		this.jdbcRunner.run((context) -> {
			assertThat(context).hasSingleBean(JdbcStateStore.class).hasSingleBean(OrchwfSchemaMigration.class);
			JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
			assertThat(jdbc.queryForList("SELECT \"script\" FROM \"orchwf_schema_history\" WHERE \"type\" = 'SQL'",
					String.class))
				.containsExactly("V1__create_orchwf_tables.sql", "V2__history_row_per_transition.sql",
						"V3__step_changes_in_history.sql", "V4__step_error_type.sql",
						"V5__finished_instances_index.sql", "V6__schedules.sql", "V7__flow_control.sql");
			assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM orchwf_instances", Integer.class)).isZero();
		});
	}

	@Test
	void leavesTheApplicationsOwnFlywayHistoryAlone() {
		this.jdbcRunner.withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class))
			.withPropertyValues("spring.flyway.locations=classpath:db/app")
			.run((context) -> {
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
				assertThat(jdbc.queryForList("SELECT \"script\" FROM \"flyway_schema_history\" WHERE \"type\" = 'SQL'",
						String.class))
					.containsExactly("V1__app_tables.sql");
				assertThat(jdbc.queryForList("SELECT \"script\" FROM \"orchwf_schema_history\" WHERE \"type\" = 'SQL'",
						String.class))
					.contains("V1__create_orchwf_tables.sql");
				assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM app_orders", Integer.class)).isZero();
			});
	}

	@Test
	void theInMemoryStoreKeepsAsManyFinishedInstancesAsConfigured() {
		this.runner.run((context) -> assertThat(context.getBean(InMemoryStateStore.class).maxFinishedInstances())
			.isEqualTo(InMemoryStateStore.DEFAULT_MAX_FINISHED_INSTANCES));
		this.runner.withPropertyValues("orchwf.memory.max-finished-instances=25")
			.run((context) -> assertThat(context.getBean(InMemoryStateStore.class).maxFinishedInstances())
				.isEqualTo(25));
		this.runner.withPropertyValues("orchwf.memory.max-finished-instances=-1")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("maxFinishedInstances must be zero or more, but was -1"));
	}

	@Test
	void storeMemoryForcesTheInMemoryStoreDespiteADataSource() {
		this.jdbcRunner.withPropertyValues("orchwf.store=memory")
			.run((context) -> assertThat(context).hasSingleBean(InMemoryStateStore.class)
				.doesNotHaveBean(JdbcStateStore.class)
				.doesNotHaveBean(OrchwfSchemaMigration.class));
	}

	@Test
	void storeJdbcWithoutADataSourceFailsSayingWhatToDo() {
		this.runner.withPropertyValues("orchwf.store=jdbc")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("orchwf.store=jdbc needs a DataSource"));
	}

	@Test
	void migrationCanBeTurnedOff() {
		this.jdbcRunner.withPropertyValues("orchwf.jdbc.migrate=false")
			.run((context) -> assertThat(context).hasSingleBean(JdbcStateStore.class)
				.doesNotHaveBean(OrchwfSchemaMigration.class));
	}

	@Test
	void withoutFlywayTheJdbcStoreStaysButNothingMigrates() {
		this.jdbcRunner.withClassLoader(new FilteredClassLoader(Flyway.class))
			.withPropertyValues("orchwf.jdbc.migrate=false")
			.run((context) -> assertThat(context).hasSingleBean(JdbcStateStore.class)
				.doesNotHaveBean(OrchwfSchemaMigration.class));
	}

	@Test
	void withoutSpringJdbcFallsBackToTheInMemoryStore() {
		this.runner.withClassLoader(new FilteredClassLoader(DataSourceUtils.class))
			.run((context) -> assertThat(context).hasSingleBean(InMemoryStateStore.class));
	}

	@Test
	void backsOffEntirelyWhenDisabled() {
		this.runner.withPropertyValues("orchwf.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(Orchestrator.class)
				.doesNotHaveBean(StateStore.class));
	}

	@Test
	void theApplicationsOwnStoreAndOrchestratorWin() {
		this.runner.withUserConfiguration(OwnStoreConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(StateStore.class);
			assertThat(context.getBean(StateStore.class)).isSameAs(context.getBean("ownStore"));
		});
		this.runner.withUserConfiguration(OwnOrchestratorConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(Orchestrator.class);
			assertThat(context.getBean(Orchestrator.class).nodeId()).isEqualTo("own");
		});
	}

	@Test
	void appliesPropertiesThenCustomizersInOrder() {
		this.runner.withUserConfiguration(CustomizerConfiguration.class, DefinitionConfiguration.class)
			.withPropertyValues("orchwf.node-id=node-7", "orchwf.workers=3")
			.run((context) -> {
				Orchestrator orchestrator = context.getBean(Orchestrator.class);
				assertThat(orchestrator.nodeId()).isEqualTo("node-7");
				orchestrator.start("from_bean", Map.of());
				List<String> seen = context.getBean(CustomizerConfiguration.class).seen;
				assertThat(seen).startsWith("first:WORKFLOW_STARTED", "second:WORKFLOW_STARTED");
			});
	}

	@Test
	void registersWorkflowDefinitionBeans() {
		this.runner.withUserConfiguration(DefinitionConfiguration.class).run((context) -> {
			Orchestrator orchestrator = context.getBean(Orchestrator.class);
			assertThat(orchestrator.workflows()).extracting(WorkflowDefinition::id).containsExactly("from_bean");
			assertThat(orchestrator.start("from_bean", Map.of()).output()).containsEntry("bean", true);
		});
	}

	@Test
	void invalidPropertiesFailStartupNamingThem() {
		this.runner.withPropertyValues("orchwf.default-retry.max-attempts=0")
			.run((context) -> assertThat(context).hasFailed().getFailure().hasStackTraceContaining("maxAttempts"));
		this.runner.withPropertyValues("orchwf.recovery.lease-duration=5s", "orchwf.recovery.heartbeat-interval=10s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("heartbeatInterval"));
	}

	@Test
	void aLeaseSetAloneIsValidWithAHeartbeatOfAThirdOfIt() {
		this.runner.withPropertyValues("orchwf.recovery.lease-duration=3s")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(Orchestrator.class));
	}

	@Test
	void theOrchestratorClosesWithTheContext() {
		this.runner.withUserConfiguration(DefinitionConfiguration.class).run((context) -> {
			Orchestrator orchestrator = context.getBean(Orchestrator.class);
			context.close();
			assertThat(orchestrator)
				.satisfies((closed) -> org.assertj.core.api.Assertions.assertThatIllegalStateException()
					.isThrownBy(() -> closed.startAsync("from_bean", Map.of())));
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnStoreConfiguration {

		@Bean
		StateStore ownStore() {
			return new InMemoryStateStore();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnOrchestratorConfiguration {

		@Bean
		Orchestrator ownOrchestrator() {
			return Orchestrator.builder(new InMemoryStateStore()).nodeId("own").autoStart(false).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomizerConfiguration {

		final List<String> seen = new CopyOnWriteArrayList<>();

		@Bean
		@Order(2)
		OrchestratorCustomizer second() {
			return (builder) -> builder.listener((event) -> this.seen.add("second:" + event.type()));
		}

		@Bean
		@Order(1)
		OrchestratorCustomizer first() {
			return (builder) -> builder.listener((event) -> this.seen.add("first:" + event.type()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DefinitionConfiguration {

		@Bean
		WorkflowDefinition fromBean() {
			return WorkflowDefinition.builder("from_bean", "From a bean")
				.step(StepDefinition.builder("only", "Only", (context) -> Map.of("bean", true))
					.timeout(Duration.ofSeconds(5))
					.build())
				.build();
		}

	}

}
