package io.orchwf.sample.shop;

import io.orchwf.StepException;

/**
 * The payment gateway could not be reached: trying again later may work.
 */
public class GatewayUnavailableException extends StepException {

	private static final long serialVersionUID = 1L;

	/** The error type retry policies match. */
	public static final String TYPE = "gateway_unavailable";

	public GatewayUnavailableException(String message) {
		super(TYPE, message);
	}

}
