package io.orchwf.scenario;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.orchwf.Orchestrator;
import io.orchwf.StartOptions;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@code cancelAll} and {@code resumeAll}: they act on every matching instance, across
 * more than one page of the store and across instances created at the same instant, and
 * count only the instances they changed.
 */
class BulkActionsScenarioTests extends ScenarioSupport {

	/** More than two pages of the bulk actions. */
	private static final int MANY = 230;

	private static final Duration LONG_WAIT = Duration.ofSeconds(60);

	private final AtomicBoolean broken = new AtomicBoolean(true);

	@Test
	void cancelAllCancelsEveryMatchingUnfinishedInstanceAndCountsThem() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(held());
		orchestrator.register(workflow("quick", noop("a")));
		List<String> matching = startHeld(orchestrator, MANY, "recall");
		String deferred = orchestrator.startAsync("held", null,
				StartOptions.builder()
					.metadata(Map.of("business_id", "recall"))
					.startAt(Instant.now().plus(Duration.ofHours(1)))
					.build());
		List<String> others = startHeld(orchestrator, 3, "keep");
		String finished = orchestrator.start("quick", null, Map.of("business_id", "recall")).instanceId();
		awaitAll(orchestrator, matching, WorkflowStatus.WAITING);

		int cancelled = orchestrator.cancelAll(WorkflowFilter.builder().businessId("recall").build(), "product recall");

