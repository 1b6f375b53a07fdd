package io.orchwf.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import io.orchwf.testing.TestDatabase.PostgresAddress;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Finds the PostgreSQL the tests run on, once per JVM, and says which one it found.
 *
 * <p>
 * In order: {@code ORCHWF_TEST_JDBC_URL} (with {@code ORCHWF_TEST_JDBC_USER} and
 * {@code ORCHWF_TEST_JDBC_PASSWORD}); else a server that answers at
 * {@code localhost:5432} as user {@code postgres} with an empty password, probed with a
 * short timeout ({@code ORCHWF_TEST_LOCAL_POSTGRES=false} turns the probe off); else a
 * Testcontainers container when Docker is available; else none, and the tests that need
 * it are skipped, or fail when {@code ORCHWF_REQUIRE_DATABASE=true}.
 */
public final class TestPostgres {

	static final String URL_VARIABLE = "ORCHWF_TEST_JDBC_URL";

	static final String LOCAL_VARIABLE = "ORCHWF_TEST_LOCAL_POSTGRES";

	static final String REQUIRE_VARIABLE = "ORCHWF_REQUIRE_DATABASE";

	private static final String LOCAL_URL = "jdbc:postgresql://localhost:5432/postgres";

	private static final int PROBE_TIMEOUT_SECONDS = 2;

	private static final String MISSING = "no PostgreSQL (set " + URL_VARIABLE + ", with ORCHWF_TEST_JDBC_USER and "
			+ "ORCHWF_TEST_JDBC_PASSWORD; or run one at localhost:5432 with user postgres and no password; "
			+ "or make Docker available for Testcontainers)";

	private static @Nullable Found found;

	private static boolean missingReported;

	private TestPostgres() {
	}

	/**
	 * Whether the tests have a PostgreSQL, looking for one on first use.
	 * @return {@code true} if they have one
	 */
	public static boolean available() {
		return find().address() != null;
	}

	/**
	 * Whether a missing PostgreSQL fails the tests instead of skipping them.
	 * @return {@code true} if {@code ORCHWF_REQUIRE_DATABASE=true}
	 */
	public static boolean required() {
		return Boolean.parseBoolean(System.getenv(REQUIRE_VARIABLE));
	}

	/**
	 * Why the tests have no PostgreSQL and how to give them one.
	 * @return the message
	 */
	public static String missingMessage() {
		return required() ? MISSING + ", and " + REQUIRE_VARIABLE + "=true makes that a failure"
				: MISSING + "; " + REQUIRE_VARIABLE + "=true makes this skip a failure";
	}

	/**
	 * The address of the test PostgreSQL, or a skipped (or failed) test.
	 * @return the address
	 */
	public static PostgresAddress addressOrSkip() {
		PostgresAddress address = find().address();
		if (address != null) {
			return address;
		}
		reportMissing();
		if (required()) {
			Assertions.fail(missingMessage());
		}
		Assumptions.abort(missingMessage());
		throw new IllegalStateException("unreachable");
	}

	/**
	 * Says on the test output which database a schema is on.
	 * @param schema the schema
	 */
	static void reportSchema(String schema) {
		System.out.println("orchwf tests: " + find().description() + " (schema " + schema + ")");
	}

	/**
	 * Says on the test output, once per JVM, that the tests have no PostgreSQL.
	 */
	static synchronized void reportMissing() {
		if (!missingReported) {
			missingReported = true;
			System.out.println("orchwf tests: " + find().description());
		}
	}

	private static synchronized Found find() {
		if (found == null) {
			found = look();
		}
		return found;
	}

	private static Found look() {
		String url = System.getenv(URL_VARIABLE);
		if (url != null && !url.isBlank()) {
			PostgresAddress address = new PostgresAddress(url, envOr("ORCHWF_TEST_JDBC_USER", "postgres"),
					envOr("ORCHWF_TEST_JDBC_PASSWORD", ""));
			return new Found(address, "PostgreSQL from " + URL_VARIABLE + " " + withoutParameters(url));
		}
		if (!"false".equalsIgnoreCase(System.getenv(LOCAL_VARIABLE))) {
			PostgresAddress local = new PostgresAddress(LOCAL_URL, "postgres", "");
			if (answers(local)) {
				return new Found(local, "PostgreSQL from localhost:5432 " + LOCAL_URL);
			}
		}
		if (dockerAvailable()) {
			PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
			container.start();
			return new Found(
					new PostgresAddress(container.getJdbcUrl(), container.getUsername(), container.getPassword()),
					"PostgreSQL from Testcontainers " + container.getJdbcUrl());
		}
		return new Found(null, (required() ? "failed: " : "skipped: ") + MISSING);
	}

	private static boolean answers(PostgresAddress address) {
		Properties properties = new Properties();
		properties.setProperty("user", address.user());
		properties.setProperty("password", address.password());
		properties.setProperty("connectTimeout", Integer.toString(PROBE_TIMEOUT_SECONDS));
		properties.setProperty("loginTimeout", Integer.toString(PROBE_TIMEOUT_SECONDS));
		properties.setProperty("socketTimeout", Integer.toString(PROBE_TIMEOUT_SECONDS));
		try (Connection connection = DriverManager.getConnection(address.url(), properties)) {
			return connection.isValid(PROBE_TIMEOUT_SECONDS);
		}
		catch (SQLException ex) {
			return false;
		}
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (RuntimeException | LinkageError ex) {
			return false;
		}
	}

	// a URL's parameters may hold a password
	private static String withoutParameters(String url) {
		int query = url.indexOf('?');
		return (query < 0) ? url : url.substring(0, query);
	}

	private static String envOr(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null) ? value : fallback;
	}

	private record Found(@Nullable PostgresAddress address, String description) {
	}

}
