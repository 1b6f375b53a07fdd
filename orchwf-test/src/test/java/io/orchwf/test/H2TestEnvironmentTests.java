package io.orchwf.test;

import io.orchwf.store.StateStore;
import io.orchwf.testing.SharedH2;

class H2TestEnvironmentTests extends TestEnvironmentTests {

	@Override
	protected StateStore store() {
		return SharedH2.emptyStore();
	}

}
