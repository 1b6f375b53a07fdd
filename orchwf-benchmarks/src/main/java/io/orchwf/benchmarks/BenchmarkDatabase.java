package io.orchwf.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

/**
 * A fresh PostgreSQL database for one benchmark, dropped at the end, so that its commit
 * count ({@code pg_stat_database}) counts only that benchmark. The server comes from
 * {@code ORCHWF_BENCH_JDBC_URL} (any database on it; {@code ORCHWF_BENCH_JDBC_USER},
 * {@code ORCHWF_BENCH_JDBC_PASSWORD}), by default the local PostgreSQL as user postgres.
 */
final class BenchmarkDatabase implements AutoCloseable {

	private final String serverUrl;

	private final String user;

	private final String password;

	private final String name;

	private final String url;

	private final HikariDataSource dataSource;

	private BenchmarkDatabase(String purpose, int poolSize) {
		this.serverUrl = env("ORCHWF_BENCH_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
		this.user = env("ORCHWF_BENCH_JDBC_USER", "postgres");
		this.password = env("ORCHWF_BENCH_JDBC_PASSWORD", "");
		this.name = ("bench_" + purpose + "_" + Long.toString(System.currentTimeMillis(), 36)).toLowerCase(Locale.ROOT);
		admin("CREATE DATABASE " + this.name);
		this.url = this.serverUrl.replaceFirst("/[^/?]*(\\?|$)", "/" + this.name + "$1");
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(this.url);
		config.setUsername(this.user);
		config.setPassword(this.password);
		config.setMaximumPoolSize(poolSize);
		config.setMinimumIdle(poolSize);
		config.setPoolName("bench-" + purpose);
		this.dataSource = new HikariDataSource(config);
	}

	/**
	 * Create an empty database.
	 * @param purpose a short name for the database's name, such as {@code dbos}
	 * @param poolSize the connections of the pool
	 * @return the database
	 */
	static BenchmarkDatabase create(String purpose, int poolSize) {
		return new BenchmarkDatabase(purpose, poolSize);
	}

	/**
	 * Create a database with orchwf's tables.
	 * @param purpose a short name for the database's name
	 * @param poolSize the connections of the pool
	 * @return the database
	 */
	static BenchmarkDatabase withOrchwf(String purpose, int poolSize) {
		BenchmarkDatabase database = new BenchmarkDatabase(purpose, poolSize);
		Flyway.configure()
			.dataSource(database.dataSource)
			.locations("classpath:db/orchwf/postgresql")
			.table("orchwf_schema_history")
			.load()
			.migrate();
		return database;
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isBlank()) ? value : fallback;
	}

	DataSource dataSource() {
		return this.dataSource;
	}

	/**
	 * The JDBC URL of this database, for libraries that make their own connections.
	 */
	String url() {
		return this.url;
	}

	String user() {
		return this.user;
	}

	String password() {
		return this.password;
	}

	/**
	 * Transactions committed in this database so far, as {@code pg_stat_database} counts
	 * them (all sessions). Backends report their counts when they go idle, so read it
	 * after a quiet moment.
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
	 * Bytes of WAL the server has written so far (all databases).
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

	private void admin(String sql) {
		try (Connection connection = DriverManager.getConnection(this.serverUrl, this.user, this.password);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not run " + sql + " on " + this.serverUrl
					+ "; set ORCHWF_BENCH_JDBC_URL to a PostgreSQL you may create databases in", ex);
		}
	}

	@Override
	public void close() {
		this.dataSource.close();
		admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + this.name
				+ "' AND pid <> pg_backend_pid()");
		admin("DROP DATABASE IF EXISTS " + this.name);
	}

}
