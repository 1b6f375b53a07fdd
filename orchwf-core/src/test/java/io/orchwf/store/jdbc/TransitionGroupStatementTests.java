package io.orchwf.store.jdbc;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.orchwf.StepStatus;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.InstanceState;
import io.orchwf.store.InstanceUpdate;
import io.orchwf.store.SignalDelivery;
import io.orchwf.store.StepRecord;
import io.orchwf.store.StoreException;
import io.orchwf.store.StoredInstance;
import io.orchwf.testing.SharedPostgres;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How the JDBC store writes small groups of transitions on PostgreSQL, in one statement
 * committed in one round trip: all or nothing, and large or unusual groups written the
 * other way with the same result.
 */
class TransitionGroupStatementTests {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	private JdbcStateStore store;

	@BeforeEach
	void emptyStore() {
		this.store = (JdbcStateStore) SharedPostgres.emptyStore();
	}

	@Test
	void aCommandThatFailsUndoesTheWholeGroup() {
		String first = created();
		String second = created();
		// later than PostgreSQL's last timestamp: the second transition's update of its
		// instance row fails, after the first transition's
		Instant outOfRange = Instant.parse("+300000-01-01T00:00:00Z");
		List<InstanceUpdate> group = List.of(completingFirstStep(first, "validate"),
				completingFirstStep(second, "validate", outOfRange));
		assertThat(TransitionGroupStatement.fits(group)).isTrue();
		assertThatExceptionOfType(StoreException.class).isThrownBy(() -> this.store.apply(group));
		for (String id : List.of(first, second)) {
			StoredInstance stored = this.store.load(id).orElseThrow();
			assertThat(stored.instance().status()).isEqualTo(WorkflowStatus.PENDING);
			assertThat(stored.steps().get(0).status()).isEqualTo(StepStatus.PENDING);
			assertThat(this.store.history(id)).hasSize(1);
		}
	}

	@Test
	void groupsTooLargeForOneStatementAreStoredAllTheSame() {
		List<String> ids = new ArrayList<>();
		List<InstanceUpdate> group = new ArrayList<>();
		for (int i = 0; i < TransitionGroupStatement.MAX_TRANSITIONS + 3; i++) {
			String id = created();
			ids.add(id);
			group.add(completingFirstStep(id, "validate"));
		}
		assertThat(TransitionGroupStatement.fits(group)).isFalse();
		assertThat(TransitionGroupStatement.fits(group.subList(0, TransitionGroupStatement.MAX_TRANSITIONS))).isTrue();
		assertThat(this.store.apply(group)).isEmpty();
		for (String id : ids) {
			assertCompletedFirstStep(id);
		}
	}

	@Test
	void aGroupThatDeliversSignalsIsStoredWithThem() {
		String child = created();
		String parent = created();
		InstanceUpdate finished = completingFirstStep(child, "validate");
		WorkflowEvent received = new WorkflowEvent(WorkflowEventType.SIGNAL_RECEIVED, parent, "orders", null, 0, T0,
				Map.of("name", "child-done"));
		InstanceUpdate delivering = new InstanceUpdate(finished.instanceId(), finished.fence(), T0, finished.state(),
				false, finished.steps(), finished.events(), InstanceUpdate.SIGNALS_IGNORED,
				List.of(new SignalDelivery(parent, "child-done", Map.of("ok", true), received)));
		assertThat(TransitionGroupStatement.fits(List.of(delivering))).isFalse();
		assertThat(this.store.apply(List.of(delivering))).isEmpty();
		assertCompletedFirstStep(child);
		assertThat(this.store.signals(parent, "child-done")).hasSize(1);
	}

