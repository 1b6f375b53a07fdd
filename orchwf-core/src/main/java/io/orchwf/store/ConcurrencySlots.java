package io.orchwf.store;

import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The slots of one workflow's concurrency limits as a claim sees them: how many of its
 * instances hold one, in all and by key, and which queued instances may take one. A store
 * counts the holders (started, unfinished instances of a limited workflow) in the claim's
 * own transaction, then offers the queued instances in the order they get slots; each one
 * taken counts at once, so that one batch never takes two slots where one is free.
 */
public final class ConcurrencySlots {

	private int held;

	private final Map<String, Integer> heldByKey = new HashMap<>();

	/**
	 * Count instances that hold a slot.
	 * @param concurrencyKey their key, or {@code null}
	 * @param count how many
	 */
	public void held(@Nullable String concurrencyKey, int count) {
		this.held += count;
		if (concurrencyKey != null) {
			this.heldByKey.merge(concurrencyKey, count, Integer::sum);
		}
	}

	/**
	 * Take a slot for a queued instance if its limits leave one.
	 * @param flow the instance's key, priority and limits
	 * @return {@code true} if it got a slot, now counted
	 */
	public boolean take(FlowControl flow) {
		String key = flow.concurrencyKey();
		boolean room = flow.maxConcurrency() == 0 || this.held < flow.maxConcurrency();
		boolean keyRoom = key == null || flow.maxConcurrencyPerKey() == 0
				|| this.heldByKey.getOrDefault(key, 0) < flow.maxConcurrencyPerKey();
		if (room && keyRoom) {
			held(key, 1);
			return true;
		}
		return false;
	}

}
