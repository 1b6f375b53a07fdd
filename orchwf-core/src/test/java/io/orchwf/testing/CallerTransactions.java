package io.orchwf.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import io.orchwf.store.jdbc.ConnectionProvider;
import io.orchwf.store.jdbc.DataSourceConnectionProvider;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ConnectionProvider} with transactions a test opens and ends on its thread, as
 * a transaction manager would: store operations in between join the open transaction and
 * after-commit actions wait for its commit.
 */
public final class CallerTransactions implements ConnectionProvider {

	private final DataSource dataSource;

	private final DataSourceConnectionProvider own;

	private final ThreadLocal<@Nullable Open> current = new ThreadLocal<>();

	public CallerTransactions(DataSource dataSource) {
		this.dataSource = dataSource;
		this.own = new DataSourceConnectionProvider(dataSource);
	}

	/**
	 * Open a transaction on this thread.
	 * @throws SQLException if no connection can be had
	 */
	public void begin() throws SQLException {
		Connection connection = this.dataSource.getConnection();
		connection.setAutoCommit(false);
		this.current.set(new Open(connection));
	}

	/**
	 * Commit this thread's transaction, then run its after-commit actions.
	 * @throws SQLException if the commit failed
	 */
	public void commit() throws SQLException {
		Open open = end();
		try (Connection connection = open.connection) {
			connection.commit();
		}
		open.afterCommit.forEach(Runnable::run);
	}

	/**
	 * Roll this thread's transaction back and drop its after-commit actions.
	 * @throws SQLException if the rollback failed
	 */
	public void rollback() throws SQLException {
		try (Connection connection = end().connection) {
			connection.rollback();
		}
	}

	private Open end() {
		Open open = this.current.get();
		if (open == null) {
			throw new IllegalStateException("no transaction is open on this thread");
		}
		this.current.remove();
		return open;
	}

	@Override
	public <T> T inTransaction(TransactionWork<T> work) throws SQLException {
		return this.own.inTransaction(work);
	}

	@Override
	public <T> T inCallerTransaction(TransactionWork<T> work) throws SQLException {
		Open open = this.current.get();
		return (open != null) ? work.run(open.connection) : this.own.inTransaction(work);
	}

	@Override
	public void afterCommit(Runnable action) {
		Open open = this.current.get();
		if (open != null) {
			open.afterCommit.add(action);
		}
		else {
			action.run();
		}
	}

	private static final class Open {

		private final Connection connection;

		private final List<Runnable> afterCommit = new ArrayList<>();

		Open(Connection connection) {
			this.connection = connection;
		}

	}

}
