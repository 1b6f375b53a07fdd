package io.orchwf.spring.actuate;

import com.zaxxer.hikari.HikariDataSource;
import io.orchwf.testing.EnabledIfPostgres;
import io.orchwf.testing.TestDatabase;
import io.orchwf.testing.TestDatabase.EmptySchema;

import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The store-dependent rules of the {@code orchwf} actuator endpoint over HTTP, on the
 * JDBC store with PostgreSQL (which cannot hold U+0000 and keeps instance ids as UUIDs),
 * in a schema of its own that orchwf migrates. Skipped, before its context is built, when
 * the tests have no PostgreSQL.
 */
@EnabledIfPostgres
@SpringBootTest(classes = { OrchwfActuatorTestApplication.class, OrchwfEndpointPostgresWebTests.Postgres.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "orchwf.store=jdbc", "spring.flyway.enabled=false", "orchwf.shutdown.await-termination=1s",
				"management.endpoints.web.exposure.include=orchwf", "management.endpoint.orchwf.access=unrestricted" })
@AutoConfigureRestTestClient
@DirtiesContext
class OrchwfEndpointPostgresWebTests extends AbstractOrchwfEndpointWebTests {

	@TestConfiguration(proxyBeanMethods = false)
	static class Postgres {

		// dropped when the context closes, after the pool that depends on it
		@Bean
		EmptySchema orchwfTestSchema() {
			return TestDatabase.emptyPostgresSchema();
		}

		@Bean
		HikariDataSource dataSource(EmptySchema schema) {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl(schema.address().url());
			dataSource.setUsername(schema.address().user());
			dataSource.setPassword(schema.address().password());
			dataSource.setSchema(schema.schema());
			return dataSource;
		}

	}

}
