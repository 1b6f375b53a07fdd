package io.orchwf.sample.order;

/**
 * The order cannot do what was asked in the state it is in.
 */
public class OrderConflictException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public OrderConflictException(String message) {
		super(message);
	}

}
