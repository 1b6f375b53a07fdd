package io.orchwf.sample.shop;

import java.util.Map;

/**
 * What the shop knows of its customers.
 */
public interface CustomerDirectory {

	/**
	 * A customer's profile.
	 * @param customerId the customer
	 * @return the profile, JSON values
	 */
	Map<String, Object> profile(String customerId);

}
