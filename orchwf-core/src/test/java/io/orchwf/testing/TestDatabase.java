package io.orchwf.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

/**
 * A database for tests, migrated with orchwf's shipped Flyway scripts into a schema of
 * its own, so that test classes never see each other's rows.
 *
 * <p>
 * PostgreSQL is the one {@link TestPostgres} finds: {@code ORCHWF_TEST_JDBC_URL}, else
 * {@code localhost:5432}, else Testcontainers; without one the test is skipped with a
 * message saying how to enable it, unless {@code ORCHWF_REQUIRE_DATABASE=true}, which
 * makes it fail instead. H2 always works (in memory).
 */
public final class TestDatabase implements AutoCloseable {

	private static final String[] TABLES = { "orchwf_schedules", "orchwf_history", "orchwf_signals", "orchwf_steps",
			"orchwf_idempotency_keys", "orchwf_instances", "orchwf_nodes" };

	private static final AtomicInteger COUNTER = new AtomicInteger();

	private final HikariDataSource dataSource;

	private final @Nullable String schema;

	private final String admin;

	private TestDatabase(HikariDataSource dataSource, @Nullable String schema, String admin) {
		this.dataSource = dataSource;
		this.schema = schema;
		this.admin = admin;
	}

	/**
	 * A PostgreSQL schema with orchwf's tables, or a skipped (or failed) test.
	 * @return the database
	 */
	public static TestDatabase postgres() {
		return postgres(16);
	}

	/**
	 * A PostgreSQL schema with orchwf's tables, or a skipped (or failed) test.
	 * @param poolSize the connection pool size
	 * @return the database
	 */
	public static TestDatabase postgres(int poolSize) {
		PostgresAddress address = postgresAddress();
		String schema = "orchwf_test_" + COUNTER.incrementAndGet() + "_"
				+ UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
		try (HikariDataSource setup = pool(address, null, 1)) {
			execute(setup, "CREATE SCHEMA " + schema);
		}
		TestPostgres.reportSchema(schema);
		HikariDataSource dataSource = pool(address, schema, poolSize);
		Flyway.configure()
			.dataSource(dataSource)
			.locations("classpath:db/orchwf/postgresql")
			.table("orchwf_schema_history")
			.defaultSchema(schema)
			.schemas(schema)
			.load()
			.migrate();
		return new TestDatabase(dataSource, schema, "DROP SCHEMA " + schema + " CASCADE");
	}

	/**
	 * An empty PostgreSQL schema, for tests in which the application creates the tables
	 * itself; dropped on close.
	 * @return the schema
	 */
	public static EmptySchema emptyPostgresSchema() {
		PostgresAddress address = postgresAddress();
		String schema = "orchwf_app_" + COUNTER.incrementAndGet() + "_"
				+ UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
		try (HikariDataSource setup = pool(address, null, 1)) {
			execute(setup, "CREATE SCHEMA " + schema);
		}
		TestPostgres.reportSchema(schema);
		return new EmptySchema(address, schema);
	}

	/**
	 * An in-memory H2 database with orchwf's tables.
	 * @return the database
	 */
	public static TestDatabase h2() {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl("jdbc:h2:mem:orchwf_" + COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
		config.setMaximumPoolSize(8);
		HikariDataSource dataSource = new HikariDataSource(config);
		Flyway.configure()
			.dataSource(dataSource)
			.locations("classpath:db/orchwf/h2")
			.table("orchwf_schema_history")
			.load()
			.migrate();
		return new TestDatabase(dataSource, null, "DROP ALL OBJECTS");
	}

	/**
	 * The connection details of the test PostgreSQL (see {@link TestPostgres}), or a
	 * skipped (or failed) test.
	 * @return the address
	 */
	public static PostgresAddress postgresAddress() {
		return TestPostgres.addressOrSkip();
	}

	private static HikariDataSource pool(PostgresAddress address, @Nullable String schema, int size) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(address.url());
		config.setUsername(address.user());
		config.setPassword(address.password());
		config.setMaximumPoolSize(size);
		config.setMinimumIdle(0);
		if (schema != null) {
			config.setSchema(schema);
		}
		return new HikariDataSource(config);
	}

	private static void execute(DataSource dataSource, String sql) {
		try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not run " + sql, ex);
		}
	}

	/**
	 * The pooled data source, on this database's schema.
	 * @return the data source
	 */
	public DataSource dataSource() {
		return this.dataSource;
	}

	/**
	 * The schema this database's tables are in.
	 * @return the schema, or {@code null} for H2's default
	 */
	public @Nullable String schema() {
		return this.schema;
	}

	/**
	 * Empty orchwf's tables.
	 */
	public void truncate() {
		for (String table : TABLES) {
			execute(this.dataSource, "DELETE FROM " + table);
		}
	}

	/**
	 * Run one statement, such as creating a table a test needs.
	 * @param sql the statement
	 */
	public void execute(String sql) {
		execute(this.dataSource, sql);
	}

	@Override
	public void close() {
		try {
			execute(this.dataSource, this.admin);
		}
		finally {
			this.dataSource.close();
		}
	}

	/**
	 * An empty schema of the test PostgreSQL.
	 *
	 * @param address where the database is
	 * @param schema the schema's name
	 */
	public record EmptySchema(PostgresAddress address, String schema) implements AutoCloseable {

		@Override
		public void close() {
			try (HikariDataSource admin = pool(this.address, null, 1)) {
				execute(admin, "DROP SCHEMA " + this.schema + " CASCADE");
			}
		}

	}

	/**
	 * Where the test PostgreSQL is.
	 *
	 * @param url the JDBC URL
	 * @param user the user
	 * @param password the password
	 */
	public record PostgresAddress(String url, String user, String password) {
	}

}
