package io.orchwf.internal.engine.node;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.orchwf.WorkflowStatus;
import io.orchwf.internal.engine.run.InstanceRun;
import io.orchwf.internal.engine.run.RunHost;
import io.orchwf.internal.plan.WorkflowPlan;
import io.orchwf.internal.plan.WorkflowRegistry;
import io.orchwf.store.ClaimedInstance;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.StateStore;
import io.orchwf.store.WorkflowKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How this node takes instances from the store: one it was asked about (a signal, a
 * resumption, a due wake-up), or every due one up to its free capacity (the poller), and
 * starts driving each. An instance whose workflow version this node has not registered,
 * or that cannot be driven, is handed back at once. The node calls it while it accepts
 * work.
 */
public final class Claims {

	private static final Logger logger = LoggerFactory.getLogger(Claims.class);

	/**
	 * What to do with a claimed instance.
	 */
	public enum Activation {

		/** Continue it from its stored state. */
		RECOVER,

		/** Run its failed steps again. */
		RESUME_FAILED

	}

	private final RunHost host;

	private final EngineSettings settings;

	private final StateStore store;

	private final WorkflowRegistry registry;

	private final Map<String, InstanceRun> runs;

	private final LeaseKeeper leases;

	Claims(RunHost host, EngineSettings settings, WorkflowRegistry registry, Map<String, InstanceRun> runs,
			LeaseKeeper leases) {
		this.host = host;
		this.settings = settings;
		this.store = settings.store();
		this.registry = registry;
		this.runs = runs;
		this.leases = leases;
	}

	/**
	 * Claim one instance and drive it, if neither this node nor another holds it.
	 * @return empty if this node did not take it; else a future completed once its first
	 * transition here is stored
	 */
	Optional<CompletableFuture<Void>> claim(String instanceId, Activation activation) {
		if (drives(instanceId)) {
			return Optional.empty();
		}
		Instant now = this.host.now();
		Optional<ClaimedInstance> claimed = this.store.claim(instanceId, this.host.nodeId(), now,
				now.plus(this.settings.leaseDuration()), activation == Activation.RESUME_FAILED);
		return claimed.flatMap((instance) -> activate(instance, activation));
	}

	/**
	 * Claim instances, in one transaction, and drive those no other node held; those this
	 * node drives already are left out.
	 * @param instanceIds the instances
	 * @return for each instance taken, a future completed once its first transition here
	 * is stored
	 */
	Map<String, CompletableFuture<Void>> claimAll(List<String> instanceIds) {
		List<String> notDriven = new ArrayList<>(instanceIds.size());
		for (String instanceId : instanceIds) {
			if (!drives(instanceId)) {
				notDriven.add(instanceId);
			}
		}
		if (notDriven.isEmpty()) {
			return Map.of();
		}
		Instant now = this.host.now();
		Map<String, CompletableFuture<Void>> taken = new HashMap<>();
		for (ClaimedInstance instance : this.store.claimAll(notDriven, this.host.nodeId(), now,
				now.plus(this.settings.leaseDuration()))) {
			activate(instance, Activation.RECOVER).ifPresent((stored) -> taken.put(instance.instance().id(), stored));
		}
		return taken;
	}

	/**
	 * Claim the due instances of this node's workflows, up to a number, and drive them.
	 * @param free how many this node can take
	 * @return how many it claimed
	 */
	int claimDue(int free) {
		List<WorkflowKey> workflows = this.registry.keys();
		if (workflows.isEmpty()) {
			return 0;
		}
		Instant now = this.host.now();
		List<ClaimedInstance> claimed = this.store.claimDue(this.host.nodeId(), workflows, now,
				now.plus(this.settings.leaseDuration()), free);
		for (ClaimedInstance instance : claimed) {
			activate(instance, Activation.RECOVER);
		}
		return claimed.size();
	}

	/**
	 * Whether a run of this node drives the instance and has not ended: a run that has
	 * ended may linger for a moment after its last write, which a caller may already have
	 * read (a resume right after a failure).
	 */
	private boolean drives(String instanceId) {
		InstanceRun current = this.runs.get(instanceId);
		return current != null && !current.isEnded();
	}

	private Optional<CompletableFuture<Void>> activate(ClaimedInstance instance, Activation activation) {
		InstanceRecord claimed = instance.instance();
		Optional<WorkflowPlan> plan = this.registry.find(claimed.workflowId(), claimed.workflowVersion());
		boolean runnable = (activation == Activation.RESUME_FAILED) ? claimed.status() == WorkflowStatus.FAILED
				: !claimed.status().isTerminal();
		if (plan.isEmpty() || !runnable) {
			if (plan.isEmpty()) {
				logger.warn(
						"Instance {} runs on version {} of workflow '{}', which this node has not registered; "
								+ "it waits for a node that has",
						claimed.id(), claimed.workflowVersion(), claimed.workflowId());
			}
			this.leases.handBack(claimed.id(), this.host.now());
			return Optional.empty();
		}
		// the claim supersedes an earlier hand-back of this instance
		this.leases.keep(claimed.id());
		try {
			InstanceRun run = new InstanceRun(this.host, plan.get(), claimed, instance.steps(), instance.signals());
			Runnable publish = () -> {
				InstanceRun previous = this.runs.put(claimed.id(), run);
				if (previous != null) {
					previous.abandon();
				}
			};
			if (activation == Activation.RESUME_FAILED) {
				return Optional.of(run.resumeFailed(publish));
			}
			return Optional.of(run.recover(publish));
		}
		catch (RuntimeException ex) {
			logger.error("Could not take over instance {}; handing it back", claimed.id(), ex);
			InstanceRun run = this.runs.get(claimed.id());
			if (run != null) {
				run.abandon();
			}
			this.leases.handBack(claimed.id(), this.host.now());
			return Optional.empty();
		}
	}

}
