package io.orchwf.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.Orchestrator;
import io.orchwf.Page;
import io.orchwf.RetryPolicy;
import io.orchwf.StepException;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.store.ClaimedInstance;
import io.orchwf.store.CreateResult;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.InstanceUpdate;
import io.orchwf.store.LeaseRenewal;
import io.orchwf.store.SignalRecord;
import io.orchwf.store.StateStore;
import io.orchwf.store.StepRecord;
import io.orchwf.store.StoreException;
import io.orchwf.store.StoredInstance;
import io.orchwf.store.WorkflowKey;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several nodes on one store: hand-over on shutdown, take-over after a lost lease, and
 * fencing of the node that lost it.
 */
class RecoveryScenarioTests extends ScenarioSupport {

	private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

	private final List<String> completedBy = new CopyOnWriteArrayList<>();

	private int count(String step) {
		return this.runs.computeIfAbsent(step, (key) -> new AtomicInteger()).incrementAndGet();
	}

	private Orchestrator node(String nodeId, StateStore store) {
		return orchestrator((builder) -> Orchestrator.builder(store)
			.nodeId(nodeId)
			.workers(2)
			.pollInterval(Duration.ofMillis(50))
			.heartbeatInterval(Duration.ofMillis(100))
			.leaseDuration(Duration.ofMillis(600))
			.shutdownTimeout(Duration.ofMillis(200))
			.listener((event) -> {
				if (event.type() == WorkflowEventType.STEP_COMPLETED) {
					this.completedBy.add(event.stepId() + "@" + nodeId);
				}
			}));
	}

