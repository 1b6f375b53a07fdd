package io.orchwf.testing;

import io.orchwf.store.StateStore;
import io.orchwf.store.jdbc.JdbcStateStore;

/**
 * One PostgreSQL schema shared by the scenario tests that run on PostgreSQL, emptied
 * before each test and dropped when the test JVM exits.
 */
public final class SharedPostgres {

	private static TestDatabase database;

	private SharedPostgres() {
	}

	/**
	 * A store on the shared schema, emptied.
	 * @return a new store on an empty schema
	 */
	public static synchronized StateStore emptyStore() {
		TestDatabase shared = database();
		shared.truncate();
		return JdbcStateStore.builder(shared.dataSource()).build();
	}

	/**
	 * The shared database.
	 * @return the database, created on first use
	 */
	public static synchronized TestDatabase database() {
		if (database == null) {
			database = TestDatabase.postgres(24);
			Runtime.getRuntime().addShutdownHook(new Thread(database::close));
		}
		return database;
	}

}
