package io.orchwf.scenario;

import io.orchwf.store.StateStore;
import io.orchwf.testing.SharedPostgres;

class PostgresOrderDagConcurrencyTests extends OrderDagConcurrencyTests {

	@Override
	protected StateStore newStore() {
		return SharedPostgres.emptyStore();
	}

}
