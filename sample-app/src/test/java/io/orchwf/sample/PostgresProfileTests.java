package io.orchwf.sample;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

import io.orchwf.sample.SampleAppClient.PlacedOrder;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.context.ConfigurableApplicationContext;

import static io.orchwf.sample.SampleAppClient.decimal;
import static io.orchwf.sample.SampleAppClient.stepStatus;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code postgres} profile runs the order workflow on PostgreSQL: an order placed,
 * given one more item while it waits and approved completes, in a schema of its own that
 * it drops afterwards. The database is found as orchwf-core's test harness finds it
 * ({@code TestPostgres}, which this module does not depend on), but without
 * Testcontainers: {@code ORCHWF_TEST_JDBC_URL} (with {@code ORCHWF_TEST_JDBC_USER} and
 * {@code ORCHWF_TEST_JDBC_PASSWORD}), else a server at {@code localhost:5432}
 * ({@code ORCHWF_TEST_LOCAL_POSTGRES=false} turns that off), else the test is skipped, or
 * fails when {@code ORCHWF_REQUIRE_DATABASE=true}.
 */
@ExtendWith(PostgresProfileTests.WhenPostgresAnswers.class)
class PostgresProfileTests {

	private static final String LOCAL_URL = "jdbc:postgresql://localhost:5432/postgres";

	private static final String MISSING = "no PostgreSQL (set ORCHWF_TEST_JDBC_URL, with ORCHWF_TEST_JDBC_USER and "
			+ "ORCHWF_TEST_JDBC_PASSWORD; or run one at localhost:5432 with user postgres and no password)";

	private static @Nullable Database found;

	@Test
	void anApprovedOrderCompletesOnPostgres() throws SQLException {
		Database database = find();
		String schema = "sample_e2e_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
		execute("CREATE SCHEMA " + schema);
		System.out.println("orchwf tests: " + database.description() + " (schema " + schema + ")");
		try {
			try (ConfigurableApplicationContext context = SampleAppClient.startApplication(
					"spring.profiles.active=postgres", "server.port=0", "spring.datasource.url=" + database.url(),
					"spring.datasource.username=" + database.user(),
					"spring.datasource.password=" + database.password(), "spring.datasource.hikari.schema=" + schema,
					"orchwf.recovery.poll-interval=100ms", "shop.approval-timeout=1m")) {
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
		try (Connection connection = find().connect(new Properties());
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static long count(String sql) throws SQLException {
		try (Connection connection = find().connect(new Properties());
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getLong(1);
		}
	}

	private static synchronized Database find() {
		if (found == null) {
			found = Database.look();
		}
		return found;
	}

	private static String envOr(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

	private static boolean required() {
		return Boolean.parseBoolean(System.getenv("ORCHWF_REQUIRE_DATABASE"));
	}

	/**
	 * The PostgreSQL this test runs on.
	 *
	 * @param url the JDBC URL, or {@code null} when there is none
	 * @param user the user
	 * @param password the password
	 * @param description where it came from, for the test output
	 */
	record Database(@Nullable String url, String user, String password, String description) {

		static Database look() {
			String url = System.getenv("ORCHWF_TEST_JDBC_URL");
			if (url != null && !url.isBlank()) {
				int query = url.indexOf('?');
				return new Database(url, envOr("ORCHWF_TEST_JDBC_USER", "postgres"),
						envOr("ORCHWF_TEST_JDBC_PASSWORD", ""),
						"PostgreSQL from ORCHWF_TEST_JDBC_URL " + ((query < 0) ? url : url.substring(0, query)));
			}
			if (!"false".equalsIgnoreCase(System.getenv("ORCHWF_TEST_LOCAL_POSTGRES"))) {
				Database local = new Database(LOCAL_URL, "postgres", "", "PostgreSQL from localhost:5432 " + LOCAL_URL);
				if (local.answers()) {
					return local;
				}
			}
			return new Database(null, "", "", (required() ? "failed: " : "skipped: ") + MISSING);
		}

		Connection connect(Properties properties) throws SQLException {
			properties.setProperty("user", this.user);
			properties.setProperty("password", this.password);
			return DriverManager.getConnection(this.url, properties);
		}

		// once per JVM, with a short timeout, so that a machine without one does not wait
		private boolean answers() {
			Properties properties = new Properties();
			properties.setProperty("connectTimeout", "2");
			properties.setProperty("loginTimeout", "2");
			properties.setProperty("socketTimeout", "2");
			try (Connection connection = connect(properties)) {
				return connection.isValid(2);
			}
			catch (SQLException ex) {
				return false;
			}
		}

	}

	/**
	 * Runs the test only when it has a PostgreSQL, deciding before the test starts.
	 */
	static final class WhenPostgresAnswers implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			Database database = find();
			if (database.url() != null) {
				return ConditionEvaluationResult.enabled(database.description());
			}
			System.out.println("orchwf tests: " + database.description());
			if (required()) {
				return Assertions.fail(MISSING + ", and ORCHWF_REQUIRE_DATABASE=true makes that a failure");
			}
			return ConditionEvaluationResult
				.disabled(MISSING + "; ORCHWF_REQUIRE_DATABASE=true makes this skip a failure");
		}

	}

}
