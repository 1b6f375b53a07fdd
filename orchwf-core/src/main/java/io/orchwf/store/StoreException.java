package io.orchwf.store;

import io.orchwf.OrchwfException;
import org.jspecify.annotations.Nullable;

/**
 * A state store could not read or write, for example because its database is unreachable.
 * The engine retries its writes with backoff until the store is back.
 */
public class StoreException extends OrchwfException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create an exception.
	 * @param message what failed
	 * @param cause the underlying failure
	 */
	public StoreException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
