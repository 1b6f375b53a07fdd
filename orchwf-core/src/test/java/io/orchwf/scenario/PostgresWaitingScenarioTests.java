package io.orchwf.scenario;

import io.orchwf.store.StateStore;
import io.orchwf.testing.SharedPostgres;

class PostgresWaitingScenarioTests extends WaitingScenarioTests {

	@Override
	protected StateStore newStore() {
		return SharedPostgres.emptyStore();
	}

}
