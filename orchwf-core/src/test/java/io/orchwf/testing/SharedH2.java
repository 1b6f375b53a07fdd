package io.orchwf.testing;

import io.orchwf.store.StateStore;
import io.orchwf.store.jdbc.JdbcStateStore;

/**
 * One in-memory H2 database shared by the scenario tests that run on H2, emptied before
 * each test.
 */
public final class SharedH2 {

	private static TestDatabase database;

	private SharedH2() {
	}

	/**
	 * A store on the shared database, emptied.
	 * @return a new store on empty tables
	 */
	public static synchronized StateStore emptyStore() {
		if (database == null) {
			database = TestDatabase.h2();
		}
		database.truncate();
		return JdbcStateStore.builder(database.dataSource()).build();
	}

}
