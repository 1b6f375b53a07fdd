package io.orchwf.spring.autoconfigure;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import io.orchwf.store.jdbc.ConnectionProvider;
import io.orchwf.store.jdbc.DataSourceConnectionProvider;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Lets the JDBC store join Spring-managed transactions: inside a transaction of the
 * store's DataSource (a {@code @Transactional} method, say), store operations use the
 * transaction's connection, so that a workflow started there exists if and only if the
 * transaction commits, and its steps start after the commit. Outside one, each operation
 * runs in a transaction of its own.
 */
class SpringTransactionConnectionProvider implements ConnectionProvider {

	private final DataSource dataSource;

	private final DataSourceConnectionProvider own;

	SpringTransactionConnectionProvider(DataSource dataSource) {
		this.dataSource = dataSource;
		this.own = new DataSourceConnectionProvider(dataSource);
	}

	@Override
	public <T> T inTransaction(TransactionWork<T> work) throws SQLException {
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
