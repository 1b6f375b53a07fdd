package io.orchwf.store;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import io.orchwf.OverlapPolicy;
import io.orchwf.Page;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The behaviour every {@link StateStore} must have. Each store's test extends this class
 * and supplies a fresh, empty store.
 */
public abstract class StateStoreContractTests {

	protected static final WorkflowKey ORDERS = new WorkflowKey("orders", "1.0.0");

	private static final Instant T0 = Instant.parse("2030-01-01T00:00:00.123456Z");

	protected StateStore store;

	/**
	 * A new, empty store.
	 * @return the store
	 */
	protected abstract StateStore createStore();

	@BeforeEach
	void setUpStore() {
		this.store = createStore();
	}

	@Test
	void refusesTextNoDatabaseCanHoldAndKeepsEveryOtherCharacter() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.checkValue(Map.of("c", "a\u0000b"), "input"))
			.withMessageStartingWith("input contains the character U+0000");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.store.checkValue(Map.of("lines", List.of(Map.of("sku\udc00", 1))), "input"))
			.withMessageStartingWith("input contains an unpaired surrogate");
		Map<String, Object> text = Map.of("emoji", "\uD83D\uDE00", "accents", "\u00e9\u00fc", "control", "\u0001");
		this.store.checkValue(text, "input");
		String id = newId();
		this.store.create(
				new InstanceRecord(id, ORDERS.workflowId(), ORDERS.version(), WorkflowStatus.PENDING, text, Map.of(),
						null, Map.of(), "t", "c", "b", null, T0, null, null, null, null, null, 0, null),
				List.of(StepRecord.pending("validate", 0)), List.of());
		assertThat(this.store.load(id))
			.hasValueSatisfying((stored) -> assertThat(stored.instance().input()).isEqualTo(text));
	}

	protected static InstanceRecord instance(String id, WorkflowStatus status, Instant createdAt) {
		return new InstanceRecord(id, ORDERS.workflowId(), ORDERS.version(), status, Map.of("order_id", id), Map.of(),
				null, Map.of("trace_id", "t-" + id), "t-" + id, "c-" + id, "b-" + id, null, createdAt, null, null, null,
				null, null, 0, null);
	}

	protected static String newId() {
		return UUID.randomUUID().toString();
	}

	private InstanceRecord create(InstanceRecord instance) {
		CreateResult result = this.store.create(instance,
				List.of(StepRecord.pending("validate", 0), StepRecord.pending("pay", 1)),
				List.of(event(instance.id(), WorkflowEventType.WORKFLOW_STARTED, null)));
		assertThat(result.created()).isTrue();
		return instance;
	}

	private static WorkflowEvent event(String instanceId, WorkflowEventType type, @Nullable String stepId) {
		return new WorkflowEvent(type, instanceId, ORDERS.workflowId(), stepId, (stepId != null) ? 1 : 0, T0,
				Map.of("n", 1));
	}

	private List<InstanceRecord> claimDue(String nodeId, List<WorkflowKey> workflows, Instant now,
			Instant leaseExpiresAt, int limit) {
		return this.store.claimDue(nodeId, workflows, now, leaseExpiresAt, limit)
			.stream()
			.map(ClaimedInstance::instance)
			.toList();
	}

	private Optional<InstanceRecord> claim(String id, String nodeId, Instant now, Instant leaseExpiresAt,
			boolean finished) {
		return this.store.claim(id, nodeId, now, leaseExpiresAt, finished).map(ClaimedInstance::instance);
	}

	private InstanceRecord claimOne(String id, String node, Instant now) {
		return claim(id, node, now, now.plusSeconds(30), false).orElseThrow();
	}

	@Test
	void createsAndLoadsAnInstanceWithItsStepsAndHistory() {
		String id = newId();
		create(instance(id, WorkflowStatus.RUNNING, T0));
		StoredInstance stored = this.store.load(id).orElseThrow();
		assertThat(stored.instance().input()).isEqualTo(Map.of("order_id", id));
		assertThat(stored.instance().metadata()).isEqualTo(Map.of("trace_id", "t-" + id));
		assertThat(stored.instance().createdAt()).isEqualTo(T0);
		assertThat(stored.instance().businessId()).isEqualTo("b-" + id);
		assertThat(stored.steps()).extracting(StepRecord::stepId).containsExactly("validate", "pay");
		assertThat(this.store.history(id)).extracting(WorkflowEvent::type)
			.containsExactly(WorkflowEventType.WORKFLOW_STARTED);
		assertThat(this.store.load(newId())).isEmpty();
		assertThat(this.store.history(newId())).isEmpty();
	}

	@Test
	void keepsValuesAsJsonWould() {
		String id = newId();
		InstanceRecord base = instance(id, WorkflowStatus.RUNNING, T0);
		InstanceRecord withValues = new InstanceRecord(id, base.workflowId(), base.workflowVersion(), base.status(),
				Map.of("long", 5L, "big", new BigInteger("123456789012345678901234567890"), "float", 1.5f, "nested",
						Map.of("list", List.of(1, "two", true))),
				Map.of(), null, Map.of(), base.traceId(), base.correlationId(), null, null, T0, null, null, null, null,
				null, 0, null);
		this.store.create(withValues, List.of(), List.of());
		Map<String, Object> input = this.store.load(id).orElseThrow().instance().input();
		assertThat(input).containsEntry("long", 5)
			.containsEntry("big", new BigInteger("123456789012345678901234567890"))
			.containsEntry("float", 1.5)
			.containsEntry("nested", Map.of("list", List.of(1, "two", true)));
	}

	@Test
	void rejectsValuesJsonCannotHold() {
		InstanceRecord base = instance(newId(), WorkflowStatus.RUNNING, T0);
		InstanceRecord bad = new InstanceRecord(base.id(), base.workflowId(), base.workflowVersion(), base.status(),
				Map.of("x", Double.NaN), Map.of(), null, Map.of(), base.traceId(), base.correlationId(), null, null, T0,
				null, null, null, null, null, 0, null);
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.create(bad, List.of(), List.of()));
		assertThat(this.store.load(base.id())).isEmpty();
	}

	@Test
	void keepsMicrosecondsOfTimes() {
		String id = newId();
		Instant nanos = T0.plusNanos(789);
		create(instance(id, WorkflowStatus.RUNNING, nanos));
		assertThat(this.store.load(id).orElseThrow().instance().createdAt()).isEqualTo(T0);
	}

	@Test
	void secondCreateWithTheSameIdempotencyKeyReturnsTheFirstInstance() {
		InstanceRecord first = withKey(instance(newId(), WorkflowStatus.RUNNING, T0), "order-1");
		InstanceRecord second = withKey(instance(newId(), WorkflowStatus.RUNNING, T0), "order-1");
		assertThat(this.store.create(first, List.of(), List.of())).isEqualTo(new CreateResult(first.id(), true));
		assertThat(this.store.create(second, List.of(), List.of())).isEqualTo(new CreateResult(first.id(), false));
		assertThat(this.store.load(second.id())).isEmpty();
	}

	private static InstanceRecord withKey(InstanceRecord i, String key) {
		return new InstanceRecord(i.id(), i.workflowId(), i.workflowVersion(), i.status(), i.input(), i.output(),
				i.error(), i.metadata(), i.traceId(), i.correlationId(), i.businessId(), key, i.createdAt(),
				i.startedAt(), i.completedAt(), i.wakeAt(), i.leaseOwner(), i.leaseExpiresAt(), i.fence(),
				i.cancelReason());
	}

	@Test
	void appliesATransitionOfStateStepsAndEvents() {
		String id = newId();
		create(instance(id, WorkflowStatus.PENDING, T0));
		InstanceRecord claimed = claimOne(id, "node-a", T0);
		StepRecord validated = new StepRecord("validate", 0, StepStatus.COMPLETED, 1, Map.of("valid", true), null, T0,
				T0.plusMillis(5), null, 1);
		InstanceState running = new InstanceState(WorkflowStatus.RUNNING, Map.of(), null, T0, null, null);
		Set<String> rejected = this.store.apply(List.of(new InstanceUpdate(id, claimed.fence(), T0, running, false,
				List.of(validated), List.of(event(id, WorkflowEventType.STEP_COMPLETED, "validate")))));
		assertThat(rejected).isEmpty();
		StoredInstance stored = this.store.load(id).orElseThrow();
		assertThat(stored.instance().status()).isEqualTo(WorkflowStatus.RUNNING);
		assertThat(stored.instance().startedAt()).isEqualTo(T0);
		assertThat(stored.instance().leaseOwner()).isEqualTo("node-a");
		assertThat(stored.steps().get(0)).isEqualTo(validated);
		assertThat(stored.steps().get(1).status()).isEqualTo(StepStatus.PENDING);
		assertThat(this.store.history(id)).extracting(WorkflowEvent::type)
			.containsExactly(WorkflowEventType.WORKFLOW_STARTED, WorkflowEventType.STEP_COMPLETED);
		assertThat(this.store.history(id).get(1).data()).isEqualTo(Map.of("n", 1));
	}

	@Test
	void aStepChangedAgainAndAgainReadsAsItsLastChangeWhateverItsSize() {
		// alone, and in a batch larger than a store may write in one statement
		String alone = newId();
		String batched = newId();
		List<String> others = new ArrayList<>();
		for (int i = 0; i < 9; i++) {
			others.add(newId());
		}
		Map<String, Long> fences = new HashMap<>();
		for (String id : concat(List.of(alone, batched), others)) {
			create(instance(id, WorkflowStatus.PENDING, T0));
			fences.put(id, claimOne(id, "node-a", T0).fence());
		}
		// a forEach step's output grows with its results: large ones may be stored apart
		List<String> manyResults = Collections.nCopies(400, "result");
		List<StepRecord> changes = List.of(
				new StepRecord("pay", 1, StepStatus.RUNNING, 1, Map.of("results", List.of("a")), null, T0, null, null,
						0),
				new StepRecord("pay", 1, StepStatus.RUNNING, 1, Map.of("results", manyResults), null, T0, null, null,
						0),
				new StepRecord("pay", 1, StepStatus.WAITING, 1, Map.of("results", List.of("b")), "busy", "gateway_busy",
						T0, null, T0.plusSeconds(5), 0),
				new StepRecord("pay", 1, StepStatus.WAITING, 1, Map.of("results", manyResults), "timed out", "timeout",
						T0, null, T0.plusSeconds(5), 0),
				new StepRecord("pay", 1, StepStatus.COMPLETED, 2, Map.of("results", manyResults, "last", true), null,
						T0.plusSeconds(5), T0.plusSeconds(6), null, 3),
				new StepRecord("pay", 1, StepStatus.COMPLETED, 2, Map.of("done", true), null, T0.plusSeconds(5),
						T0.plusSeconds(6), null, 3));
		InstanceState running = new InstanceState(WorkflowStatus.RUNNING, Map.of(), null, T0, null, null);
		for (StepRecord change : changes) {
			assertThat(this.store.apply(List.of(new InstanceUpdate(alone, fences.get(alone), T0, running, false,
					List.of(change), List.of(), InstanceUpdate.SIGNALS_IGNORED, List.of(), false))))
				.isEmpty();
			List<InstanceUpdate> batch = new ArrayList<>();
			for (String id : concat(List.of(batched), others)) {
				batch.add(new InstanceUpdate(id, fences.get(id), T0, running, false, List.of(change),
						List.of(event(id, WorkflowEventType.STEP_STARTED, "pay")), InstanceUpdate.SIGNALS_IGNORED,
						List.of(), false));
			}
			assertThat(this.store.apply(batch)).isEmpty();
			for (String id : List.of(alone, batched)) {
				assertThat(this.store.load(id).orElseThrow().steps()).containsExactly(StepRecord.pending("validate", 0),
						change);
			}
			assertThat(this.store.list(WorkflowFilter.all(), 20, 0).items())
				.allSatisfy((stored) -> assertThat(stored.steps()).endsWith(change));
		}
	}

	private static List<String> concat(List<String> first, List<String> second) {
		List<String> all = new ArrayList<>(first);
		all.addAll(second);
		return all;
	}

	@Test
	void rejectsWritesWithAStaleFenceAndAppliesTheOthersOfTheBatch() {
		String stale = newId();
		String fresh = newId();
		create(instance(stale, WorkflowStatus.PENDING, T0));
		create(instance(fresh, WorkflowStatus.PENDING, T0));
		InstanceRecord firstClaim = claimOne(stale, "node-a", T0);
		// node-a's lease expires and node-b takes over
		InstanceRecord secondClaim = claimOne(stale, "node-b", T0.plusSeconds(31));
		assertThat(secondClaim.fence()).isGreaterThan(firstClaim.fence());
		InstanceRecord freshClaim = claimOne(fresh, "node-a", T0);
		InstanceState running = new InstanceState(WorkflowStatus.RUNNING, Map.of(), null, T0, null, null);
		StepRecord validating = new StepRecord("validate", 0, StepStatus.RUNNING, 1, Map.of(), null, T0, null, null, 0);
		Set<String> rejected = this.store.apply(List.of(
				new InstanceUpdate(stale, firstClaim.fence(), T0, running, false, List.of(validating),
						List.of(event(stale, WorkflowEventType.STEP_STARTED, "validate"))),
				new InstanceUpdate(fresh, freshClaim.fence(), T0, running, false, List.of(validating),
						List.of(event(fresh, WorkflowEventType.STEP_STARTED, "validate")))));
		assertThat(rejected).containsExactly(stale);
		StoredInstance staleStored = this.store.load(stale).orElseThrow();
		assertThat(staleStored.instance().status()).isEqualTo(WorkflowStatus.PENDING);
		assertThat(staleStored.steps().get(0).status()).isEqualTo(StepStatus.PENDING);
		assertThat(this.store.history(stale)).extracting(WorkflowEvent::type)
			.containsExactly(WorkflowEventType.WORKFLOW_STARTED);
		StoredInstance freshStored = this.store.load(fresh).orElseThrow();
		assertThat(freshStored.instance().status()).isEqualTo(WorkflowStatus.RUNNING);
		assertThat(freshStored.steps().get(0)).isEqualTo(validating);
		assertThat(this.store.history(fresh)).extracting(WorkflowEvent::type)
			.containsExactly(WorkflowEventType.WORKFLOW_STARTED, WorkflowEventType.STEP_STARTED);
		assertThat(this.store.apply(List.of(new InstanceUpdate(newId(), 1, T0, running, false, List.of(), List.of()))))
			.hasSize(1);
	}

	@Test
	void anUpdateThatKeepsTheStateStillChecksTheFence() {
		String stale = newId();
		String fresh = newId();
		create(instance(stale, WorkflowStatus.PENDING, T0));
		create(instance(fresh, WorkflowStatus.PENDING, T0));
		InstanceRecord firstClaim = claimOne(stale, "node-a", T0);
		claimOne(stale, "node-b", T0.plusSeconds(31));
		InstanceRecord freshClaim = claimOne(fresh, "node-a", T0);
		InstanceState pending = new InstanceState(WorkflowStatus.PENDING, Map.of(), null, null, null, null);
		StepRecord validating = new StepRecord("validate", 0, StepStatus.RUNNING, 1, Map.of(), null, T0, null, null, 0);
		StepRecord paying = new StepRecord("pay", 1, StepStatus.RUNNING, 1, Map.of(), null, T0, null, null, 0);
		Set<String> rejected = this.store.apply(List.of(
				new InstanceUpdate(stale, firstClaim.fence(), T0, pending, false, List.of(validating, paying),
						List.of(event(stale, WorkflowEventType.STEP_STARTED, "validate")),
						InstanceUpdate.SIGNALS_IGNORED, List.of(), false),
				new InstanceUpdate(fresh, freshClaim.fence(), T0, pending, false, List.of(validating, paying),
						List.of(event(fresh, WorkflowEventType.STEP_STARTED, "validate"),
								event(fresh, WorkflowEventType.STEP_STARTED, "pay")),
						InstanceUpdate.SIGNALS_IGNORED, List.of(), false)));
		assertThat(rejected).containsExactly(stale);
		assertThat(this.store.load(stale).orElseThrow().steps()).extracting(StepRecord::status)
			.containsExactly(StepStatus.PENDING, StepStatus.PENDING);
		assertThat(this.store.history(stale)).hasSize(1);
		StoredInstance freshStored = this.store.load(fresh).orElseThrow();
		assertThat(freshStored.steps()).containsExactly(validating, paying);
		assertThat(freshStored.instance().leaseOwner()).isEqualTo("node-a");
		assertThat(this.store.history(fresh)).extracting(WorkflowEvent::stepId)
			.containsExactly(null, "validate", "pay");
	}

	@Test
	void releasingALeaseMakesTheInstanceClaimableByAnyNodeAtItsWakeTime() {
		String id = newId();
		create(instance(id, WorkflowStatus.PENDING, T0));
		InstanceRecord claimed = claimOne(id, "node-a", T0);
		Instant wake = T0.plusSeconds(5);
		this.store.apply(List.of(new InstanceUpdate(id, claimed.fence(), T0,
				new InstanceState(WorkflowStatus.WAITING, Map.of(), null, T0, null, wake), true, List.of(),
				List.of())));
		InstanceRecord waiting = this.store.load(id).orElseThrow().instance();
		assertThat(waiting.leaseOwner()).isNull();
		assertThat(waiting.wakeAt()).isEqualTo(wake);
		assertThat(claimDue("node-b", List.of(ORDERS), wake.minusMillis(1), wake.plusSeconds(30), 10)).isEmpty();
		assertThat(claimDue("node-b", List.of(ORDERS), wake, wake.plusSeconds(30), 10))
			.extracting(InstanceRecord::leaseOwner)
			.containsExactly("node-b");
	}

	@Test
	void claimsDueInstancesOldestFirstUpToTheLimit() {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			String id = newId();
			ids.add(id);
			create(wakingAt(instance(id, WorkflowStatus.PENDING, T0), T0.plusSeconds(4 - i)));
		}
		List<InstanceRecord> claimed = claimDue("node-a", List.of(ORDERS), T0.plusSeconds(10), T0.plusSeconds(40), 3);
		assertThat(claimed).extracting(InstanceRecord::id).containsExactly(ids.get(3), ids.get(2), ids.get(1));
		assertThat(claimed).allSatisfy((instance) -> {
			assertThat(instance.leaseOwner()).isEqualTo("node-a");
			assertThat(instance.leaseExpiresAt()).isEqualTo(T0.plusSeconds(40));
			assertThat(instance.fence()).isEqualTo(1);
		});
		assertThat(claimDue("node-b", List.of(ORDERS), T0.plusSeconds(10), T0.plusSeconds(40), 10))
			.extracting(InstanceRecord::id)
			.containsExactly(ids.get(0));
	}

	private static InstanceRecord wakingAt(InstanceRecord i, @Nullable Instant wakeAt) {
		return new InstanceRecord(i.id(), i.workflowId(), i.workflowVersion(), i.status(), i.input(), i.output(),
				i.error(), i.metadata(), i.traceId(), i.correlationId(), i.businessId(), i.idempotencyKey(),
				i.createdAt(), i.startedAt(), i.completedAt(), wakeAt, null, null, 0, null);
	}

	@Test
	void claimsOnlyWorkflowVersionsTheNodeRuns() {
		String id = newId();
		create(wakingAt(instance(id, WorkflowStatus.PENDING, T0), T0));
		assertThat(claimDue("node-a", List.of(new WorkflowKey("orders", "2.0.0")), T0, T0.plusSeconds(30), 10))
			.isEmpty();
		assertThat(claimDue("node-a", List.of(new WorkflowKey("other", "1.0.0"), ORDERS), T0, T0.plusSeconds(30), 10))
			.hasSize(1);
	}

	@Test
	void claimsInstancesWhoseOwnerLetTheLeaseExpire() {
		String id = newId();
		create(instance(id, WorkflowStatus.PENDING, T0));
		InstanceRecord claimed = claimOne(id, "node-a", T0);
		this.store.apply(List.of(new InstanceUpdate(id, claimed.fence(), T0,
				new InstanceState(WorkflowStatus.RUNNING, Map.of(), null, T0, null, null), false, List.of(),
				List.of())));
		assertThat(claimDue("node-b", List.of(ORDERS), T0.plusSeconds(29), T0.plusSeconds(60), 10)).isEmpty();
		assertThat(claim(id, "node-b", T0.plusSeconds(29), T0.plusSeconds(60), false)).isEmpty();
		List<InstanceRecord> taken = claimDue("node-b", List.of(ORDERS), T0.plusSeconds(31), T0.plusSeconds(61), 10);
		assertThat(taken).singleElement().satisfies((instance) -> {
			assertThat(instance.leaseOwner()).isEqualTo("node-b");
			assertThat(instance.fence()).isEqualTo(claimed.fence() + 1);
			assertThat(instance.status()).isEqualTo(WorkflowStatus.RUNNING);
		});
	}

	@Test
	void neverClaimsFinishedInstancesFromThePoller() {
		String id = newId();
		create(instance(id, WorkflowStatus.PENDING, T0));
		InstanceRecord claimed = claimOne(id, "node-a", T0);
		this.store.apply(List.of(new InstanceUpdate(id, claimed.fence(), T0,
				new InstanceState(WorkflowStatus.COMPLETED, Map.of("done", true), null, T0, T0, null), true, List.of(),
				List.of())));
		assertThat(claimDue("node-b", List.of(ORDERS), T0.plusSeconds(100), T0.plusSeconds(130), 10)).isEmpty();
	}

	@Test
	void claimsAFinishedInstanceOnlyWhenAskedTo() {
		String id = newId();
		create(instance(id, WorkflowStatus.FAILED, T0));
		assertThat(claim(id, "node-a", T0, T0.plusSeconds(30), false)).isEmpty();
		assertThat(claim(id, "node-a", T0, T0.plusSeconds(30), true))
			.hasValueSatisfying((claimed) -> assertThat(claimed.leaseOwner()).isEqualTo("node-a"));
	}

	@Test
	void aClaimReadsTheStepsAndSignalsOfTheInstance() {
		String id = newId();
		create(wakingAt(instance(id, WorkflowStatus.WAITING, T0), T0));
		this.store.addSignal(id, "approve", Map.of("by", "ann"), signalAt(id, T0));
		List<ClaimedInstance> claimed = this.store.claimDue("node-a", List.of(ORDERS), T0, T0.plusSeconds(30), 10);
		assertThat(claimed).singleElement().satisfies((instance) -> {
			assertThat(instance.steps()).extracting(StepRecord::stepId).containsExactly("validate", "pay");
			assertThat(instance.signals()).extracting(SignalRecord::payload).containsExactly(Map.of("by", "ann"));
		});
	}

	@Test
	void renewsOnlyTheLeasesANodeStillHolds() {
		String kept = newId();
		String lost = newId();
		create(instance(kept, WorkflowStatus.PENDING, T0));
		create(instance(lost, WorkflowStatus.PENDING, T0));
		claimOne(kept, "node-a", T0);
		claimOne(lost, "node-a", T0);
		claimOne(lost, "node-b", T0.plusSeconds(31));
		LeaseRenewal renewal = this.store.renewLeases("node-a", List.of(kept, lost, newId()), T0.plusSeconds(90));
		assertThat(renewal.lost()).hasSize(2).contains(lost);
		assertThat(renewal.cancelRequests()).isEmpty();
		assertThat(this.store.load(kept).orElseThrow().instance().leaseExpiresAt()).isEqualTo(T0.plusSeconds(90));
		assertThat(this.store.load(lost).orElseThrow().instance().leaseOwner()).isEqualTo("node-b");
	}

	@Test
	void aNewInstanceIsLeasedToItsCreatorUntilTheCreatorStopsRenewing() {
		String id = newId();
		InstanceRecord leased = instance(id, WorkflowStatus.PENDING, T0).leasedTo("node-a", T0.plusSeconds(30));
		create(leased);
		assertThat(this.store.load(id).orElseThrow().instance().leaseExpiresAt()).isEqualTo(T0.plusSeconds(30));
		assertThat(claim(id, "node-b", T0.plusSeconds(29), T0.plusSeconds(59), false)).isEmpty();
		assertThat(claimDue("node-b", List.of(ORDERS), T0.plusSeconds(31), T0.plusSeconds(61), 10)).singleElement()
			.satisfies((instance) -> assertThat(instance.fence()).isEqualTo(leased.fence() + 1));
	}

	@Test
	void aRenewalKeepsEveryLeaseOfTheNodeAlive() {
		String renewed = newId();
		String alongside = newId();
		create(instance(renewed, WorkflowStatus.PENDING, T0));
		create(instance(alongside, WorkflowStatus.PENDING, T0));
		claimOne(renewed, "node-a", T0);
		claimOne(alongside, "node-a", T0);
		this.store.renewLeases("node-a", List.of(renewed), T0.plusSeconds(50));
		assertThat(claimDue("node-b", List.of(ORDERS), T0.plusSeconds(40), T0.plusSeconds(70), 10))
			.as("leases belong to the node, so one renewal extends them all")
			.isEmpty();
		assertThat(this.store.load(alongside).orElseThrow().instance().leaseExpiresAt()).isEqualTo(T0.plusSeconds(50));
		assertThat(claimDue("node-b", List.of(ORDERS), T0.plusSeconds(51), T0.plusSeconds(81), 10)).hasSize(2);
	}

	@Test
	void aLeaseHandedBackForLaterIsClaimableOnlyThen() {
		String id = newId();
		create(instance(id, WorkflowStatus.RUNNING, T0));
		claimOne(id, "node-a", T0);
		this.store.releaseLeases("node-a", List.of(id), T0, T0.plusSeconds(60));
		assertThat(this.store.load(id).orElseThrow().instance().leaseOwner()).isNull();
		assertThat(claimDue("node-b", List.of(ORDERS), T0.plusSeconds(59), T0.plusSeconds(89), 10)).isEmpty();
		assertThat(claimDue("node-b", List.of(ORDERS), T0.plusSeconds(60), T0.plusSeconds(90), 10)).hasSize(1);
	}

	@Test
	void claimsDueInstancesOfSeveralWorkflowsOldestFirst() {
		WorkflowKey other = new WorkflowKey("other", "1.0.0");
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			String id = newId();
			ids.add(id);
			InstanceRecord instance = wakingAt(instance(id, WorkflowStatus.PENDING, T0), T0.plusSeconds(i));
			if (i % 2 == 1) {
				instance = new InstanceRecord(id, other.workflowId(), other.version(), instance.status(),
						instance.input(), instance.output(), null, instance.metadata(), instance.traceId(),
						instance.correlationId(), null, null, T0, null, null, instance.wakeAt(), null, null, 0, null);
			}
			create(instance);
		}
		assertThat(claimDue("node-a", List.of(ORDERS, other), T0.plusSeconds(10), T0.plusSeconds(40), 3))
			.extracting(InstanceRecord::id)
			.containsExactly(ids.get(0), ids.get(1), ids.get(2));
	}

	@Test
	void idsOfNoInstanceFindNothingAndChangeNothing() {
		for (String id : List.of(newId(), "not-a-uuid", "")) {
			assertThat(this.store.load(id)).isEmpty();
			assertThat(this.store.history(id)).isEmpty();
			assertThat(this.store.signals(id, "x")).isEmpty();
			assertThat(claim(id, "node-a", T0, T0.plusSeconds(30), false)).isEmpty();
			assertThat(this.store.requestCancel(id, "x", T0)).isFalse();
			assertThat(this.store.addSignal(id, "x", Map.of(), event(id, WorkflowEventType.SIGNAL_RECEIVED, null)))
				.isFalse();
			assertThat(this.store.renewLeases("node-a", List.of(id), T0.plusSeconds(30)).lost()).containsExactly(id);
			assertThat(this.store.apply(List.of(new InstanceUpdate(id, 1, T0,
					new InstanceState(WorkflowStatus.RUNNING, Map.of(), null, T0, null, null), false, List.of(),
					List.of()))))
				.containsExactly(id);
			this.store.releaseLeases("node-a", List.of(id), T0, T0);
		}
	}

	@Test
	void cancellationOfAHeldInstanceReachesItsOwnerAtRenewal() {
		String id = newId();
		create(instance(id, WorkflowStatus.PENDING, T0));
		claimOne(id, "node-a", T0);
		assertThat(this.store.requestCancel(id, "customer asked", T0)).isTrue();
		assertThat(claim(id, "node-b", T0, T0.plusSeconds(30), false)).isEmpty();
		LeaseRenewal renewal = this.store.renewLeases("node-a", List.of(id), T0.plusSeconds(30));
		assertThat(renewal.cancelRequests()).isEqualTo(Map.of(id, "customer asked"));
	}

	@Test
	void cancellationOfAnUnheldInstanceMakesItClaimableAtOnce() {
		String id = newId();
		create(wakingAt(instance(id, WorkflowStatus.WAITING, T0), T0.plusSeconds(3600)));
		assertThat(this.store.requestCancel(id, "too slow", T0.plusSeconds(1))).isTrue();
		assertThat(claimDue("node-a", List.of(ORDERS), T0.plusSeconds(1), T0.plusSeconds(31), 10)).singleElement()
			.extracting(InstanceRecord::cancelReason)
			.isEqualTo("too slow");
		assertThat(this.store.requestCancel(newId(), "x", T0)).isFalse();
	}

	@Test
	void releasingTheLeaseOfAnInstanceAskedToCancelMakesItClaimableAtOnce() {
		String id = newId();
		create(instance(id, WorkflowStatus.PENDING, T0));
		InstanceRecord claimed = claimOne(id, "node-a", T0);
		this.store.requestCancel(id, "stop", T0);
		Instant farAway = T0.plus(Duration.ofDays(365));
		this.store.apply(List.of(new InstanceUpdate(id, claimed.fence(), T0,
				new InstanceState(WorkflowStatus.WAITING, Map.of(), null, T0, null, farAway), true, List.of(),
				List.of())));
		Instant now = T0.plusSeconds(1);
		assertThat(claimDue("node-b", List.of(ORDERS), now, now.plusSeconds(30), 10)).hasSize(1);
	}

	@Test
	void aTerminalWriteClearsAPendingCancellation() {
		String id = newId();
		create(instance(id, WorkflowStatus.PENDING, T0));
		InstanceRecord claimed = claimOne(id, "node-a", T0);
		this.store.requestCancel(id, "stop", T0);
		this.store.apply(List.of(new InstanceUpdate(id, claimed.fence(), T0,
				new InstanceState(WorkflowStatus.FAILED, Map.of(), "boom", T0, T0, null), true, List.of(), List.of())));
		assertThat(this.store.load(id).orElseThrow().instance().cancelReason()).isNull();
	}

	@Test
	void cancellingAFinishedInstanceChangesNothing() {
		String id = newId();
		create(instance(id, WorkflowStatus.COMPLETED, T0));
		assertThat(this.store.requestCancel(id, "late", T0)).isFalse();
		assertThat(this.store.load(id).orElseThrow().instance().cancelReason()).isNull();
	}

	@Test
	void releasesLeasesWithoutChangingTheInstances() {
		String id = newId();
		create(instance(id, WorkflowStatus.PENDING, T0));
		InstanceRecord claimed = claimOne(id, "node-a", T0);
		this.store.releaseLeases("node-b", List.of(id), T0, T0);
		assertThat(this.store.load(id).orElseThrow().instance().leaseOwner()).isEqualTo("node-a");
		this.store.releaseLeases("node-a", List.of(id), T0, T0.plusSeconds(1));
		InstanceRecord released = this.store.load(id).orElseThrow().instance();
		assertThat(released.leaseOwner()).isNull();
		assertThat(released.status()).isEqualTo(WorkflowStatus.PENDING);
		assertThat(released.fence()).isGreaterThan(claimed.fence());
		assertThat(this.store.apply(List.of(new InstanceUpdate(id, claimed.fence(), T0,
				new InstanceState(WorkflowStatus.RUNNING, Map.of(), null, T0, null, null), false, List.of(),
				List.of()))))
			.as("a late write of the node that released the lease")
			.containsExactly(id);
		assertThat(claimDue("node-b", List.of(ORDERS), T0.plusSeconds(1), T0.plusSeconds(31), 10)).hasSize(1);
	}

	@Test
	void listsNewestFirstWithFiltersAndPages() {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			String id = newId();
			ids.add(id);
			create(instance(id, (i % 2 == 0) ? WorkflowStatus.COMPLETED : WorkflowStatus.FAILED, T0.plusSeconds(i)));
		}
		Page<StoredInstance> page = this.store.list(WorkflowFilter.all(), 2, 1);
		assertThat(page.total()).isEqualTo(5);
		assertThat(page.items()).extracting((stored) -> stored.instance().id()).containsExactly(ids.get(3), ids.get(2));
		assertThat(page.items().get(0).steps()).hasSize(2);
		assertThat(this.store.list(WorkflowFilter.builder().status(WorkflowStatus.FAILED).build(), 10, 0).items())
			.extracting((stored) -> stored.instance().id())
			.containsExactly(ids.get(3), ids.get(1));
		assertThat(this.store
			.list(WorkflowFilter.builder().status(WorkflowStatus.FAILED, WorkflowStatus.COMPLETED).build(), 10, 0)
			.total()).isEqualTo(5);
		assertThat(this.store.list(WorkflowFilter.builder().businessId("b-" + ids.get(2)).build(), 10, 0).items())
			.extracting((stored) -> stored.instance().id())
			.containsExactly(ids.get(2));
		assertThat(this.store.list(WorkflowFilter.builder().correlationId("c-" + ids.get(4)).build(), 10, 0).total())
			.isEqualTo(1);
		assertThat(this.store.list(WorkflowFilter.builder().traceId("t-" + ids.get(0)).build(), 10, 0).total())
			.isEqualTo(1);
		assertThat(this.store.list(WorkflowFilter.builder().workflowId("other").build(), 10, 0).total()).isZero();
		assertThat(this.store
			.list(WorkflowFilter.builder().createdAfter(T0.plusSeconds(1)).createdBefore(T0.plusSeconds(3)).build(), 10,
					0)
			.items()).extracting((stored) -> stored.instance().id()).containsExactly(ids.get(2), ids.get(1));
		assertThat(this.store.list(WorkflowFilter.all(), 10, 10).items()).isEmpty();
	}

	@Test
	void filterValuesAreDataNotSql() {
		create(instance(newId(), WorkflowStatus.RUNNING, T0));
		assertThat(this.store.list(WorkflowFilter.builder().workflowId("x' OR '1'='1").build(), 10, 0).total())
			.isZero();
		assertThat(this.store.list(WorkflowFilter.builder().businessId("%").build(), 10, 0).total()).isZero();
	}

	@Test
	void findsTheInstanceOfAnIdempotencyKey() {
		String keyed = newId();
		create(withKey(instance(keyed, WorkflowStatus.RUNNING, T0), "order-42"));
		create(withKey(instance(newId(), WorkflowStatus.RUNNING, T0), "order-43"));
		create(instance(newId(), WorkflowStatus.RUNNING, T0));
		Page<StoredInstance> found = this.store.list(WorkflowFilter.builder().idempotencyKey("order-42").build(), 10,
				0);
		assertThat(found.total()).isEqualTo(1);
		assertThat(found.items()).extracting((item) -> item.instance().id()).containsExactly(keyed);
		assertThat(this.store.list(WorkflowFilter.builder().idempotencyKey("order-44").build(), 10, 0).total())
			.isZero();
		assertThat(
				this.store.list(WorkflowFilter.builder().idempotencyKey("order-42").workflowId("other").build(), 10, 0)
					.total())
			.isZero();
	}

	@Test
	void countsInstancesByStatus() {
		create(instance(newId(), WorkflowStatus.RUNNING, T0));
		create(instance(newId(), WorkflowStatus.RUNNING, T0));
		create(instance(newId(), WorkflowStatus.FAILED, T0));
		assertThat(this.store.countByStatus(null)).containsEntry(WorkflowStatus.RUNNING, 2L)
			.containsEntry(WorkflowStatus.FAILED, 1L)
			.doesNotContainKey(WorkflowStatus.COMPLETED);
		assertThat(this.store.countByStatus("other")).isEmpty();
	}

	@Test
	void countsUnfinishedInstancesByWorkflowVersion() {
		create(instance(newId(), WorkflowStatus.RUNNING, T0));
		create(instance(newId(), WorkflowStatus.WAITING, T0));
		create(instance(newId(), WorkflowStatus.COMPLETED, T0));
		assertThat(this.store.countUnfinished()).isEqualTo(Map.of(ORDERS, 2L));
	}

	@Test
	void findsTheEarliestWakeUpOfTheInstancesNoNodeHolds() {
		assertThat(this.store.earliestWakeUp()).isEmpty();
		create(wakingAt(instance(newId(), WorkflowStatus.WAITING, T0), T0.plusSeconds(90)));
		create(wakingAt(instance(newId(), WorkflowStatus.COMPLETED, T0), T0.plusSeconds(10)));
		create(instance(newId(), WorkflowStatus.WAITING, T0));
		String held = newId();
		create(wakingAt(instance(held, WorkflowStatus.PENDING, T0), T0.plusSeconds(20)));
		claimOne(held, "node-a", T0.plusSeconds(20));
		assertThat(this.store.earliestWakeUp()).hasValue(T0.plusSeconds(90));
		create(wakingAt(instance(newId(), WorkflowStatus.PENDING, T0), T0.plusSeconds(30)));
		assertThat(this.store.earliestWakeUp()).hasValue(T0.plusSeconds(30));
	}

	@Test
	void countsTheInstancesWaitingToBeClaimed() {
		create(wakingAt(instance(newId(), WorkflowStatus.PENDING, T0), T0));
		create(wakingAt(instance(newId(), WorkflowStatus.WAITING, T0), T0.plusSeconds(60)));
		String expired = newId();
		create(instance(expired, WorkflowStatus.PENDING, T0));
		claimOne(expired, "node-a", T0);
		assertThat(this.store.countClaimable(T0.plusSeconds(1))).isEqualTo(1);
		assertThat(this.store.countClaimable(T0.plusSeconds(61))).isEqualTo(3);
	}

	@Test
	void keepsSignalsInArrivalOrderWithTheirEvents() {
		String id = newId();
		create(instance(id, WorkflowStatus.RUNNING, T0));
		for (int i = 0; i < 3; i++) {
			assertThat(this.store.addSignal(id, (i == 1) ? "other" : "add-item", Map.of("sku", "s" + i),
					event(id, WorkflowEventType.SIGNAL_RECEIVED, null)))
				.isTrue();
		}
		List<SignalRecord> signals = this.store.signals(id, "add-item");
		assertThat(signals).extracting(SignalRecord::payload).containsExactly(Map.of("sku", "s0"), Map.of("sku", "s2"));
		assertThat(signals.get(0).sequence()).isLessThan(signals.get(1).sequence());
		assertThat(this.store.history(id)).filteredOn((e) -> e.type() == WorkflowEventType.SIGNAL_RECEIVED).hasSize(3);
		assertThat(this.store.signals(id, "none")).isEmpty();
	}

	@Test
	void aSignalWakesAWaitingInstanceThatNoNodeHolds() {
		String waiting = newId();
		String deferred = newId();
		create(wakingAt(instance(waiting, WorkflowStatus.WAITING, T0), T0.plusSeconds(3600)));
		create(wakingAt(instance(deferred, WorkflowStatus.PENDING, T0), T0.plusSeconds(3600)));
		for (String id : List.of(waiting, deferred)) {
			assertThat(this.store.addSignal(id, "approve", Map.of(), signalAt(id, T0.plusSeconds(1)))).isTrue();
		}
		assertThat(claimDue("node-a", List.of(ORDERS), T0.plusSeconds(1), T0.plusSeconds(31), 10))
			.as("a deferred start keeps its time")
			.extracting(InstanceRecord::id)
			.containsExactly(waiting);
	}

	@Test
	void aSignalByIdAloneNamesTheInstancesWorkflowAndIsStoredWithIt() {
		String id = newId();
		create(instance(id, WorkflowStatus.WAITING, T0));

		Optional<WorkflowEvent> stored = this.store.signal(id, "approve", Map.of("by", "ann"),
				(workflowId) -> new WorkflowEvent(WorkflowEventType.SIGNAL_RECEIVED, id, workflowId, null, 0, T0,
						Map.of("name", "approve")));

		assertThat(stored).hasValueSatisfying((event) -> {
			assertThat(event.workflowId()).isEqualTo(ORDERS.workflowId());
			assertThat(event.instanceId()).isEqualTo(id);
		});
		assertThat(this.store.signals(id, "approve")).extracting(SignalRecord::payload)
			.containsExactly(Map.of("by", "ann"));
		List<WorkflowEvent> history = this.store.history(id);
		assertThat(history).extracting(WorkflowEvent::type).endsWith(WorkflowEventType.SIGNAL_RECEIVED);
		assertThat(history.get(history.size() - 1).workflowId()).isEqualTo(ORDERS.workflowId());
	}

	@Test
	void aSignalByIdToAMissingOrFinishedInstanceStoresNothing() {
		String finished = newId();
		create(instance(finished, WorkflowStatus.COMPLETED, T0));
		for (String id : List.of(finished, newId(), "not-a-uuid")) {
			assertThat(this.store.signal(id, "approve", Map.of(), (workflowId) -> signalAt(id, T0))).as(id).isEmpty();
			assertThat(this.store.signals(id, "approve")).as(id).isEmpty();
		}
	}

	private static WorkflowEvent signalAt(String instanceId, Instant at) {
		return new WorkflowEvent(WorkflowEventType.SIGNAL_RECEIVED, instanceId, ORDERS.workflowId(), null, 0, at,
				Map.of("name", "approve"));
	}

	@Test
	void parkingAnInstanceThatReceivedSignalsTheWriterHasNotSeenLeavesItClaimable() {
		String id = newId();
		create(instance(id, WorkflowStatus.RUNNING, T0));
		InstanceRecord claimed = claimOne(id, "node-a", T0);
		this.store.addSignal(id, "approve", Map.of("n", 1), signalAt(id, T0));
		InstanceState parked = new InstanceState(WorkflowStatus.WAITING, Map.of(), null, T0, null, null);
		this.store.apply(
				List.of(new InstanceUpdate(id, claimed.fence(), T0, parked, true, List.of(), List.of(), 0, List.of())));
		Instant now = T0.plusSeconds(1);
		List<InstanceRecord> woken = claimDue("node-b", List.of(ORDERS), now, now.plusSeconds(30), 10);
		assertThat(woken).as("the signal arrived after the writer last read them").hasSize(1);
		this.store.apply(List
			.of(new InstanceUpdate(id, woken.get(0).fence(), T0, parked, true, List.of(), List.of(), 1, List.of())));
		assertThat(claimDue("node-b", List.of(ORDERS), now, now.plusSeconds(30), 10)).as("nothing unseen: it waits")
			.isEmpty();
	}

	@Test
	void aRenewalReportsTheSignalCountsOfTheInstancesTheNodeHolds() {
		String signalled = newId();
		String quiet = newId();
		create(instance(signalled, WorkflowStatus.RUNNING, T0));
		create(instance(quiet, WorkflowStatus.RUNNING, T0));
		claimOne(signalled, "node-a", T0);
		claimOne(quiet, "node-a", T0);
		this.store.addSignal(signalled, "a", Map.of(), signalAt(signalled, T0));
		this.store.addSignal(signalled, "b", Map.of(), signalAt(signalled, T0));
		assertThat(this.store.renewLeases("node-a", List.of(signalled, quiet), T0.plusSeconds(30)).signalCounts())
			.isEqualTo(Map.of(signalled, 2L));
	}

	@Test
	void readsEverySignalOfAnInstanceInArrivalOrder() {
		String id = newId();
		create(instance(id, WorkflowStatus.RUNNING, T0));
		for (String name : List.of("b", "a", "b")) {
			this.store.addSignal(id, name, Map.of("name", name), signalAt(id, T0));
		}
		assertThat(this.store.signals(id)).extracting(SignalRecord::name).containsExactly("b", "a", "b");
		assertThat(this.store.signals(newId())).isEmpty();
	}

	@Test
	void signalDeliveriesAreStoredWithTheirTransitionOrNotAtAll() {
		String parent = newId();
		String child = newId();
		create(wakingAt(instance(parent, WorkflowStatus.WAITING, T0), null));
		create(instance(child, WorkflowStatus.RUNNING, T0));
		InstanceRecord claimed = claimOne(child, "node-a", T0);
		SignalDelivery delivery = new SignalDelivery(parent, "orchwf:child:ship", Map.of("status", "COMPLETED"),
				signalAt(parent, T0));
		InstanceState done = new InstanceState(WorkflowStatus.COMPLETED, Map.of(), null, T0, T0, null);
		assertThat(this.store.apply(List.of(new InstanceUpdate(child, claimed.fence() + 7, T0, done, true, List.of(),
				List.of(), InstanceUpdate.SIGNALS_IGNORED, List.of(delivery)))))
			.containsExactly(child);
		assertThat(this.store.signals(parent)).as("a refused transition delivers nothing").isEmpty();
		assertThat(this.store.apply(List.of(new InstanceUpdate(child, claimed.fence(), T0, done, true, List.of(),
				List.of(), InstanceUpdate.SIGNALS_IGNORED, List.of(delivery)))))
			.isEmpty();
		assertThat(this.store.signals(parent)).singleElement()
			.satisfies((signal) -> assertThat(signal.payload()).isEqualTo(Map.of("status", "COMPLETED")));
		assertThat(claimDue("node-b", List.of(ORDERS), T0, T0.plusSeconds(30), 10))
			.as("the delivery wakes the waiting parent")
			.extracting(InstanceRecord::id)
			.containsExactly(parent);
	}

	@Test
	void refusesSignalsForMissingOrFinishedInstances() {
		String done = newId();
		create(instance(done, WorkflowStatus.COMPLETED, T0));
		assertThat(this.store.addSignal(done, "x", Map.of(), event(done, WorkflowEventType.SIGNAL_RECEIVED, null)))
			.isFalse();
		String missing = newId();
		assertThat(
				this.store.addSignal(missing, "x", Map.of(), event(missing, WorkflowEventType.SIGNAL_RECEIVED, null)))
			.isFalse();
		assertThat(this.store.signals(done, "x")).isEmpty();
	}

	@Test
	void truncatesWakeTimesToMicroseconds() {
		String id = newId();
		create(wakingAt(instance(id, WorkflowStatus.PENDING, T0), T0.plusNanos(999)));
		assertThat(this.store.load(id).orElseThrow().instance().wakeAt()).isEqualTo(T0.truncatedTo(ChronoUnit.MICROS));
	}

	@Test
	void deletesFinishedInstancesThatEndedBeforeTheCutoffWithAllTheyOwnAndNothingElse() {
		Instant cutoff = T0.plus(Duration.ofHours(1));
		String expired = finished(WorkflowStatus.COMPLETED, T0, "order-1");
		String recent = finished(WorkflowStatus.COMPLETED, cutoff.plusSeconds(1), null);
		String failed = finished(WorkflowStatus.FAILED, T0, null);
		String running = newId();
		create(instance(running, WorkflowStatus.RUNNING, T0));

		assertThat(this.store.deleteFinished(WorkflowStatus.COMPLETED, cutoff, 1_000)).isEqualTo(1);

		assertThat(this.store.load(expired)).isEmpty();
		assertThat(this.store.history(expired)).isEmpty();
		assertThat(this.store.signals(expired)).isEmpty();
		assertThat(this.store.list(WorkflowFilter.builder().idempotencyKey("order-1").build(), 10, 0).total()).isZero();
		assertThat(this.store.load(recent)).as("ended after the cutoff").isPresent();
		assertThat(this.store.load(failed)).as("another status").isPresent();
		assertThat(this.store.load(running)).as("unfinished").isPresent();
		assertThat(this.store.history(recent)).isNotEmpty();
		String again = newId();
		assertThat(this.store
			.create(withKey(instance(again, WorkflowStatus.PENDING, cutoff), "order-1"), List.of(), List.of())
			.created()).as("the deleted instance's idempotency key is free").isTrue();
	}

	@Test
	void deletesAtMostTheLimitPerCall() {
		for (int i = 0; i < 3; i++) {
			finished(WorkflowStatus.CANCELLED, T0.plusSeconds(i), null);
		}
		Instant cutoff = T0.plus(Duration.ofDays(1));
		assertThat(this.store.deleteFinished(WorkflowStatus.CANCELLED, cutoff, 2)).isEqualTo(2);
		assertThat(this.store.deleteFinished(WorkflowStatus.CANCELLED, cutoff, 2)).isEqualTo(1);
		assertThat(this.store.deleteFinished(WorkflowStatus.CANCELLED, cutoff, 2)).isZero();
		assertThat(this.store.countByStatus(null)).doesNotContainKey(WorkflowStatus.CANCELLED);
	}

	@Test
	void refusesToDeleteUnfinishedInstances() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.store.deleteFinished(WorkflowStatus.WAITING, T0.plusSeconds(60), 10))
			.withMessageContaining("WAITING");
	}

	/**
	 * An instance driven to its end by a transition, as the engine ends one, with a
	 * signal it received on the way.
	 */
	private String finished(WorkflowStatus status, Instant completedAt, @Nullable String idempotencyKey) {
		String id = newId();
		InstanceRecord pending = instance(id, WorkflowStatus.PENDING, T0);
		create((idempotencyKey != null) ? withKey(pending, idempotencyKey) : pending);
		this.store.addSignal(id, "approve", Map.of("by", "ann"), signalAt(id, T0));
		InstanceRecord claimed = claimOne(id, "node-a", T0);
		InstanceState end = new InstanceState(status, Map.of(), null, T0, completedAt, null);
		assertThat(this.store.apply(List.of(new InstanceUpdate(id, claimed.fence(), completedAt, end, true, List.of(),
				List.of(event(id, WorkflowEventType.WORKFLOW_COMPLETED, null)), InstanceUpdate.SIGNALS_IGNORED,
				List.of(), true))))
			.isEmpty();
		return id;
	}

	@Test
	void keepsOneScheduleOfANameAndAdvancesItOncePerTick() {
		Instant tick = T0.plusSeconds(60);
		ScheduleRecord declared = new ScheduleRecord("report", "orders", "0 * * * * *", null, "Europe/Paris",
				Map.of("kind", "daily", "days", 1), OverlapPolicy.SKIP, tick, null, null);
		assertThat(this.store.saveSchedule(declared)).isEqualTo(declared);
		assertThat(this.store.earliestWakeUp()).hasValue(tick);
		assertThat(this.store.advanceSchedule("report", tick, tick, tick.plusSeconds(60), "i-1")).isTrue();
		assertThat(this.store.advanceSchedule("report", tick, tick, tick.plusSeconds(60), "i-2"))
			.as("another node fired the same tick")
			.isFalse();

		ScheduleRecord again = this.store.saveSchedule(declared);
		assertThat(again.nextFireAt()).as("declared again: kept with its fire times").isEqualTo(tick.plusSeconds(60));
		assertThat(again.lastFireAt()).isEqualTo(tick);
		assertThat(again.lastInstanceId()).isEqualTo("i-1");
		assertThat(this.store.advanceSchedule("report", tick.plusSeconds(60), tick.plusSeconds(60),
				tick.plusSeconds(120), null))
			.isTrue();
		assertThat(this.store.schedules()).singleElement()
			.satisfies((stored) -> assertThat(stored.lastInstanceId()).as("a skipped tick keeps the last instance")
				.isEqualTo("i-1"));

		ScheduleRecord changed = new ScheduleRecord("report", "orders", null, Duration.ofMinutes(5), "UTC", Map.of(),
				OverlapPolicy.ALLOW, tick, null, null);
		this.store.saveSchedule(changed);
		assertThat(this.store.schedules()).containsExactly(changed);
		assertThat(this.store.deleteSchedule("report")).isTrue();
		assertThat(this.store.deleteSchedule("report")).isFalse();
		assertThat(this.store.schedules()).isEmpty();
	}

}
