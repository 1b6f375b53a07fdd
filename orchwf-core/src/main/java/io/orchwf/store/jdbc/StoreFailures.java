package io.orchwf.store.jdbc;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

import io.orchwf.store.StoreException;

/**
 * Turns JDBC failures into {@link StoreException}s that say what failed and whether it
 * may pass, so that the engine retries an outage but not a statement the database will
 * always refuse.
 */
final class StoreFailures {

	/** H2's codes for a broken connection and a database that is closing or closed. */
	private static final Set<String> H2_CONNECTION_LOST = Set.of("90067", "90098", "90121");

	/** The SQL state of a unique constraint's violation, on PostgreSQL and H2. */
	static final String UNIQUE_VIOLATION = "23505";

	private StoreFailures() {
	}

	static StoreException translate(String operation, SQLException failure) {
		SQLException cause = rootOf(failure);
		// the message of the database's error, never a statement with its bound values,
		// which a batch failure's own message may quote
		return new StoreException(
				"Could not " + operation + ": " + cause.getMessage() + " (SQL state " + cause.getSQLState() + ")",
				failure, isTransient(cause));
	}

	private static SQLException rootOf(SQLException failure) {
		if (failure instanceof BatchUpdateException && failure.getNextException() != null) {
			return failure.getNextException();
		}
		return failure;
	}

	/**
	 * Whether a failure may pass: a lost or refused connection (class 08), a
	 * serialization failure or deadlock (class 40), insufficient resources (53), an
	 * operator intervention such as a restart (57P), a lock not available (55P03) or a
	 * timeout (HYT00, HYT01), an H2 database that went away; or a failure the driver
	 * itself calls transient.
	 */
	static boolean isTransient(SQLException failure) {
		if (failure instanceof SQLTransientException || failure instanceof SQLRecoverableException
				|| failure instanceof SQLNonTransientConnectionException) {
			return true;
		}
		String state = failure.getSQLState();
		if (state == null) {
			// no classification (a pool that timed out, say): treat it as an outage
			return true;
		}
		return state.startsWith("08") || state.startsWith("40") || state.startsWith("53") || state.startsWith("57P")
				|| state.equals("55P03") || state.startsWith("HYT") || H2_CONNECTION_LOST.contains(state);
	}

}