	@Test
	void aNodeThatClosesMidStepHandsTheInstanceToAnotherWhichRerunsOnlyTheUnfinishedStep() throws InterruptedException {
		CountDownLatch stuckOnA = new CountDownLatch(1);
		Orchestrator a = node("node-a", this.store);
		Orchestrator b = node("node-b", this.store);
		var definition = workflow("handover", step("first", (context) -> Map.of("first", count("first"))),
				step("second", (context) -> {
					if (count("second") == 1) {
						stuckOnA.countDown();
						Thread.sleep(10_000);
					}
					return Map.of("second", context.attempt());
				}).dependsOn("first"), step("third", (context) -> Map.of("third", count("third"))).dependsOn("second"));
		a.register(definition);
		b.register(definition);
		String id = a.startAsync("handover", Map.of());
		assertThat(stuckOnA.await(5, TimeUnit.SECONDS)).isTrue();
		a.close();
		WorkflowResult result = b.awaitCompletion(id, WAIT).orElseThrow();
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.output()).containsEntry("first", 1).containsEntry("second", 1).containsEntry("third", 1);
		assertThat(this.runs.get("first")).hasValue(1);
		assertThat(this.runs.get("second")).hasValue(2);
		assertThat(this.completedBy).containsExactly("first@node-a", "second@node-b", "third@node-b");
		assertThat(b.history(id)).extracting(WorkflowEvent::type).contains(WorkflowEventType.WORKFLOW_RESUMED);
	}

	@Test
	void aGracefulCloseLetsTheRunningStepFinishAndStoresItBeforeHandingOver() throws InterruptedException {
		CountDownLatch firstRunning = new CountDownLatch(1);
		Orchestrator a = orchestrator((builder) -> Orchestrator.builder(this.store)
			.nodeId("node-a")
			.pollInterval(Duration.ofMillis(50))
			.heartbeatInterval(Duration.ofMillis(100))
			.leaseDuration(Duration.ofMillis(600))
			.shutdownTimeout(Duration.ofSeconds(5))
			.listener((event) -> {
				if (event.type() == WorkflowEventType.STEP_COMPLETED) {
					this.completedBy.add(event.stepId() + "@node-a");
				}
			}));
		Orchestrator b = node("node-b", this.store);
		var definition = workflow("graceful", step("first", (context) -> {
			firstRunning.countDown();
			// finish only once the node is closing, so that the next step must be left to
			// node-b
			await().atMost(WAIT).until(() -> isClosed(a));
			return Map.of("first", count("first"));
		}), step("second", (context) -> Map.of("second", count("second"))).dependsOn("first"));
		a.register(definition);
		b.register(definition);
		String id = a.startAsync("graceful", null);
		assertThat(firstRunning.await(5, TimeUnit.SECONDS)).isTrue();
		a.close();
		WorkflowResult result = b.awaitCompletion(id, WAIT).orElseThrow();
		assertThat(result.success()).isTrue();
		assertThat(this.runs.get("first")).hasValue(1);
		assertThat(this.completedBy).containsExactly("first@node-a", "second@node-b");
	}

	@Test
	void aNodeCutOffFromTheStoreStopsItsStepsOnceItsLeaseMustHaveExpired() throws InterruptedException {
		PartitionableStore partitioned = new PartitionableStore(this.store);
		CountDownLatch stuck = new CountDownLatch(1);
		CountDownLatch interruptedOnA = new CountDownLatch(1);
		Orchestrator a = node("node-a", partitioned);
		Orchestrator b = node("node-b", this.store);
		var definition = workflow("self_fenced", step("work", (context) -> {
			if (count("work") == 1) {
				stuck.countDown();
				try {
					Thread.sleep(10_000);
				}
				catch (InterruptedException ex) {
					interruptedOnA.countDown();
					throw ex;
				}
			}
			return Map.of("by", "node-b");
		}));
		a.register(definition);
		b.register(definition);
		String id = a.startAsync("self_fenced", null);
		assertThat(stuck.await(5, TimeUnit.SECONDS)).isTrue();
		partitioned.cutOff = true;
		assertThat(interruptedOnA.await(5, TimeUnit.SECONDS)).as("node-a stopped its step").isTrue();
		WorkflowResult result = b.awaitCompletion(id, WAIT).orElseThrow();
		assertThat(result.output()).containsEntry("by", "node-b");
		assertThat(this.completedBy).containsExactly("work@node-b");
	}

	@Test
	void aNodeThatBelievesItStillHoldsALostLeaseHasItsLateWriteRejected() throws InterruptedException {
		PartitionableStore paused = new PartitionableStore(this.store);
		CountDownLatch stuck = new CountDownLatch(1);
		CountDownLatch releaseA = new CountDownLatch(1);
		CountDownLatch aReturned = new CountDownLatch(1);
		Orchestrator a = node("node-a", paused);
		Orchestrator b = node("node-b", this.store);
		var definition = workflow("fenced", step("work", (context) -> {
			if (count("work") == 1) {
				stuck.countDown();
				releaseA.await(10, TimeUnit.SECONDS);
				aReturned.countDown();
				return Map.of("by", "node-a");
			}
			return Map.of("by", "node-b");
		}));
		a.register(definition);
		b.register(definition);
		String id = a.startAsync("fenced", null);
		assertThat(stuck.await(5, TimeUnit.SECONDS)).isTrue();
		// like a long pause: node-a's renewals report success but renew nothing, and it
		// claims nothing
		paused.paused = true;
		WorkflowResult result = b.awaitCompletion(id, WAIT).orElseThrow();
		assertThat(result.output()).containsEntry("by", "node-b");
		releaseA.countDown();
		assertThat(aReturned.await(5, TimeUnit.SECONDS)).isTrue();
		await().atMost(WAIT).untilAsserted(() -> assertThat(paused.rejected).contains(id));
		WorkflowResult after = b.status(id).map(WorkflowResult::new).orElseThrow();
		assertThat(after.output()).containsEntry("by", "node-b");
		assertThat(after.instance().step("work").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(this.completedBy).containsExactly("work@node-b");
	}

	@Test
	void instancesOfAnUnregisteredVersionAreLeftForANodeThatHasIt() {
		Orchestrator a = node("node-a", this.store);
		a.register(workflow("versioned", noop("a")));
		// due well after node-b has looked, however long this first start takes on a cold
		// JVM
		Instant startAt = Instant.now().plusMillis(800);
		String id = a.startAsync("versioned", null, io.orchwf.StartOptions.builder().startAt(startAt).build());
		a.close();
		Orchestrator b = node("node-b", this.store);
		b.register(io.orchwf.WorkflowDefinition.builder("versioned", "v2")
			.version("2.0.0")
			.step(noop("a").build())
			.build());
		await().atMost(WAIT).until(() -> Instant.now().isAfter(startAt.plusMillis(300)));
		assertThat(b.status(id).orElseThrow().status()).isEqualTo(WorkflowStatus.PENDING);
		Orchestrator c = node("node-c", this.store);
		c.register(workflow("versioned", noop("a")));
		assertThat(c.awaitCompletion(id, WAIT).orElseThrow().success()).isTrue();
	}

	@Test
	void aRetryWaitingWhenItsNodeDiesRunsOnTimeOnTheNodeThatTakesOver() throws InterruptedException {
		AtomicBoolean dead = new AtomicBoolean();
		StateStore dying = StoreInterceptor.wrap(this.store, (method, args, call) -> {
			if (dead.get()) {
				throw new StoreException("node-a crashed", null);
			}
			Object result = call.proceed();
			if (method.getName().equals("apply") && retrying(args)) {
				dead.set(true);
			}
			return result;
		});
		CountDownLatch retried = new CountDownLatch(1);
		var definition = workflow("retry_after_crash", step("flaky", (context) -> {
			if (context.attempt() == 1) {
				throw new StepException("transient", "try again");
			}
			retried.countDown();
			return Map.of();
		}).async(true)
			.retryPolicy(RetryPolicy.builder().maxAttempts(3).initialInterval(Duration.ofMillis(700)).build()),
				step("long", (context) -> {
					// finishes only once the retry ran: a retry waiting for this step
					// would deadlock here
					assertThat(retried.await(8, TimeUnit.SECONDS)).isTrue();
					return Map.of();
				}).async(true));
		Orchestrator a = node("node-a", dying);
		a.register(definition);
		String id = a.startAsync("retry_after_crash", null);
		await().atMost(WAIT).untilTrue(dead);
		Orchestrator b = node("node-b", this.store);
		b.register(definition);
		WorkflowResult result = b.awaitCompletion(id, WAIT).orElseThrow();
		assertThat(result.success()).as(result.error().orElse("")).isTrue();
	}

	@SuppressWarnings("unchecked")
	private static boolean retrying(Object[] args) {
		return ((List<InstanceUpdate>) args[0]).stream()
			.anyMatch((update) -> update.events()
				.stream()
				.anyMatch((event) -> event.type() == WorkflowEventType.STEP_RETRYING));
	}

	/**
	 * A store a test can cut a node off from, and that remembers which writes it refused.
	 */
	static final class PartitionableStore implements StateStore {

		private final StateStore delegate;

		volatile boolean cutOff;

		volatile boolean paused;

		final Set<String> rejected = ConcurrentHashMap.newKeySet();

		PartitionableStore(StateStore delegate) {
			this.delegate = delegate;
		}

		private void check() {
			if (this.cutOff) {
				throw new StoreException("network partition", null);
			}
		}

		@Override
		public CreateResult create(InstanceRecord instance, List<StepRecord> steps, List<WorkflowEvent> events) {
			check();
			return this.delegate.create(instance, steps, events);
		}

		@Override
		public Set<String> apply(List<InstanceUpdate> updates) {
			check();
			Set<String> refused = this.delegate.apply(updates);
			this.rejected.addAll(refused);
			return refused;
		}

		@Override
		public Optional<StoredInstance> load(String instanceId) {
			check();
			return this.delegate.load(instanceId);
		}

		@Override
		public Page<StoredInstance> list(WorkflowFilter filter, int limit, int offset) {
			check();
			return this.delegate.list(filter, limit, offset);
		}

		@Override
		public Map<WorkflowStatus, Long> countByStatus(@Nullable String workflowId) {
			check();
			return this.delegate.countByStatus(workflowId);
		}

		@Override
		public Map<WorkflowKey, Long> countUnfinished() {
			check();
			return this.delegate.countUnfinished();
		}

		@Override
		public long countClaimable(Instant now) {
			check();
			return this.delegate.countClaimable(now);
		}

		@Override
		public Optional<Instant> earliestWakeUp() {
			check();
			return this.delegate.earliestWakeUp();
		}

		@Override
		public List<WorkflowEvent> history(String instanceId) {
			check();
			return this.delegate.history(instanceId);
		}

		@Override
		public List<ClaimedInstance> claimDue(String nodeId, Collection<WorkflowKey> workflows, Instant now,
				Instant leaseExpiresAt, int limit) {
			check();
			if (this.paused) {
				return List.of();
			}
			return this.delegate.claimDue(nodeId, workflows, now, leaseExpiresAt, limit);
		}

		@Override
		public Optional<ClaimedInstance> claim(String instanceId, String nodeId, Instant now, Instant leaseExpiresAt,
				boolean finished) {
			check();
			if (this.paused) {
				return Optional.empty();
			}
			return this.delegate.claim(instanceId, nodeId, now, leaseExpiresAt, finished);
		}

		@Override
		public LeaseRenewal renewLeases(String nodeId, Collection<String> instanceIds, Instant leaseExpiresAt) {
			check();
			if (this.paused) {
				return new LeaseRenewal(Set.of(), Map.of());
			}
			return this.delegate.renewLeases(nodeId, instanceIds, leaseExpiresAt);
		}

		@Override
		public void releaseLeases(String nodeId, Collection<String> instanceIds, Instant now, Instant wakeAt) {
			check();
			this.delegate.releaseLeases(nodeId, instanceIds, now, wakeAt);
		}

		@Override
		public boolean requestCancel(String instanceId, String reason, Instant now) {
			check();
			return this.delegate.requestCancel(instanceId, reason, now);
		}

		@Override
		public boolean addSignal(String instanceId, String name, Map<String, Object> payload, WorkflowEvent event) {
			check();
			return this.delegate.addSignal(instanceId, name, payload, event);
		}

		@Override
		public List<SignalRecord> signals(String instanceId, String name) {
			check();
			return this.delegate.signals(instanceId, name);
		}

		@Override
		public List<SignalRecord> signals(String instanceId) {
			check();
			return this.delegate.signals(instanceId);
		}

	}

}
