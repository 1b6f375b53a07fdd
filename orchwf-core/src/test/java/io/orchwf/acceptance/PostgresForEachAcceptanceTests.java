package io.orchwf.acceptance;

import io.orchwf.store.StateStore;
import io.orchwf.testing.SharedPostgres;

/**
 * {@link ForEachAcceptanceTests} on PostgreSQL (the JDBC store): the same promises hold
 * with a durable store. Skipped without a database (see {@code TestDatabase}).
 */
class PostgresForEachAcceptanceTests extends ForEachAcceptanceTests {

	@Override
	protected StateStore newStore() {
		return SharedPostgres.emptyStore();
	}

}
