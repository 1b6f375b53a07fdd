package io.orchwf.acceptance;

import io.orchwf.store.StateStore;
import io.orchwf.testing.SharedPostgres;

/**
 * {@link ChildWorkflowAcceptanceTests} on PostgreSQL (the JDBC store): the same promises
 * hold with a durable store. Skipped without a database (see {@code TestDatabase}).
 */
class PostgresChildWorkflowAcceptanceTests extends ChildWorkflowAcceptanceTests {

	@Override
	protected StateStore newStore() {
		return SharedPostgres.emptyStore();
	}

}
