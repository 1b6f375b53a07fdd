package io.orchwf.scenario;

import io.orchwf.store.StateStore;
import io.orchwf.testing.SharedH2;

class H2StepDurationScenarioTests extends StepDurationScenarioTests {

	@Override
	protected StateStore newStore() {
		return SharedH2.emptyStore();
	}

}
