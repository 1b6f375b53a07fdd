package io.orchwf.sample.shop.simulated;

import io.orchwf.sample.shop.NotificationService;
import io.orchwf.sample.shop.ShopProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * E-mails written to the log, or failing when {@code shop.simulation.notifications-down}
 * is set.
 */
@Service
class SimulatedNotifications implements NotificationService {

	private static final Logger logger = LoggerFactory.getLogger(SimulatedNotifications.class);

	private final ShopProperties properties;

	SimulatedNotifications(ShopProperties properties) {
		this.properties = properties;
	}

	@Override
	public void send(String email, String subject, String body) {
		if (this.properties.simulation().notificationsDown()) {
			throw new IllegalStateException("the mail server is down");
		}
		logger.info("Mail to {}: {}: {}", email, subject, body);
	}

}
