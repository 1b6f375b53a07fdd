package io.orchwf.sample.shop;

import io.orchwf.NonRetryableStepException;

/**
 * The payment method was declined: trying again will not help.
 */
public class PaymentDeclinedException extends NonRetryableStepException {

	private static final long serialVersionUID = 1L;

	public PaymentDeclinedException(String message) {
		super("card_declined", message);
	}

}
