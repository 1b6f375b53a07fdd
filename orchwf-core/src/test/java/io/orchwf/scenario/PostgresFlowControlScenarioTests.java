package io.orchwf.scenario;

import io.orchwf.store.StateStore;
import io.orchwf.testing.SharedPostgres;

class PostgresFlowControlScenarioTests extends FlowControlScenarioTests {

	@Override
	protected StateStore newStore() {
		return SharedPostgres.emptyStore();
	}

}
