package io.orchwf.spring.actuate;

import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The store-dependent rules of the {@code orchwf} actuator endpoint over HTTP, on the
 * JDBC store with an H2 database that orchwf migrates itself.
 */
@SpringBootTest(classes = { OrchwfActuatorTestApplication.class, OrchwfEndpointH2WebTests.H2.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "orchwf.store=jdbc", "spring.flyway.enabled=false", "orchwf.shutdown.await-termination=1s",
				"management.endpoints.web.exposure.include=orchwf", "management.endpoint.orchwf.access=unrestricted" })
@AutoConfigureRestTestClient
@DirtiesContext
class OrchwfEndpointH2WebTests extends AbstractOrchwfEndpointWebTests {

	@TestConfiguration(proxyBeanMethods = false)
	static class H2 {

		@Bean
		HikariDataSource dataSource() {
			HikariDataSource dataSource = new HikariDataSource();
			dataSource.setJdbcUrl("jdbc:h2:mem:orchwf_endpoint_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
			return dataSource;
		}

	}

}
