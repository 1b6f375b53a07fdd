package io.orchwf.sample.order;

/**
 * No order has the id.
 */
public class OrderNotFoundException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public OrderNotFoundException(String orderId) {
		super("There is no order " + orderId);
	}

}
