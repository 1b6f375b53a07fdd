package io.orchwf.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * Runs each store operation in a transaction of its own, on a connection from a
 * {@link DataSource} (use a pooled one).
 */
public final class DataSourceConnectionProvider implements ConnectionProvider {

	private final DataSource dataSource;

	/**
	 * Create a provider.
	 * @param dataSource where connections come from
	 */
	public DataSourceConnectionProvider(DataSource dataSource) {
		if (dataSource == null) {
			throw new IllegalArgumentException("dataSource must not be null");
		}
		this.dataSource = dataSource;
	}

	@Override
	public <T> T inTransaction(TransactionWork<T> work) throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			if (autoCommit) {
				connection.setAutoCommit(false);
			}
			try {
				T result = work.run(connection);
				connection.commit();
				return result;
			}
			catch (SQLException | RuntimeException | Error ex) {
				rollback(connection, ex);
				throw ex;
			}
			finally {
				if (autoCommit) {
					restoreAutoCommit(connection);
				}
			}
		}
	}

	@Override
	public <T> T inAutoCommit(TransactionWork<T> work) throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			if (connection.getAutoCommit()) {
				return work.run(connection);
			}
			// a pool that hands out connections in a transaction: leave them so
			connection.setAutoCommit(true);
			try {
				return work.run(connection);
			}
			finally {
				restoreManualCommit(connection);
			}
		}
	}

	@Override
	public <T> T inCallerTransactionOrAutoCommit(TransactionWork<T> work) throws SQLException {
		// this provider knows no caller's transactions
		return inAutoCommit(work);
	}

	private static void restoreManualCommit(Connection connection) {
		try {
			connection.setAutoCommit(false);
		}
		catch (SQLException ex) {
			// the connection is broken; the pool will discard it
		}
	}

	private static void rollback(Connection connection, Throwable failure) {
		try {
			connection.rollback();
		}
		catch (SQLException ex) {
			failure.addSuppressed(ex);
		}
	}

	private static void restoreAutoCommit(Connection connection) {
		try {
			connection.setAutoCommit(true);
		}
		catch (SQLException ex) {
			// the connection is broken; the pool will discard it
		}
	}

	/**
	 * The data source connections come from.
	 * @return the data source
	 */
	public DataSource dataSource() {
		return this.dataSource;
	}

}
