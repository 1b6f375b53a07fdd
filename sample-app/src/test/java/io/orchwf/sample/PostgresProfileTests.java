package io.orchwf.sample;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import io.orchwf.sample.SampleAppClient.PlacedOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import org.springframework.context.ConfigurableApplicationContext;

import static io.orchwf.sample.SampleAppClient.decimal;
import static io.orchwf.sample.SampleAppClient.stepStatus;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code postgres} profile runs the order workflow on PostgreSQL: an order placed,
 * given one more item while it waits and approved completes. Runs only when
 * {@code ORCHWF_TEST_JDBC_URL} (with {@code ORCHWF_TEST_JDBC_USER} and
 * {@code ORCHWF_TEST_JDBC_PASSWORD}) names a database, in a schema of its own that it
 * drops afterwards.
 */
@EnabledIfEnvironmentVariable(named = "ORCHWF_TEST_JDBC_URL", matches = ".+")
class PostgresProfileTests {

	private static final String URL = System.getenv("ORCHWF_TEST_JDBC_URL");

	private static final String USER = envOr("ORCHWF_TEST_JDBC_USER", "postgres");

	private static final String PASSWORD = envOr("ORCHWF_TEST_JDBC_PASSWORD", "");

	@Test
	void anApprovedOrderCompletesOnPostgres() throws SQLException {
		String schema = "sample_e2e_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		execute("CREATE SCHEMA " + schema);
		try {
			try (ConfigurableApplicationContext context = SampleAppClient.startApplication(
					"spring.profiles.active=postgres", "server.port=0", "spring.datasource.url=" + URL,
					"spring.datasource.username=" + USER, "spring.datasource.password=" + PASSWORD,
					"spring.datasource.hikari.schema=" + schema, "orchwf.recovery.poll-interval=100ms",
					"shop.approval-timeout=1m")) {
				SampleAppClient shop = SampleAppClient.of(context);
				PlacedOrder order = shop.placeOrder("card_ok");
				shop.awaitWaitingForApproval(order.orderId());
				assertThat(
						decimal(shop.addItem(order.orderId(), "pen-1", 3, "1.25").assertStatus(202).body(), "$.total"))
					.isEqualByComparingTo("28.75");
				shop.approve(order.orderId()).assertStatus(202);

				String completed = shop.awaitFinished(order.orderId(), "COMPLETED", "COMPLETED");
				assertThat(stepStatus(completed, "process_payment")).isEqualTo("COMPLETED");
				assertThat(stepStatus(completed, "update_order_status")).isEqualTo("COMPLETED");
				assertThat(decimal(completed, "$.total")).isEqualByComparingTo("28.75");
				shop.approve(order.orderId()).assertProblem(409);
			}
			assertThat(count("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '" + schema
					+ "' AND table_name LIKE 'orchwf_%'"))
				.as("the orchwf tables were made in the test's schema")
				.isPositive();
		}
		finally {
			execute("DROP SCHEMA " + schema + " CASCADE");
		}
	}

	private static void execute(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static long count(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getLong(1);
		}
	}

	private static String envOr(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

}
