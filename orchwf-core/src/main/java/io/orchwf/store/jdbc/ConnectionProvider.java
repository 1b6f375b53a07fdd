package io.orchwf.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How the JDBC store gets connections and transactions.
 *
 * <p>
 * The default, {@link DataSourceConnectionProvider}, runs every store operation in a
 * transaction of its own. An integration with a transaction manager (the Spring Boot
 * starter provides one) runs operations in the caller's transaction when one is open, so
 * that an instance started inside it exists if and only if that transaction commits, and
 * defers {@link #afterCommit} actions (starting the instance's steps) to its commit.
 */
public interface ConnectionProvider {

	/**
	 * Run work in a transaction: the caller's if one is open (its owner then commits or
	 * rolls back), else a new one, committed if the work returns and rolled back if it
	 * throws.
	 * @param <T> the work's result type
	 * @param work the work
	 * @return the work's result
	 * @throws SQLException if the work or the transaction failed
	 */
	<T> T inTransaction(TransactionWork<T> work) throws SQLException;

	/**
	 * Run an action once the caller's transaction commits, never if it rolls back; at
	 * once when the last operation ran in a transaction of its own.
	 * @param action the action
	 */
	default void afterCommit(Runnable action) {
		action.run();
	}

	/**
	 * Work done with a connection inside a transaction.
	 *
	 * @param <T> the result type
	 */
	@FunctionalInterface
	interface TransactionWork<T> {

		/**
		 * Do the work. Do not commit, roll back or close the connection.
		 * @param connection the transaction's connection
		 * @return the result
		 * @throws SQLException if a statement failed
		 */
		T run(Connection connection) throws SQLException;

	}

}
