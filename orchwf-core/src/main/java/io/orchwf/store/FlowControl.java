package io.orchwf.store;

import org.jspecify.annotations.Nullable;

/**
 * How an instance takes part in its workflow's concurrency limits, kept on its row so
 * that any claim of it, on any node, can check them in its own transaction.
 *
 * @param concurrencyKey the key its per-key limit counts it under, or {@code null}
 * @param priority its place among instances waiting for a slot: higher first
 * @param maxConcurrency the workflow's limit when it started, 0 for none
 * @param maxConcurrencyPerKey the workflow's per-key limit when it started, 0 for none
 */
public record FlowControl(@Nullable String concurrencyKey, int priority, int maxConcurrency, int maxConcurrencyPerKey) {

	/** No key, priority 0, no limit: an instance of an unlimited workflow. */
	public static final FlowControl NONE = new FlowControl(null, 0, 0, 0);

	/**
	 * The flow control of an instance, {@link #NONE} when it has neither key, priority
	 * nor limit, so that rows of unlimited workflows share one value.
	 * @param concurrencyKey the key, or {@code null}
	 * @param priority the priority
	 * @param maxConcurrency the workflow's limit, 0 for none
	 * @param maxConcurrencyPerKey the workflow's per-key limit, 0 for none
	 * @return the flow control
	 */
	public static FlowControl of(@Nullable String concurrencyKey, int priority, int maxConcurrency,
			int maxConcurrencyPerKey) {
		if (concurrencyKey == null && priority == 0 && maxConcurrency == 0 && maxConcurrencyPerKey == 0) {
			return NONE;
		}
		return new FlowControl(concurrencyKey, priority, maxConcurrency, maxConcurrencyPerKey);
	}

	/**
	 * Whether a claim of the instance, while it has not started, must find it a slot.
	 * @return {@code true} if its workflow has a limit that counts it
	 */
	public boolean limited() {
		return this.maxConcurrency > 0 || (this.maxConcurrencyPerKey > 0 && this.concurrencyKey != null);
	}

}
