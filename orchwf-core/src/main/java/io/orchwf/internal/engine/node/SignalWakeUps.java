package io.orchwf.internal.engine.node;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.orchwf.internal.engine.run.InstanceRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances that callers' signals through this node wake. One driven here takes the
 * signal on a node thread; one parked is claimed here, with those other callers signal at
 * the same time. At most {@link #MAX_WAKING} instances woken this way are on their way at
 * once (waiting for their claim, or claimed and their first transition not yet stored); a
 * caller signalling beyond waits for room, so that a flood of signals is held back at the
 * callers instead of piling up woken instances whose every step then waits longer.
 */
final class SignalWakeUps {

	private static final Logger logger = LoggerFactory.getLogger(SignalWakeUps.class);

	/**
	 * How many woken instances may be on their way at once: enough to fill the transition
	 * writer's groups, few enough that each one's steps do not wait behind thousands of
	 * others.
	 */
	static final int MAX_WAKING = 512;

	private final EngineSettings settings;

	private final Map<String, InstanceRun> runs;

	private final PendingClaims pendingClaims;

	private final Consumer<String> signalDriven;

	private final Set<String> waking = ConcurrentHashMap.newKeySet();

	private final Semaphore room = new Semaphore(MAX_WAKING);

	/**
	 * Wake instances for a node.
	 * @param settings the node's settings
	 * @param runs the node's runs, by instance id
	 * @param pendingClaims where the claims gather
	 * @param signalDriven hands a signal to an instance the node drives
	 */
	SignalWakeUps(EngineSettings settings, Map<String, InstanceRun> runs, PendingClaims pendingClaims,
			Consumer<String> signalDriven) {
		this.settings = settings;
		this.runs = runs;
		this.pendingClaims = pendingClaims;
		this.signalDriven = signalDriven;
	}

	/**
	 * A caller signalled an instance through this node, and the signal is stored.
	 * @param instanceId the instance
	 */
	void signalled(String instanceId) {
		if (this.runs.containsKey(instanceId)) {
			this.signalDriven.accept(instanceId);
			return;
		}
		try {
			if (!this.room.tryAcquire(this.settings.leaseDuration().toMillis(), TimeUnit.MILLISECONDS)) {
				logger.debug("No room to wake instance {} at once; the poller will", instanceId);
				return;
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		this.waking.add(instanceId);
		// through once its first transition here is stored, or not taken here
		this.pendingClaims.add(instanceId).whenComplete((done, failure) -> runEnded(instanceId));
	}

	/**
	 * A woken instance is through its wake-up (its first transition is stored, or this
	 * node did not take it), or its run ended: there is room for another.
	 * @param instanceId the run's instance
	 */
	void runEnded(String instanceId) {
		if (this.waking.remove(instanceId)) {
			this.room.release();
		}
	}

}