		assertThat(cancelled).isEqualTo(MANY + 1);
		List<String> expected = new ArrayList<>(matching);
		expected.add(deferred);
		awaitAll(orchestrator, expected, WorkflowStatus.CANCELLED);
		assertThat(orchestrator.status(matching.get(0)).orElseThrow().error()).hasValue("cancelled: product recall");
		assertThat(orchestrator.status(finished).orElseThrow().status()).isEqualTo(WorkflowStatus.COMPLETED);
		others.forEach(
				(id) -> assertThat(orchestrator.status(id).orElseThrow().status()).isEqualTo(WorkflowStatus.WAITING));
		assertThat(orchestrator.cancelAll(WorkflowFilter.builder().businessId("recall").build(), "again")).isZero();
	}

	@Test
	void cancelAllTakesEveryInstanceCreatedAtOneInstant() {
		// a clock that stands still: every instance has the same creation time, more of
		// them than a page holds
		Clock clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
		Orchestrator orchestrator = orchestrator((builder) -> builder.clock(clock));
		orchestrator.register(held());
		List<String> ids = startHeld(orchestrator, MANY, "frozen");
		awaitAll(orchestrator, ids, WorkflowStatus.WAITING);

		assertThat(orchestrator.cancelAll(WorkflowFilter.all(), "frozen in time")).isEqualTo(MANY);

		awaitAll(orchestrator, ids, WorkflowStatus.CANCELLED);
	}

	@Test
	void cancelAllCountsNoInstanceThatFinishesBeforeItsTurn() {
		AtomicBoolean first = new AtomicBoolean(true);
		List<String> ids = new ArrayList<>();
		Orchestrator[] node = new Orchestrator[1];
		this.store = StoreInterceptor.wrap(this.store, (method, args, call) -> {
			Object result = call.proceed();
			if (method.getName().equals("list") && first.compareAndSet(true, false)) {
				// between the listing and the cancellations, the newest instance ends
				node[0].signal(ids.get(ids.size() - 1), "go", Map.of());
				node[0].awaitCompletion(ids.get(ids.size() - 1), WAIT).orElseThrow();
			}
			return result;
		});
		Orchestrator orchestrator = orchestrator();
		node[0] = orchestrator;
		orchestrator.register(held());
		ids.addAll(startHeld(orchestrator, 5, "race"));
		awaitAll(orchestrator, ids, WorkflowStatus.WAITING);

		assertThat(orchestrator.cancelAll(WorkflowFilter.all(), "too slow")).isEqualTo(4);

		assertThat(orchestrator.status(ids.get(4)).orElseThrow().status()).isEqualTo(WorkflowStatus.COMPLETED);
		awaitAll(orchestrator, ids.subList(0, 4), WorkflowStatus.CANCELLED);
	}

	@Test
	void resumeAllResumesEveryMatchingFailedInstanceAndCountsThem() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(flaky("flaky"));
		orchestrator.register(flaky("other"));
		List<String> failed = new ArrayList<>();
		for (int i = 0; i < MANY; i++) {
			failed.add(orchestrator.startAsync("flaky", null));
		}
		String otherWorkflow = orchestrator.startAsync("other", null);
		awaitAll(orchestrator, failed, WorkflowStatus.FAILED);
		awaitAll(orchestrator, List.of(otherWorkflow), WorkflowStatus.FAILED);
		this.broken.set(false);

		assertThat(orchestrator.resumeAll(WorkflowFilter.builder().workflowId("flaky").build())).isEqualTo(MANY);

		awaitAll(orchestrator, failed, WorkflowStatus.COMPLETED);
		assertThat(orchestrator.status(otherWorkflow).orElseThrow().status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(orchestrator.resumeAll(WorkflowFilter.builder().workflowId("flaky").build())).isZero();
	}

	@Test
	void resumeAllResumesAnInstanceThatFailsAgainOnlyOnce() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(flaky("flaky"));
		List<String> failed = new ArrayList<>();
		for (int i = 0; i < MANY; i++) {
			failed.add(orchestrator.startAsync("flaky", null));
		}
		awaitAll(orchestrator, failed, WorkflowStatus.FAILED);

		// still broken: each resumed instance fails again at once, while older ones wait
		// for their turn
		assertThat(orchestrator.resumeAll(WorkflowFilter.all())).isEqualTo(MANY);

		await().atMost(LONG_WAIT)
			.until(() -> eventsOfType(WorkflowEventType.WORKFLOW_FAILED) == 2 * MANY
					&& orchestrator.activeInstances() == 0);
		assertThat(eventsOfType(WorkflowEventType.WORKFLOW_RESUMED)).isEqualTo(MANY);
		failed.forEach((id) -> assertThat(eventsOf(id, WorkflowEventType.WORKFLOW_RESUMED)).hasSize(1));
	}

	@Test
	void resumeAllLeavesInstancesOfAVersionThisNodeHasNotRegistered() {
		Orchestrator first = orchestrator();
		first.register(flaky("flaky"));
		String failed = first.startAsync("flaky", null);
		awaitAll(first, List.of(failed), WorkflowStatus.FAILED);
		first.close();
		Orchestrator second = orchestrator();
		second
			.register(WorkflowDefinition.builder("flaky", "flaky").version("2.0.0").step(noop("call").build()).build());

		assertThat(second.resumeAll(WorkflowFilter.all())).isZero();

		assertThat(second.status(failed).orElseThrow().status()).isEqualTo(WorkflowStatus.FAILED);
	}

	@Test
	void refusesBadArgumentsWithAMessageSayingWhatToDo() {
		Orchestrator orchestrator = orchestrator();
		assertThatIllegalArgumentException().isThrownBy(() -> orchestrator.cancelAll(null, "why"))
			.withMessage("filter must not be null; WorkflowFilter.all() matches every instance");
		assertThatIllegalArgumentException().isThrownBy(() -> orchestrator.resumeAll(null))
			.withMessage("filter must not be null; WorkflowFilter.all() matches every instance");
		assertThatIllegalArgumentException().isThrownBy(() -> orchestrator.cancelAll(WorkflowFilter.all(), " "))
			.withMessage("reason must not be blank: say why the instances are cancelled, as their error will");
		assertThatIllegalArgumentException().isThrownBy(() -> orchestrator.cancelAll(WorkflowFilter.all(), null))
			.withMessageStartingWith("reason must not be blank");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> orchestrator.cancelAll(WorkflowFilter.all(), "bad\u0000reason"))
			.withMessageContaining("U+0000");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> orchestrator.cancelAll(
					WorkflowFilter.builder().status(WorkflowStatus.COMPLETED, WorkflowStatus.COMPENSATING).build(),
					"why"))
			.withMessageStartingWith("cancelAll acts on [PENDING, RUNNING, WAITING] instances, but the filter asks "
					+ "for [COMPENSATING, COMPLETED] only");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> orchestrator.resumeAll(WorkflowFilter.builder().status(WorkflowStatus.RUNNING).build()))
			.withMessage("resumeAll acts on [FAILED] instances, but the filter asks for [RUNNING] only: only a FAILED "
					+ "instance can be resumed; others go on by themselves or have nothing left to run; name one "
					+ "of [FAILED], or no state");
	}

	@Test
	void actsOnlyOnTheStatesOfTheFilterThatItCanChange() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(held());
		orchestrator.register(flaky("flaky"));
		List<String> waiting = startHeld(orchestrator, 2, null);
		String failed = orchestrator.startAsync("flaky", null);
		awaitAll(orchestrator, waiting, WorkflowStatus.WAITING);
		awaitAll(orchestrator, List.of(failed), WorkflowStatus.FAILED);

		// FAILED instances cannot be cancelled, WAITING ones need no resumption
		WorkflowFilter both = WorkflowFilter.builder().status(WorkflowStatus.WAITING, WorkflowStatus.FAILED).build();
		assertThat(orchestrator.resumeAll(both)).isEqualTo(1);
		assertThat(orchestrator.cancelAll(both, "stop")).isEqualTo(2);

		awaitAll(orchestrator, waiting, WorkflowStatus.CANCELLED);
	}

	private static WorkflowDefinition held() {
		return WorkflowDefinition.builder("held", "held")
			.step(StepDefinition.awaitSignal("hold", "go").build())
			.build();
	}

	private WorkflowDefinition flaky(String id) {
		return workflow(id, step("call", (context) -> {
			if (this.broken.get()) {
				throw new IllegalStateException("down");
			}
			return Map.of("called", true);
		}));
	}

	private static List<String> startHeld(Orchestrator orchestrator, int count, String businessId) {
		List<String> ids = new ArrayList<>(count);
		Map<String, Object> metadata = (businessId != null) ? Map.of("business_id", businessId) : Map.of();
		for (int i = 0; i < count; i++) {
			ids.add(orchestrator.startAsync("held", null, metadata));
		}
		return ids;
	}

	private static void awaitAll(Orchestrator orchestrator, List<String> ids, WorkflowStatus status) {
		await().atMost(LONG_WAIT)
			.until(() -> ids.stream()
				.map((id) -> orchestrator.status(id).map(WorkflowInstance::status).orElse(null))
				.allMatch((state) -> state == status));
	}

	private long eventsOfType(WorkflowEventType type) {
		return this.events.stream().filter((event) -> event.type() == type).count();
	}

}
