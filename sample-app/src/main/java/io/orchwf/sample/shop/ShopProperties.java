package io.orchwf.sample.shop;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The shop's settings.
 *
 * @param approvalTimeout how long an order waits for its payment to be approved
 * @param simulation the failures of the in-process services, to watch retries and
 * compensation
 */
@ConfigurationProperties("shop")
public record ShopProperties(Duration approvalTimeout, Simulation simulation) {

	/**
	 * Create the settings.
	 * @param approvalTimeout the approval timeout; default 24 hours
	 * @param simulation the simulated failures; default none
	 */
	public ShopProperties {
		approvalTimeout = (approvalTimeout != null) ? approvalTimeout : Duration.ofHours(24);
		simulation = (simulation != null) ? simulation : new Simulation(false, false, List.of());
	}

	/**
	 * Failures of the in-process services.
	 *
	 * @param notificationsDown every e-mail fails
	 * @param recommendationsDown the recommendation service fails
	 * @param outOfStockSkus products the warehouse has none of
	 */
	public record Simulation(boolean notificationsDown, boolean recommendationsDown, List<String> outOfStockSkus) {

		/**
		 * Create the simulation settings.
		 * @param notificationsDown whether e-mails fail
		 * @param recommendationsDown whether recommendations fail
		 * @param outOfStockSkus products out of stock
		 */
		public Simulation {
			outOfStockSkus = (outOfStockSkus != null) ? List.copyOf(outOfStockSkus) : List.of();
		}

	}

}
