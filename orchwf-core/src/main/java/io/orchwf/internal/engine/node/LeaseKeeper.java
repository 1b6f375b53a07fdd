package io.orchwf.internal.engine.node;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.orchwf.internal.engine.pool.StepPools;
import io.orchwf.internal.engine.run.InstanceRun;
import io.orchwf.store.LeaseRenewal;
import io.orchwf.store.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leases of the instances this node drives. The heartbeat renews them in one write,
 * and acts on what the renewal reports: a lease lost to another node, a cancellation or a
 * signal that arrived through another node. Instances the node gives up while it still
 * holds their lease are handed back as soon as the store lets it: leases belong to the
 * node, so no other node would take them while its heartbeat goes on.
 */
final class LeaseKeeper {

	private static final Logger logger = LoggerFactory.getLogger(LeaseKeeper.class);

	private final EngineSettings settings;

	private final StateStore store;

	private final Map<String, InstanceRun> runs;

	private final StepPools pools;

	private final Supplier<Instant> clock;

	private final BooleanSupplier closed;

	/** Instances given up but still leased here, to the time they are due again. */
	private final Map<String, Instant> handBacks = new ConcurrentHashMap<>();

	private final AtomicBoolean renewing = new AtomicBoolean();

	/**
	 * When the last renewal succeeded, in real time: how long the store has been away.
	 */
	private volatile long lastRenewalNanos = System.nanoTime();

	/**
	 * Keep the leases of a node.
	 * @param settings the node's settings
	 * @param store the store
	 * @param runs the node's runs, by instance id
	 * @param pools the node's threads
	 * @param clock the engine's time
	 * @param closed whether the node closes
	 */
	LeaseKeeper(EngineSettings settings, StateStore store, Map<String, InstanceRun> runs, StepPools pools,
			Supplier<Instant> clock, BooleanSupplier closed) {
		this.settings = settings;
		this.store = store;
		this.runs = runs;
		this.pools = pools;
		this.clock = clock;
		this.closed = closed;
	}

	/**
	 * Renew the leases and hand back what waits to be. Concurrent calls do not overlap.
	 */
	void heartbeat() {
		if (!this.renewing.compareAndSet(false, true)) {
			return;
		}
		try {
			renewOnce();
			releaseHandBacks();
		}
		finally {
			this.renewing.set(false);
		}
	}

	/**
	 * Give up an instance whose lease this node still holds: it becomes claimable at the
	 * given time, on any node.
	 * @param instanceId the instance
	 * @param wakeAt when
	 */
	void handBack(String instanceId, Instant wakeAt) {
		if (this.closed.getAsBoolean()) {
			// the shutdown hands back what is left
			return;
		}
		this.handBacks.put(instanceId, wakeAt);
		try {
			this.pools.submitLane(null, this::releaseHandBacks);
		}
		catch (RejectedExecutionException ex) {
			// closing
		}
	}

	/**
	 * The node drives the instance again: it is no longer to be handed back.
	 * @param instanceId the instance
	 */
	void keep(String instanceId) {
		this.handBacks.remove(instanceId);
	}

	/**
	 * The instances still waiting to be handed back.
	 * @return their ids
	 */
	Set<String> pendingHandBacks() {
		return this.handBacks.keySet();
	}

	private void releaseHandBacks() {
		for (Map.Entry<String, Instant> handBack : Map.copyOf(this.handBacks).entrySet()) {
			try {
				this.store.releaseLeases(this.settings.nodeId(), List.of(handBack.getKey()), this.clock.get(),
						handBack.getValue());
				this.handBacks.remove(handBack.getKey(), handBack.getValue());
			}
			catch (RuntimeException ex) {
				logger.warn("Could not hand back {} instances; trying again in {}", this.handBacks.size(),
						this.settings.heartbeatInterval(), ex);
				return;
			}
		}
	}

	/**
	 * Look at some of the instances this node drives now rather than at the next
	 * heartbeat, because a notice said that they received a signal or a cancellation
	 * request: their leases are renewed (with all the node's others) and what the renewal
	 * reports is acted on. A failure is left to the heartbeat.
	 * @param instanceIds the instances, all driven here
	 */
	void check(Collection<String> instanceIds) {
		Map<String, InstanceRun> held = new HashMap<>();
		for (String instanceId : instanceIds) {
			InstanceRun run = this.runs.get(instanceId);
			if (run != null) {
				held.put(instanceId, run);
			}
		}
		if (held.isEmpty()) {
			return;
		}
		LeaseRenewal renewal;
		try {
			renewal = this.store.renewLeases(this.settings.nodeId(), held.keySet(),
					this.clock.get().plus(this.settings.leaseDuration()));
		}
		catch (RuntimeException ex) {
			logger.debug("Could not look at {} instances at once; the heartbeat will", held.size(), ex);
			return;
		}
		actOn(renewal, held);
	}

	private void renewOnce() {
		Map<String, InstanceRun> held = Map.copyOf(this.runs);
		if (held.isEmpty()) {
			this.lastRenewalNanos = System.nanoTime();
			return;
		}
		long startedNanos = System.nanoTime();
		LeaseRenewal renewal;
		try {
			renewal = this.store.renewLeases(this.settings.nodeId(), held.keySet(),
					this.clock.get().plus(this.settings.leaseDuration()));
		}
		catch (RuntimeException ex) {
			if (System.nanoTime() - this.lastRenewalNanos > this.settings.leaseDuration().toNanos()) {
				// our leases have expired: another node may be driving these instances
				// now
				logger.error("Could not renew leases for longer than {}; stopping the {} instances this node drives",
						this.settings.leaseDuration(), held.size(), ex);
				held.values().forEach(InstanceRun::abandon);
				// those no other node took meanwhile go back to the pool once the store
				// is
				// back
				held.keySet().forEach((instanceId) -> handBack(instanceId, this.clock.get()));
			}
			else {
				logger.warn("Renewing the leases of {} instances failed; trying again in {}", held.size(),
						this.settings.heartbeatInterval(), ex);
			}
			return;
		}
		this.lastRenewalNanos = startedNanos;
		actOn(renewal, held);
	}

	private void actOn(LeaseRenewal renewal, Map<String, InstanceRun> held) {
		for (String lost : renewal.lost()) {
			// only the run the renewal was about: the id may have been re-claimed since
			held.get(lost).leaseLost();
		}
		renewal.cancelRequests().forEach((instanceId, reason) -> held.get(instanceId).cancel(reason));
		renewal.signalCounts().forEach((instanceId, count) -> {
			InstanceRun run = held.get(instanceId);
			if (run != null && count > run.signalsSeen()) {
				// sent through another node while this one drives the instance
				this.pools.onNodeThread(run::refreshSignals, () -> {
				});
			}
		});
	}

}
