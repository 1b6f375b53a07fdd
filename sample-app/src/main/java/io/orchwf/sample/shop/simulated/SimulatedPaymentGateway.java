package io.orchwf.sample.shop.simulated;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.sample.shop.GatewayUnavailableException;
import io.orchwf.sample.shop.PaymentDeclinedException;
import io.orchwf.sample.shop.PaymentGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * A payment gateway in memory that behaves by payment method, like a payment provider's
 * test cards: {@code card_ok} is charged, {@code card_declined} is declined, and
 * {@code card_flaky} finds the gateway unavailable twice before it is charged. It keeps
 * its ledger: what each payment charged, and whether it was refunded.
 */
@Service
public class SimulatedPaymentGateway implements PaymentGateway {

	private static final Logger logger = LoggerFactory.getLogger(SimulatedPaymentGateway.class);

	private static final int FLAKY_FAILURES = 2;

	private final Map<String, String> payments = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();

	private final Map<String, Payment> ledger = new ConcurrentHashMap<>();

	@Override
	public String charge(String idempotencyKey, String paymentMethod, BigDecimal amount) {
		String existing = this.payments.get(idempotencyKey);
		if (existing != null) {
			return existing;
		}
		switch (paymentMethod) {
			case "card_declined" -> throw new PaymentDeclinedException("the card was declined");
			case "card_flaky" -> {
				int attempt = this.tries.computeIfAbsent(idempotencyKey, (key) -> new AtomicInteger())
					.incrementAndGet();
				if (attempt <= FLAKY_FAILURES) {
					throw new GatewayUnavailableException("the payment gateway did not answer (try " + attempt + ")");
				}
			}
			default -> {
				// charged
			}
		}
		String paymentId = "pay-" + Math.abs(idempotencyKey.hashCode());
		this.payments.put(idempotencyKey, paymentId);
		this.ledger.put(paymentId, new Payment(paymentId, paymentMethod, amount, false));
		logger.info("Charged {} with {} ({})", amount, paymentMethod, paymentId);
		return paymentId;
	}

	@Override
	public void refund(String paymentId) {
		if (this.payments.values().remove(paymentId)) {
			this.ledger.computeIfPresent(paymentId, (id, payment) -> payment.refund());
			logger.info("Refunded {}", paymentId);
		}
	}

	/**
	 * A payment of the ledger.
	 * @param paymentId the payment, as {@link #charge} answered it
	 * @return what it charged and whether it was refunded; empty if no charge made it
	 */
	public Optional<Payment> payment(String paymentId) {
		return Optional.ofNullable(this.ledger.get(paymentId));
	}

	/**
	 * A payment the gateway made.
	 *
	 * @param paymentId its id
	 * @param paymentMethod what was charged
	 * @param amount how much
	 * @param refunded whether it was refunded since
	 */
	public record Payment(String paymentId, String paymentMethod, BigDecimal amount, boolean refunded) {

		Payment refund() {
			return new Payment(this.paymentId, this.paymentMethod, this.amount, true);
		}

	}

}
