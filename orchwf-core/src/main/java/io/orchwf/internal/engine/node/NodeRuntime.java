package io.orchwf.internal.engine.node;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.orchwf.internal.engine.attempt.AttemptServices;
import io.orchwf.internal.engine.attempt.StepDeadlines;
import io.orchwf.internal.engine.attempt.StepInterception;
import io.orchwf.internal.engine.node.Claims.Activation;
import io.orchwf.internal.engine.pool.StepPools;
import io.orchwf.internal.engine.run.ChildStart;
import io.orchwf.internal.engine.run.DrivenRun;
import io.orchwf.internal.engine.run.EventDispatcher;
import io.orchwf.internal.engine.run.InstanceRun;
import io.orchwf.internal.engine.run.RunHost.ChildCreated;
import io.orchwf.internal.engine.run.RunHost;
import io.orchwf.internal.engine.statemachine.RunEnding;
import io.orchwf.internal.engine.support.DaemonThreads;
import io.orchwf.internal.engine.write.DirectTransitionWriter;
import io.orchwf.internal.engine.write.GroupCommitTransitionWriter;
import io.orchwf.internal.engine.write.TransitionWriter;
import io.orchwf.internal.plan.WorkflowRegistry;
import io.orchwf.store.StateStore;
import io.orchwf.store.StoredInstance;
import io.orchwf.store.WorkNotice;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instances this node drives, and the machinery that drives them: the thread pools,
 * the timer, the transition writer, the poller that claims due and orphaned instances,
 * and the heartbeat that renews leases and picks up remote cancellations.
 */
public final class NodeRuntime implements RunHost {

	private static final Logger logger = LoggerFactory.getLogger(NodeRuntime.class);

	/** How many claims of signalled and due instances run at once. */
	private static final int CLAIM_CONCURRENCY = 4;

	private final EngineSettings settings;

	private final NodeLifecycle lifecycle = new NodeLifecycle();

	private final InstanceCreation creation;

	private final ChildStarts children;

	private final LeaseKeeper leases;

	private final Claims claims;

	private final StateStore store;

	private final WorkflowRegistry registry;

	private final StepPools pools;

	private final ScheduledThreadPoolExecutor timers;

	private final TransitionWriter writer;

	private final StepDeadlines deadlines;

	private final AttemptServices attempts;

	private final EventDispatcher events;

	private final CompletionWaiters waiters = new CompletionWaiters();

	private final Map<String, InstanceRun> runs = new ConcurrentHashMap<>();

	private final WakeUps wakeUps;

	private final PendingClaims pendingClaims;

	private final Polling polling;

	private final SignalWakeUps signalWakeUps;

	private volatile WorkNotice.Subscription notices = WorkNotice.Subscription.NONE;

	private volatile boolean stopped;

	private @Nullable ScheduledFuture<?> pollTask;

	private @Nullable ScheduledFuture<?> heartbeatTask;

