package io.orchwf.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * How the JDBC store gets connections and transactions.
 *
 * <p>
 * The store runs its own writes (transitions, claims, leases) in transactions of their
 * own, through {@link #inTransaction}. It runs a start, a signal and the reads a caller
 * makes through {@link #inCallerTransaction}, which an integration with a transaction
 * manager (the Spring Boot starter provides one) runs in the caller's transaction when
 * one is open: an instance started there exists if and only if that transaction commits,
 * and {@link #afterCommit} actions (starting the instance's steps) wait for the commit.
 * The default, {@link DataSourceConnectionProvider}, knows no caller's transactions and
 * runs everything in transactions of its own.
 */
public interface ConnectionProvider {

	/**
	 * Run work in a new transaction, committed if the work returns and rolled back if it
	 * throws, whatever transaction the calling thread has open.
	 * @param <T> the work's result type
	 * @param work the work
	 * @return the work's result
	 * @throws SQLException if the work or the transaction failed
	 */
	<T> T inTransaction(TransactionWork<T> work) throws SQLException;

	/**
	 * Run work that writes with a single statement on a connection in auto-commit mode,
	 * whatever transaction the calling thread has open: the database runs the statement
	 * (which may hold several commands, sent together) as a transaction of its own and
	 * commits it in the same round trip. The store writes groups of transitions this way
	 * on PostgreSQL. The default runs the work as {@link #inTransaction} does, which is
	 * as safe and costs one round trip more.
	 * @param <T> the work's result type
	 * @param work the work; it must write with one statement
	 * @return the work's result
	 * @throws SQLException if the work failed (then nothing it sent was committed)
	 */
	default <T> T inAutoCommit(TransactionWork<T> work) throws SQLException {
		return inTransaction(work);
	}

	/**
	 * Run work in the caller's transaction if one is open (its owner then commits or
	 * rolls back), else as {@link #inTransaction} does.
	 * @param <T> the work's result type
	 * @param work the work
	 * @return the work's result
	 * @throws SQLException if the work or the transaction failed
	 */
	default <T> T inCallerTransaction(TransactionWork<T> work) throws SQLException {
		return inTransaction(work);
	}

	/**
	 * Run work that writes with a single statement in the caller's transaction if one is
	 * open, else as {@link #inAutoCommit} does. The store starts workflows this way on
	 * PostgreSQL. The default runs the work as {@link #inCallerTransaction} does, which
	 * is as safe and costs one round trip more outside a caller's transaction.
	 * @param <T> the work's result type
	 * @param work the work; it must write with one statement
	 * @return the work's result
	 * @throws SQLException if the work or the transaction failed
	 */
	default <T> T inCallerTransactionOrAutoCommit(TransactionWork<T> work) throws SQLException {
		return inCallerTransaction(work);
	}

	/**
	 * Run an action once the caller's transaction commits, never if it rolls back; at
	 * once when no caller's transaction is open.
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
