package io.orchwf.sample.shop;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The shop's settings.
 *
 * @param approvalTimeout how long an order waits for its payment to be approved
 * @param maxRequestSize the largest request body the shop accepts; a larger one is
 * answered 413, whether it declares its length or is sent in chunks
 * @param simulation the failures of the in-process services, to watch retries and
 * compensation
 */
@ConfigurationProperties("shop")
public record ShopProperties(Duration approvalTimeout, DataSize maxRequestSize, Simulation simulation) {

	/**
	 * The default of {@code shop.max-request-size}: far more than an order of 100 lines.
	 */
	public static final DataSize DEFAULT_MAX_REQUEST_SIZE = DataSize.ofKilobytes(64);

	/**
	 * Create the settings.
	 * @param approvalTimeout the approval timeout; default 24 hours
	 * @param maxRequestSize the largest request body; default 64KB
	 * @param simulation the simulated failures; default none
	 */
	public ShopProperties {
		approvalTimeout = (approvalTimeout != null) ? approvalTimeout : Duration.ofHours(24);
		maxRequestSize = (maxRequestSize != null) ? maxRequestSize : DEFAULT_MAX_REQUEST_SIZE;
		if (maxRequestSize.toBytes() <= 0) {
			throw new IllegalArgumentException(
					"shop.max-request-size must be positive, is " + maxRequestSize + "; set it to 64KB, say");
		}
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
