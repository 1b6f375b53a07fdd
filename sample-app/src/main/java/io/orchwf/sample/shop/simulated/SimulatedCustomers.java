package io.orchwf.sample.shop.simulated;

import java.util.Map;

import io.orchwf.sample.shop.CustomerDirectory;

import org.springframework.stereotype.Service;

/**
 * Every customer is a known customer of the standard tier.
 */
@Service
class SimulatedCustomers implements CustomerDirectory {

	@Override
	public Map<String, Object> profile(String customerId) {
		return Map.of("customerId", customerId, "tier", "standard");
	}

}
