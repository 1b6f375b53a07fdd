package io.orchwf.acceptance;

import io.orchwf.store.StateStore;
import io.orchwf.testing.SharedPostgres;

/**
 * {@link TimerAcceptanceTests} on PostgreSQL (the JDBC store): the same promises hold
 * with a durable store. Skipped without a database (see {@code TestDatabase}).
 */
class PostgresTimerAcceptanceTests extends TimerAcceptanceTests {

	@Override
	protected StateStore newStore() {
		return SharedPostgres.emptyStore();
	}

}
