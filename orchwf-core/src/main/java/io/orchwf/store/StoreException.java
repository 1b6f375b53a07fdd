package io.orchwf.store;

import io.orchwf.OrchwfException;
import org.jspecify.annotations.Nullable;

/**
 * A state store could not read or write. A transient failure (the database is
 * unreachable, a deadlock, a serialization failure) may pass: the engine retries its
 * writes with backoff until the store is back. Any other failure (a constraint, a value
 * the database cannot hold) would fail again: the engine gives up the write and hands the
 * instance back instead of retrying forever.
 */
public class StoreException extends OrchwfException {

	private static final long serialVersionUID = 1L;

	private final boolean transientFailure;

	/**
	 * Create an exception for a transient failure.
	 * @param message what failed
	 * @param cause the underlying failure
	 */
	public StoreException(String message, @Nullable Throwable cause) {
		this(message, cause, true);
	}

	/**
	 * Create an exception.
	 * @param message what failed
	 * @param cause the underlying failure
	 * @param transientFailure whether trying again later may succeed
	 */
	public StoreException(String message, @Nullable Throwable cause, boolean transientFailure) {
		super(message, cause);
		this.transientFailure = transientFailure;
	}

	/**
	 * Whether trying again later may succeed.
	 * @return {@code true} for an outage, a deadlock or a serialization failure
	 */
	public boolean isTransient() {
		return this.transientFailure;
	}

}