	@Test
	void groupsOfDifferentShapesOneAfterAnotherAreEachStoredWhole() {
		String first = created();
		String second = created();
		assertThat(this.store.apply(List.of(completingFirstStep(first, "validate")))).isEmpty();
		assertThat(this.store.apply(List.of(completingFirstStep(second, "validate")))).isEmpty();
		// a group of another shape: both keep their instance rows, one writes two step
		// rows, the other no events
		Instant later = T0.plusSeconds(2);
		InstanceState running = new InstanceState(WorkflowStatus.RUNNING, Map.of(), null, T0, null, null);
		StepRecord paid = new StepRecord("pay", 1, StepStatus.COMPLETED, 1, Map.of("paid", 3), null, T0, later, null,
				2);
		StepRecord validatedAgain = new StepRecord("validate", 0, StepStatus.COMPLETED, 1, Map.of("ok", true), null, T0,
				later, null, 1);
		long firstFence = this.store.load(first).orElseThrow().instance().fence();
		long secondFence = this.store.load(second).orElseThrow().instance().fence();
		List<InstanceUpdate> group = List.of(
				new InstanceUpdate(first, firstFence, T0, running, false, List.of(validatedAgain, paid),
						List.of(event(first, WorkflowEventType.STEP_COMPLETED, "pay")), InstanceUpdate.SIGNALS_IGNORED,
						List.of(), false),
				new InstanceUpdate(second, secondFence, T0, running, false, List.of(paid), List.of(),
						InstanceUpdate.SIGNALS_IGNORED, List.of(), false));
		assertThat(TransitionGroupStatement.fits(group)).isTrue();
		assertThat(this.store.apply(group)).isEmpty();
		assertThat(this.store.load(first).orElseThrow().steps().get(1)).isEqualTo(paid);
		assertThat(this.store.load(second).orElseThrow().steps().get(1)).isEqualTo(paid);
		assertThat(this.store.history(first)).hasSize(3);
		assertThat(this.store.history(second)).hasSize(2);
	}

	@Test
	void twoTransitionsOfOneInstanceApplyInOrder() {
		String id = created();
		InstanceUpdate completing = completingFirstStep(id, "validate");
		StepRecord paying = new StepRecord("pay", 1, StepStatus.RUNNING, 1, Map.of(), null, T0, null, null, 0);
		InstanceUpdate starting = new InstanceUpdate(id, completing.fence(), T0, completing.state(), false,
				List.of(paying), List.of(event(id, WorkflowEventType.STEP_STARTED, "pay")));
		assertThat(TransitionGroupStatement.fits(List.of(completing, starting))).isFalse();
		assertThat(this.store.apply(List.of(completing, starting))).isEmpty();
		assertCompletedFirstStep(id);
		assertThat(this.store.load(id).orElseThrow().steps().get(1)).isEqualTo(paying);
		assertThat(this.store.history(id)).extracting(WorkflowEvent::type)
			.containsExactly(WorkflowEventType.WORKFLOW_STARTED, WorkflowEventType.STEP_COMPLETED,
					WorkflowEventType.STEP_STARTED);
	}

	private String created() {
		String id = UUID.randomUUID().toString();
		InstanceRecord instance = new InstanceRecord(id, "orders", "1", WorkflowStatus.PENDING, Map.of(), Map.of(),
				null, Map.of(), "t-" + id, "c-" + id, null, null, T0, null, null, null, null, null, 0, null);
		this.store.create(instance, List.of(StepRecord.pending("validate", 0), StepRecord.pending("pay", 1)),
				List.of(event(id, WorkflowEventType.WORKFLOW_STARTED, null)));
		assertThat(this.store.claim(id, "node-a", T0, T0.plusSeconds(30), false)).isPresent();
		return id;
	}

	private InstanceUpdate completingFirstStep(String id, String eventStepId) {
		return completingFirstStep(id, eventStepId, T0);
	}

	private InstanceUpdate completingFirstStep(String id, String eventStepId, Instant instanceStartedAt) {
		long fence = this.store.load(id).orElseThrow().instance().fence();
		InstanceState running = new InstanceState(WorkflowStatus.RUNNING, Map.of(), null, instanceStartedAt, null,
				null);
		StepRecord validated = new StepRecord("validate", 0, StepStatus.COMPLETED, 1, Map.of("ok", true), null, T0,
				T0.plusSeconds(1).truncatedTo(ChronoUnit.MICROS), null, 1);
		return new InstanceUpdate(id, fence, T0, running, false, List.of(validated),
				List.of(event(id, WorkflowEventType.STEP_COMPLETED, eventStepId)));
	}

	private void assertCompletedFirstStep(String id) {
		StoredInstance stored = this.store.load(id).orElseThrow();
		assertThat(stored.instance().status()).isEqualTo(WorkflowStatus.RUNNING);
		assertThat(stored.steps().get(0).status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(stored.steps().get(0).output()).isEqualTo(Map.of("ok", true));
		assertThat(this.store.history(id)).extracting(WorkflowEvent::type)
			.startsWith(WorkflowEventType.WORKFLOW_STARTED, WorkflowEventType.STEP_COMPLETED);
	}

	private static WorkflowEvent event(String id, WorkflowEventType type, @Nullable String stepId) {
		return new WorkflowEvent(type, id, "orders", stepId, (stepId != null) ? 1 : 0, T0, Map.of());
	}

}
