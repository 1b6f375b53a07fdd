package io.orchwf.scenario;

import io.orchwf.store.StateStore;
import io.orchwf.testing.SharedPostgres;

class PostgresRetryAndTimeoutScenarioTests extends RetryAndTimeoutScenarioTests {

	@Override
	protected StateStore newStore() {
		return SharedPostgres.emptyStore();
	}

}
