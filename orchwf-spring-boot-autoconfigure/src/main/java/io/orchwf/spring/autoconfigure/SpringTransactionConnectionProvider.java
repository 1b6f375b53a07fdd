package io.orchwf.spring.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.orchwf.store.jdbc.ConnectionProvider;
import io.orchwf.store.jdbc.DataSourceConnectionProvider;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Lets the JDBC store join Spring-managed transactions: inside a transaction of the
 * store's DataSource (a {@code @Transactional} method, say), starts, signals and reads
 * use the transaction's connection, so that a workflow started there exists if and only
 * if the transaction commits, and its steps start after the commit. The engine's own
 * writes, and everything outside such a transaction, run in transactions of their own.
 */
class SpringTransactionConnectionProvider implements ConnectionProvider {

	private final DataSource dataSource;

	private final DataSourceConnectionProvider own;

	SpringTransactionConnectionProvider(DataSource dataSource) {
		this.dataSource = dataSource;
		// a proxy would hand out the transaction's connection for "own" transactions too
		DataSource target = (dataSource instanceof TransactionAwareDataSourceProxy proxy
				&& proxy.getTargetDataSource() != null) ? proxy.getTargetDataSource() : dataSource;
		this.own = new DataSourceConnectionProvider(target);
	}

	@Override
	public <T> T inTransaction(TransactionWork<T> work) throws SQLException {
		// a connection of the pool's own, not the one bound to this thread's transaction
		return this.own.inTransaction(work);
	}

	@Override
	public <T> T inAutoCommit(TransactionWork<T> work) throws SQLException {
		return this.own.inAutoCommit(work);
	}

	@Override
	public <T> T inCallerTransaction(TransactionWork<T> work) throws SQLException {
		if (!joinsTransaction()) {
			return this.own.inTransaction(work);
		}
		Connection connection = DataSourceUtils.getConnection(this.dataSource);
		try {
			return work.run(connection);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, this.dataSource);
		}
	}

	@Override
	public <T> T inCallerTransactionOrAutoCommit(TransactionWork<T> work) throws SQLException {
		return joinsTransaction() ? inCallerTransaction(work) : this.own.inAutoCommit(work);
	}

	@Override
	public void afterCommit(Runnable action) {
		if (!joinsTransaction() || !TransactionSynchronizationManager.isSynchronizationActive()) {
			action.run();
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {

			@Override
			public void afterCommit() {
				action.run();
			}

		});
	}

	/**
	 * Whether this thread runs a transaction that holds a connection of the store's
	 * DataSource; a transaction of another resource (a second database, say) is not
	 * joined.
	 */
	private boolean joinsTransaction() {
		return TransactionSynchronizationManager.isActualTransactionActive()
				&& TransactionSynchronizationManager.getResource(this.dataSource) != null;
	}

}
