package io.orchwf.scenario;

import io.orchwf.store.StateStore;
import io.orchwf.testing.SharedPostgres;

class PostgresRetentionScenarioTests extends RetentionScenarioTests {

	@Override
	protected StateStore newStore() {
		return SharedPostgres.emptyStore();
	}

}
