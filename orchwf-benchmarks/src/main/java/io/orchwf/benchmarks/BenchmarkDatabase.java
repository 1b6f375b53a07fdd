package io.orchwf.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

/**
 * A fresh PostgreSQL schema with orchwf's tables for one benchmark run, dropped at the
 * end. The server comes from {@code ORCHWF_BENCH_JDBC_URL}
 * ({@code ORCHWF_BENCH_JDBC_USER}, {@code ORCHWF_BENCH_JDBC_PASSWORD}), by default the
 * local PostgreSQL as user postgres.
 */
final class BenchmarkDatabase implements AutoCloseable {

	private final String url;

	private final String user;

	private final String password;

	private final String schema;

	private final HikariDataSource dataSource;

	private BenchmarkDatabase(int poolSize) {
		this.url = env("ORCHWF_BENCH_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
		this.user = env("ORCHWF_BENCH_JDBC_USER", "postgres");
		this.password = env("ORCHWF_BENCH_JDBC_PASSWORD", "");
		this.schema = "orchwf_bench_" + Long.toString(System.currentTimeMillis(), 36).toLowerCase(Locale.ROOT);
		execute("CREATE SCHEMA " + this.schema);
		this.dataSource = pool(this.schema, poolSize);
		Flyway.configure()
			.dataSource(this.dataSource)
			.locations("classpath:db/orchwf/postgresql")
			.table("orchwf_schema_history")
			.defaultSchema(this.schema)
			.schemas(this.schema)
			.load()
			.migrate();
	}

	/**
	 * Create the schema and its tables.
	 * @param poolSize the connections of the pool
	 * @return the database
	 */
	static BenchmarkDatabase create(int poolSize) {
		return new BenchmarkDatabase(poolSize);
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

	private HikariDataSource pool(String currentSchema, int size) {
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(this.url);
		config.setUsername(this.user);
		config.setPassword(this.password);
		config.setMaximumPoolSize(size);
		config.setMinimumIdle(size);
		config.setSchema(currentSchema);
		config.setPoolName("bench");
		return new HikariDataSource(config);
	}

	DataSource dataSource() {
		return this.dataSource;
	}

	String schema() {
		return this.schema;
	}

	/**
	 * Transactions committed in the database so far, as {@code pg_stat_database} counts
	 * them (all sessions).
	 */
	long commits() {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("SELECT pg_stat_clear_snapshot()");
			try (ResultSet row = statement
				.executeQuery("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
				row.next();
				return row.getLong(1);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read pg_stat_database", ex);
		}
	}

	/**
	 * Bytes of WAL written by the server so far.
	 */
	long walBytes() {
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")) {
			row.next();
			return row.getLong(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read the WAL position", ex);
		}
	}

	private void execute(String sql) {
		try (HikariDataSource admin = pool(null, 1);
				Connection connection = admin.getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not run " + sql + " on " + this.url
					+ "; set ORCHWF_BENCH_JDBC_URL to a PostgreSQL you may create schemas in", ex);
		}
	}

	@Override
	public void close() {
		this.dataSource.close();
		execute("DROP SCHEMA " + this.schema + " CASCADE");
	}

}
