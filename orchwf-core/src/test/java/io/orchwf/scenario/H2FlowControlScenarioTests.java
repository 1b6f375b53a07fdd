package io.orchwf.scenario;

import io.orchwf.store.StateStore;
import io.orchwf.testing.SharedH2;

class H2FlowControlScenarioTests extends FlowControlScenarioTests {

	@Override
	protected StateStore newStore() {
		return SharedH2.emptyStore();
	}

}
