package io.orchwf.store.jdbc;

import io.orchwf.store.StateStore;
import io.orchwf.store.StateStoreContractTests;
import io.orchwf.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresStateStoreTests extends StateStoreContractTests {

	private static TestDatabase database;

	@BeforeAll
	static void createDatabase() {
		database = TestDatabase.postgres();
	}

	@AfterAll
	static void dropDatabase() {
		if (database != null) {
			database.close();
		}
	}

	@Override
	protected StateStore createStore() {
		database.truncate();
		return JdbcStateStore.builder(database.dataSource()).build();
	}

}
