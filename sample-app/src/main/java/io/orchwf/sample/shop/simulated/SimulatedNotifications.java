package io.orchwf.sample.shop.simulated;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

import io.orchwf.sample.shop.NotificationService;
import io.orchwf.sample.shop.ShopProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * E-mails written to the log, or failing when {@code shop.simulation.notifications-down}
 * is set. The last {@value #KEPT} e-mails sent are kept, as a mail catcher keeps them,
 * for a look at what the customers were told.
 */
@Service
public class SimulatedNotifications implements NotificationService {

	/** How many of the latest e-mails are kept. */
	public static final int KEPT = 1000;

	private static final Logger logger = LoggerFactory.getLogger(SimulatedNotifications.class);

	private final ShopProperties properties;

	private final Deque<Mail> sent = new ConcurrentLinkedDeque<>();

	SimulatedNotifications(ShopProperties properties) {
		this.properties = properties;
	}

	@Override
	public void send(String email, String subject, String body) {
		if (this.properties.simulation().notificationsDown()) {
			throw new IllegalStateException("the mail server is down");
		}
		logger.info("Mail to {}: {}: {}", email, subject, body);
		this.sent.addLast(new Mail(email, subject, body));
		while (this.sent.size() > KEPT) {
			this.sent.pollFirst();
		}
	}

	/**
	 * The e-mails sent, oldest first: the last {@value #KEPT}; none of those that failed.
	 * @return a copy
	 */
	public List<Mail> sent() {
		return new ArrayList<>(this.sent);
	}

	/**
	 * An e-mail that was sent.
	 *
	 * @param email the address
	 * @param subject the subject
	 * @param body the text
	 */
	public record Mail(String email, String subject, String body) {
	}

}
