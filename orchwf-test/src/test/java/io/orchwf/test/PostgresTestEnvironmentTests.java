package io.orchwf.test;

import io.orchwf.store.StateStore;
import io.orchwf.testing.SharedPostgres;

class PostgresTestEnvironmentTests extends TestEnvironmentTests {

	@Override
	protected StateStore store() {
		return SharedPostgres.emptyStore();
	}

}
