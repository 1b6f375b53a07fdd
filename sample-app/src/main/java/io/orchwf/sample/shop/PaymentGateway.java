package io.orchwf.sample.shop;

import java.math.BigDecimal;

/**
 * Charges and refunds customers.
 */
public interface PaymentGateway {

	/**
	 * Charge an amount; a second charge with the same key returns the first payment.
	 * @param idempotencyKey identifies the charge across retries
	 * @param paymentMethod the customer's payment method
	 * @param amount what to charge
	 * @return the payment's id
	 * @throws PaymentDeclinedException if the payment method is declined
	 * @throws GatewayUnavailableException if the gateway cannot be reached; try again
	 */
	String charge(String idempotencyKey, String paymentMethod, BigDecimal amount);

	/**
	 * Refund a payment; refunding it again changes nothing.
	 * @param paymentId the payment
	 */
	void refund(String paymentId);

}
