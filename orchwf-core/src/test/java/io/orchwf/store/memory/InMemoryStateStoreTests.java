package io.orchwf.store.memory;

import io.orchwf.store.StateStore;
import io.orchwf.store.StateStoreContractTests;

class InMemoryStateStoreTests extends StateStoreContractTests {

	@Override
	protected StateStore createStore() {
		return new InMemoryStateStore();
	}

}
