package io.orchwf.store.jdbc;

import io.orchwf.store.StateStore;
import io.orchwf.store.StateStoreContractTests;
import io.orchwf.testing.SharedPostgres;

class PostgresStateStoreTests extends StateStoreContractTests {

	@Override
	protected StateStore createStore() {
		return SharedPostgres.emptyStore();
	}

}
