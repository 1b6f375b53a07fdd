package io.orchwf.sample.shop.simulated;

import java.util.List;

import io.orchwf.sample.shop.RecommendationService;
import io.orchwf.sample.shop.ShopProperties;

import org.springframework.stereotype.Service;

/**
 * Suggests the same two products to everyone, or fails when
 * {@code shop.simulation.recommendations-down} is set.
 */
@Service
class SimulatedRecommendations implements RecommendationService {

	private final ShopProperties properties;

	SimulatedRecommendations(ShopProperties properties) {
		this.properties = properties;
	}

	@Override
	public List<String> recommend(String customerId) {
		if (this.properties.simulation().recommendationsDown()) {
			throw new IllegalStateException("the recommendation service is down");
		}
		return List.of("bookmark-1", "reading-lamp-2");
	}

}
