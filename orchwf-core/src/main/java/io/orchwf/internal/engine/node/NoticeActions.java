package io.orchwf.internal.engine.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.orchwf.internal.engine.run.InstanceRun;

/**
 * What a node does with what it hears from the store's notices: claim due instances, look
 * again at the instances it drives that received a signal or a cancellation request
 * elsewhere, claim those it parked since, and look at everything after notices may have
 * been missed.
 */
final class NoticeActions implements HeardNotices.Actions {

	private final Map<String, InstanceRun> runs;

	private final PendingClaims pendingClaims;

	private final LeaseKeeper leases;

	private final Polling polling;

	private final Runnable heartbeat;

	NoticeActions(Map<String, InstanceRun> runs, PendingClaims pendingClaims, LeaseKeeper leases, Polling polling,
			Runnable heartbeat) {
		this.runs = runs;
		this.pendingClaims = pendingClaims;
		this.leases = leases;
		this.polling = polling;
		this.heartbeat = heartbeat;
	}

	@Override
	public void claimDue() {
		this.polling.request();
	}

	@Override
	public void lookAgain(List<String> instanceIds) {
		List<String> driven = new ArrayList<>(instanceIds.size());
		for (String instanceId : instanceIds) {
			if (this.runs.containsKey(instanceId)) {
				driven.add(instanceId);
			}
			else {
				// parked here since the notice was sent: the write that parked it saw the
				// signal and made it claimable
				this.pendingClaims.add(instanceId);
			}
		}
		this.leases.check(driven);
	}

	@Override
	public void lookAtAll() {
		this.heartbeat.run();
	}

}
