package io.orchwf;

import org.jspecify.annotations.Nullable;

/**
 * The root of every exception orchwf throws. Unchecked.
 */
public class OrchwfException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message what went wrong
	 */
	public OrchwfException(String message) {
		super(message);
	}

	/**
	 * Create an exception with a cause.
	 * @param message what went wrong
	 * @param cause the underlying failure
	 */
	public OrchwfException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
