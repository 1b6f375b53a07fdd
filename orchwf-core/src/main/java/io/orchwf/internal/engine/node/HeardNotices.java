package io.orchwf.internal.engine.node;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import io.orchwf.internal.engine.support.CoalescedTask;
import io.orchwf.store.WorkNotice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this node hears from the store's notices, gathered so that a burst of them costs
 * one claim of due instances and one look at the instances it concerns, not a query each.
 * Notices for other nodes are dropped here.
 */
final class HeardNotices implements WorkNotice.Listener {

	private static final Logger logger = LoggerFactory.getLogger(HeardNotices.class);

	/**
	 * What the node does with what it heard.
	 */
	interface Actions {

		/** Claim due instances, as far as the node has room. */
		void claimDue();

		/**
		 * Look at instances again: those it drives for signals and cancellations, the
		 * others to claim.
		 * @param instanceIds the instances
		 */
		void lookAgain(List<String> instanceIds);

		/** Look at every instance it drives, as a heartbeat does. */
		void lookAtAll();

	}

	private final String nodeId;

	private final Actions actions;

	private final Set<String> changed = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean claimable = new AtomicBoolean();

	private final AtomicBoolean missed = new AtomicBoolean();

	private final CoalescedTask acting;

	HeardNotices(String nodeId, Executor executor, Actions actions) {
		this.nodeId = nodeId;
		this.actions = actions;
		this.acting = new CoalescedTask(executor, this::act);
	}

	@Override
	public void onNotice(WorkNotice notice) {
		switch (notice.kind()) {
			case CLAIMABLE -> this.claimable.set(true);
			case CHANGED -> {
				if (!this.nodeId.equals(notice.nodeId()) || notice.instanceId() == null) {
					return;
				}
				this.changed.add(notice.instanceId());
			}
			case MISSED -> {
				this.missed.set(true);
				this.claimable.set(true);
			}
		}
		this.acting.request();
	}

	private void act() {
		try {
			if (this.missed.getAndSet(false)) {
				this.actions.lookAtAll();
			}
			if (!this.changed.isEmpty()) {
				List<String> ids = List.copyOf(this.changed);
				this.changed.removeAll(ids);
				this.actions.lookAgain(ids);
			}
			if (this.claimable.getAndSet(false)) {
				this.actions.claimDue();
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not act on the store's notices at once; polling and heartbeats will", ex);
		}
	}

}
