package io.orchwf.sample.shop;

import java.util.List;

/**
 * Suggests products.
 */
public interface RecommendationService {

	/**
	 * Products to suggest to a customer.
	 * @param customerId the customer
	 * @return skus
	 */
	List<String> recommend(String customerId);

}
