package io.orchwf.spring.autoconfigure;

import javax.sql.DataSource;

import io.orchwf.store.StateStore;
import io.orchwf.store.jdbc.JdbcStateStore;
import io.orchwf.store.memory.InMemoryStateStore;
import org.flywaydb.core.Flyway;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * The configurations of the state store, imported by {@link OrchwfAutoConfiguration} in
 * this order: the JDBC store when the application has a DataSource (and
 * {@code orchwf.store} is unset or {@code jdbc}), a clear failure when
 * {@code orchwf.store=jdbc} has no DataSource, else the in-memory store.
 */
abstract class StoreConfigurations {

	private StoreConfigurations() {
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ DataSource.class, DataSourceUtils.class })
	@ConditionalOnSingleCandidate(DataSource.class)
	@ConditionalOnProperty(name = "orchwf.store", havingValue = "jdbc", matchIfMissing = true)
	@Import(Migration.class)
	static class Jdbc {

		@Bean
		@ConditionalOnMissingBean(StateStore.class)
		JdbcStateStore orchwfStateStore(DataSource dataSource, OrchwfProperties properties) {
			return JdbcStateStore.builder(dataSource)
				.connectionProvider(new SpringTransactionConnectionProvider(dataSource))
				.maxPayloadBytes(properties.getJdbc().getMaxPayloadBytes())
				.writeConcurrency(properties.getJdbc().getWriteConcurrency())
				.notices(properties.getJdbc().isNotices())
				.build();
		}

	}

	/**
	 * The orchwf tables, created after the application's own database initialization (its
	 * Flyway, say), so that its first migration still sees the schema it expects.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Flyway.class, DependsOnDatabaseInitialization.class })
	@ConditionalOnBooleanProperty(name = "orchwf.jdbc.migrate", matchIfMissing = true)
	@Import(DatabaseInitializationDependencyConfigurer.class)
	static class Migration {

		@Bean
		@ConditionalOnMissingBean
		@DependsOnDatabaseInitialization
		OrchwfSchemaMigration orchwfSchemaMigration(DataSource dataSource, StateStore store) {
			String location = (store instanceof JdbcStateStore jdbc) ? jdbc.migrationLocation()
					: JdbcStateStore.builder(dataSource).build().migrationLocation();
			return new OrchwfSchemaMigration(dataSource, location);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "orchwf.store", havingValue = "jdbc")
	@ConditionalOnMissingBean({ DataSource.class, StateStore.class })
	static class MissingDataSource {

		@Bean
		StateStore orchwfStateStore() {
			throw new IllegalStateException("orchwf.store=jdbc needs a DataSource: add spring-boot-starter-jdbc and "
					+ "configure spring.datasource.*, or set orchwf.store=memory");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = "orchwf.store", havingValue = "memory", matchIfMissing = true)
	static class InMemory {

		@Bean
		@ConditionalOnMissingBean(StateStore.class)
		InMemoryStateStore orchwfStateStore(OrchwfProperties properties) {
			return new InMemoryStateStore(properties.getMemory().getMaxFinishedInstances());
		}

	}

}
