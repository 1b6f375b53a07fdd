package io.orchwf.scenario;

import io.orchwf.store.StateStore;
import io.orchwf.testing.SharedPostgres;

class PostgresShutdownScenarioTests extends ShutdownScenarioTests {

	@Override
	protected StateStore newStore() {
		return SharedPostgres.emptyStore();
	}

}