	public NodeRuntime(EngineSettings settings, WorkflowRegistry registry) {
		this.settings = settings;
		this.store = settings.store();
		this.registry = registry;
		this.pools = new StepPools(settings.workers(), settings.threadFactory());
		this.timers = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("orchwf-timer-"));
		this.timers.setRemoveOnCancelPolicy(true);
		this.writer = (this.store.writeConcurrency() > 0)
				? new GroupCommitTransitionWriter(this.store, this.store.writeConcurrency())
				: new DirectTransitionWriter(this.store, this.timers, (task) -> this.pools.submitLane(null, task));
		this.events = new EventDispatcher(settings.listeners());
		this.deadlines = new StepDeadlines();
		this.attempts = new AttemptServices(this.pools, this.deadlines, this.store, this::now,
				new StepInterception(settings.interceptors()));
		this.wakeUps = new WakeUps(this.timers, (instanceId) -> this.pools.submitLane(null, () -> wake(instanceId)));
		this.creation = new InstanceCreation(settings, this, this.runs, this::startLeft);
		this.children = new ChildStarts(new ChildInstances(registry, this.store, this.creation, this.lifecycle),
				this::requestCancel, this.pools, this.timers, this.lifecycle::isClosed);
		this.leases = new LeaseKeeper(settings, this.store, this.runs, this.pools, this::now, this.lifecycle::isClosed);
		this.claims = new Claims(this, settings, registry, this.runs, this.leases);
		this.pendingClaims = new PendingClaims(CLAIM_CONCURRENCY, (task) -> this.pools.submitLane(null, task),
				(ids) -> this.lifecycle.ifAccepting(() -> this.claims.claimAll(ids), Map.of()));
		this.signalWakeUps = new SignalWakeUps(settings, this.runs, this.pendingClaims, this::signalled);
		this.polling = new Polling(settings, this.lifecycle, this.claims, this.wakeUps, this.runs::size, this::now,
				(task) -> this.pools.submitLane(null, task));
	}

	// ---- RunHost ------------------------------------------------------------------

	@Override
	public Instant now() {
		// stores keep microseconds; so does the engine, so that both agree on due times
		return this.settings.clock().instant().truncatedTo(ChronoUnit.MICROS);
	}

	@Override
	public String nodeId() {
		return this.settings.nodeId();
	}

	@Override
	public boolean isClosing() {
		return this.lifecycle.isClosed();
	}

	@Override
	public StateStore store() {
		return this.store;
	}

	@Override
	public AttemptServices attempts() {
		return this.attempts;
	}

	@Override
	public TransitionWriter writer() {
		return this.writer;
	}

	@Override
	public EventDispatcher events() {
		return this.events;
	}

	@Override
	public void wakeAt(String instanceId, Instant at) {
		this.wakeUps.arm(instanceId, at, now());
	}

	@Override
	public void startChild(ChildStart start, ChildCreated reply) {
		this.children.start(start, reply);
	}

	@Override
	public void cancelChild(String childId, String reason) {
		this.children.cancel(childId, reason);
	}

	@Override
	public void signalled(String instanceId) {
		this.pools.onNodeThread(() -> {
			try {
				InstanceRun run = this.runs.get(instanceId);
				if (run != null) {
					run.refreshSignals();
				}
				else {
					this.pendingClaims.add(instanceId);
				}
			}
			catch (RuntimeException ex) {
				logger.debug("Could not act on a signal to instance {} at once; the poller will", instanceId, ex);
			}
		}, () -> {
		});
	}

	/**
	 * A caller signalled an instance through this node.
	 * @param instanceId the instance
	 */
	public void signalledByCaller(String instanceId) {
		this.signalWakeUps.signalled(instanceId);
	}

	@Override
	public void handBack(String instanceId) {
		// a pause before the next try, so that a fault that persists does not spin
		this.leases.handBack(instanceId, now().plus(this.settings.leaseDuration()));
	}

	/**
	 * Whether this node drives the instance now, its run not yet ended.
	 * @param instanceId the instance
	 * @return {@code true} while a run of it is registered here
	 */
	public boolean drives(String instanceId) {
		return this.runs.containsKey(instanceId);
	}

	@Override
	public void runEnded(DrivenRun run, RunEnding ending, @Nullable StoredInstance finalState) {
		this.runs.remove(run.instanceId(), run);
		this.signalWakeUps.runEnded(run.instanceId());
		this.polling.runEnded(finalState != null && finalState.instance().flow().limited());
		if (finalState != null) {
			this.waiters.finished(run.instanceId(), finalState);
		}
		else if (ending == RunEnding.PARKED) {
			Instant wakeAt = run.wakeAt();
			if (wakeAt != null) {
				wakeAt(run.instanceId(), wakeAt);
			}
		}
		synchronized (this.runs) {
			this.runs.notifyAll();
		}
	}

	// ---- lifecycle ----------------------------------------------------------------

	public void launch() {
		this.lifecycle.launch(() -> {
			schedulePollAndHeartbeat();
			NoticeActions actions = new NoticeActions(this.runs, this.pendingClaims, this.leases, this.polling,
					this::heartbeat);
			this.notices = this.store
				.listen(new HeardNotices(nodeId(), (task) -> this.pools.submitLane(null, task), actions));
		});
	}

	private void startLeft() {
		this.polling.startLeft();
	}

	private void schedulePollAndHeartbeat() {
		long poll = this.settings.pollInterval().toMillis();
		this.pollTask = this.timers.scheduleWithFixedDelay(this.polling::request, 0, Math.max(1, poll),
				TimeUnit.MILLISECONDS);
		long heartbeat = this.settings.heartbeatInterval().toMillis();
		this.heartbeatTask = this.timers.scheduleAtFixedRate(() -> this.pools.submitLane(null, this::heartbeat),
				heartbeat, Math.max(1, heartbeat), TimeUnit.MILLISECONDS);
	}

	public NodeLifecycle lifecycle() {
		return this.lifecycle;
	}

	public InstanceCreation creation() {
		return this.creation;
	}

	/**
	 * Stop driving instances: claim nothing more, let what runs finish within the
	 * shutdown timeout (renewing leases meanwhile), then hand every lease back.
	 */
	public void shutdown() {
		if (!this.lifecycle.close()) {
			return;
		}
		cancel(this.pollTask);
		this.notices.close();
		long deadline = System.nanoTime() + this.settings.shutdownTimeout().toNanos();
		List.copyOf(this.runs.values()).forEach(InstanceRun::drain);
		synchronized (this.runs) {
			long remaining;
			while (!this.runs.isEmpty() && (remaining = deadline - System.nanoTime()) > 0) {
				try {
					TimeUnit.NANOSECONDS.timedWait(this.runs, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
			}
		}
		this.stopped = true;
		cancel(this.heartbeatTask);
		// no write may land after the leases are handed back
		this.writer.close();
		List<String> unfinished = new ArrayList<>(this.runs.keySet());
		if (!unfinished.isEmpty()) {
			logger.warn("Interrupting {} instances whose steps did not finish within {}; other nodes will rerun "
					+ "those steps", unfinished.size(), this.settings.shutdownTimeout());
			List.copyOf(this.runs.values()).forEach(InstanceRun::abandon);
		}
		unfinished.addAll(this.leases.pendingHandBacks());
		if (!unfinished.isEmpty()) {
			try {
				Instant now = now();
				this.store.releaseLeases(nodeId(), unfinished, now, now);
			}
			catch (RuntimeException ex) {
				logger.warn("Could not release the leases of {}; they expire in {}", unfinished,
						this.settings.leaseDuration(), ex);
			}
		}
		this.waiters.wakeAll();
		this.timers.shutdownNow();
		this.deadlines.close();
		try {
			if (!this.pools.shutdown(Duration.ofMillis(Math.max(0, (deadline - System.nanoTime()) / 1_000_000)))) {
				this.pools.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			this.pools.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

	private static void cancel(@Nullable ScheduledFuture<?> task) {
		if (task != null) {
			task.cancel(false);
		}
	}

	// ---- driving instances --------------------------------------------------------

	public CompletionWaiters waiters() {
		return this.waiters;
	}

	public @Nullable InstanceRun run(String instanceId) {
		return this.runs.get(instanceId);
	}

	/**
	 * Claim one instance and drive it, if no other node holds it.
	 * @param instanceId the instance
	 * @param activation what to do with it
	 * @return empty if this node did not take it; else a future completed once its first
	 * transition here is stored
	 */
	public Optional<CompletableFuture<Void>> claim(String instanceId, Activation activation) {
		return this.lifecycle.ifAccepting(() -> this.claims.claim(instanceId, activation), Optional.empty());
	}

	/**
	 * Ask for an instance to be cancelled, wherever it runs: the request is stored first,
	 * so that whichever node ends up driving the instance cancels it; this node takes it
	 * over if no node holds it, and its owner acts at its next heartbeat otherwise.
	 * @param instanceId the instance
	 * @param reason why
	 * @return {@code false} if the instance does not exist or has finished: nothing was
	 * requested
	 */
	public boolean requestCancel(String instanceId, String reason) {
		if (!this.store.requestCancel(instanceId, reason, now())) {
			return false;
		}
		InstanceRun run = this.runs.get(instanceId);
		if (run == null || !run.cancel(reason)) {
			this.pendingClaims.add(instanceId);
		}
		return true;
	}

	/**
	 * Look at an instance again: a retry, timer or start time is due.
	 * @param instanceId the instance
	 */
	void wake(String instanceId) {
		InstanceRun run = this.runs.get(instanceId);
		if (run != null && run.wake()) {
			return;
		}
		this.pendingClaims.add(instanceId);
	}

	private void heartbeat() {
		if (!this.stopped) {
			this.leases.heartbeat();
		}
	}

	public int activeCount() {
		return this.runs.size();
	}

	public int busyWorkers() {
		return this.pools.busyWorkers();
	}

}
