package io.orchwf.acceptance;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.orchwf.Orchestrator;
import io.orchwf.StepDefinition;
import io.orchwf.StepException;
import io.orchwf.StepResult;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract, "Defining workflows" ({@code StepDefinition.timer}) and "Semantics /
 * Waiting", "Semantics / Cancel", with the javadoc of {@link StepDefinition#timer}: a
 * timer is a sleep that completes with an empty output once its duration has passed since
 * the step became ready; a sleeping workflow is WAITING, its step WAITING, and it holds
 * no thread; cancelling it ends it CANCELLED with compensation, and the steps after the
 * timer never run. {@link StepDefinition#timerUntil} sleeps until the instant its
 * function computes from the step's context when the step starts; one that has passed
 * completes it at once, and a function that throws or answers null fails it. (Timers
 * across restarts: WaitingDurabilityAcceptanceTests and the clock scenarios.)
 */
class TimerAcceptanceTests extends WaitingAcceptanceSupport {

	private final AtomicLong beforeDone = new AtomicLong();

	private final AtomicLong afterStarted = new AtomicLong();

	private final AtomicInteger afterRuns = new AtomicInteger();

	private StepDefinition.Builder before() {
		return step("before", (ctx) -> {
			this.beforeDone.set(System.nanoTime());
			return Map.of("before", true);
		});
	}

	private StepDefinition.Builder after() {
		return step("after", (ctx) -> {
			this.afterStarted.set(System.nanoTime());
			this.afterRuns.incrementAndGet();
			return Map.of("after", true);
		}).dependsOn("sleep");
	}

	@Test
	void aTimerCompletesWithAnEmptyOutputOnceItsDurationHasPassed() {
		Orchestrator orchestrator = node();
		orchestrator.register(workflow("sleeper", before(),
				StepDefinition.timer("sleep", Duration.ofMillis(400)).dependsOn("before"), after()));
		String id = orchestrator.startAsync("sleeper", Map.of("order_id", "o-1"));
		WorkflowResult result = finish(orchestrator, id);

		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(stepOf(result.instance(), "sleep").status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(stepOf(result.instance(), "sleep").output()).isEmpty();
		assertThat(result.output()).containsEntry("before", true)
			.containsEntry("after", true)
			.containsEntry("order_id", "o-1");
		assertThat(this.afterRuns.get()).isEqualTo(1);
		// the timer became ready after "before" finished; "after" could start only once
		// the duration had passed (a few ms of slack for stored timestamps' precision)
		assertThat(Duration.ofNanos(this.afterStarted.get() - this.beforeDone.get()))
			.isGreaterThanOrEqualTo(Duration.ofMillis(390));
		await().atMost(LONG_WAIT)
			.untilAsserted(
					() -> assertThat(eventsOf(id, WorkflowEventType.STEP_COMPLETED)).extracting(WorkflowEvent::stepId)
						.contains("before", "sleep", "after"));
	}

	@Test
	void aSleepingWorkflowIsWaitingAndHoldsNoThread() {
		Orchestrator orchestrator = node();
		orchestrator.register(workflow("nap", before(),
				StepDefinition.timer("sleep", Duration.ofMillis(1500)).dependsOn("before"), after()));
		String id = orchestrator.startAsync("nap", Map.of());
		WorkflowInstance waiting = awaitWaiting(orchestrator, id, "sleep");
		assertThat(stepOf(waiting, "before").status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(stepOf(waiting, "after").status()).isEqualTo(StepStatus.PENDING);
		await().atMost(LONG_WAIT).until(() -> orchestrator.activeInstances() == 0 && orchestrator.busyWorkers() == 0);
		assertThat(this.afterRuns.get()).isZero();

		WorkflowResult result = finish(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(this.afterRuns.get()).isEqualTo(1);
	}

	@Test
	void manyTimersFireWithoutHoldingTheWorkers() {
		// with one worker, 40 timers of 500 ms would take 20 s if each held a thread
		int count = 40;
		Orchestrator orchestrator = node((builder) -> builder.workers(1));
		orchestrator.register(workflow("many", StepDefinition.timer("sleep", Duration.ofMillis(500)),
				step("after", (ctx) -> Map.of("i", ctx.input().get("i"))).dependsOn("sleep")));
		List<String> ids = new ArrayList<>();
		long started = System.nanoTime();
		for (int i = 0; i < count; i++) {
			ids.add(orchestrator.startAsync("many", Map.of("i", i)));
		}
		for (int i = 0; i < count; i++) {
			Duration left = Duration.ofSeconds(10).minusNanos(System.nanoTime() - started);
			WorkflowResult result = orchestrator.awaitCompletion(ids.get(i), left.isNegative() ? Duration.ZERO : left)
				.orElseThrow(() -> new AssertionError("the timers did not all fire within 10 s"));
			assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
			assertThat(result.output()).containsEntry("i", i);
		}
	}

	@Test
	void parallelTimersSleepSideBySide() {
		Orchestrator orchestrator = node();
		orchestrator.register(
				workflow("twins", before(), StepDefinition.timer("short", Duration.ofMillis(200)).dependsOn("before"),
						StepDefinition.timer("long", Duration.ofMillis(600)).dependsOn("before"),
						step("sleep", (ctx) -> Map.of()).dependsOn("short", "long"), after()));
		String id = orchestrator.startAsync("twins", Map.of());
		// the short one fires while the long one still sleeps
		await().atMost(LONG_WAIT).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
			WorkflowInstance instance = instance(orchestrator, id);
			assertThat(stepOf(instance, "short").status()).isEqualTo(StepStatus.COMPLETED);
			assertThat(stepOf(instance, "long").status()).isEqualTo(StepStatus.WAITING);
		});
		WorkflowResult result = finish(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(Duration.ofNanos(this.afterStarted.get() - this.beforeDone.get()))
			.isGreaterThanOrEqualTo(Duration.ofMillis(590));
	}

	@Test
	void aTimerUntilSleepsUntilTheInstantItsFunctionComputesFromTheStepsContext() {
		List<StepResult> seen = new CopyOnWriteArrayList<>();
		Orchestrator orchestrator = node();
		orchestrator.register(workflow("window", step("before", (ctx) -> {
			this.beforeDone.set(System.nanoTime());
			return Map.of("opens_at", Instant.now().plusMillis(400).truncatedTo(ChronoUnit.MILLIS).toString());
		}), StepDefinition.timerUntil("sleep", (ctx) -> {
			seen.add(ctx.stepResult("before").orElseThrow());
			return Instant.parse((String) ctx.input().get("opens_at"));
		}).dependsOn("before"), after()));
		String id = orchestrator.startAsync("window", Map.of());
		WorkflowInstance waiting = awaitWaiting(orchestrator, id, "sleep");
		assertThat(stepOf(waiting, "after").status()).isEqualTo(StepStatus.PENDING);

		WorkflowResult result = finish(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(stepOf(result.instance(), "sleep").output()).isEmpty();
		assertThat(Duration.ofNanos(this.afterStarted.get() - this.beforeDone.get()))
			.isGreaterThanOrEqualTo(Duration.ofMillis(390));
		assertThat(seen).singleElement().satisfies((before) -> assertThat(before.completed()).isTrue());
		String opensAt = (String) result.output().get("opens_at");
		assertThat(eventsOf(id, WorkflowEventType.STEP_STARTED)).filteredOn((event) -> "sleep".equals(event.stepId()))
			.singleElement()
			.satisfies((event) -> assertThat(event.data()).containsEntry("until", opensAt));
	}

	@Test
	void aTimerUntilAnInstantThatHasPassedCompletesAtOnce() {
		Orchestrator orchestrator = node();
		orchestrator.register(workflow("overdue", before(),
				StepDefinition.timerUntil("sleep", (ctx) -> Instant.parse("2001-02-03T04:05:06Z")).dependsOn("before"),
				after()));
		WorkflowResult result = orchestrator.start("overdue", Map.of());
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(stepOf(result.instance(), "sleep").status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(Duration.ofNanos(this.afterStarted.get() - this.beforeDone.get())).isLessThan(Duration.ofSeconds(2));
	}

	@Test
	void aTimerUntilFunctionThatThrowsOrAnswersNullFailsTheStepWithoutRetry() {
		Orchestrator orchestrator = node();
		orchestrator.register(workflow("no_window", StepDefinition.timerUntil("sleep", (ctx) -> {
			throw new StepException("no_window", "no delivery window");
		}).retryPolicy(fastRetries(3)), after()));
		orchestrator.register(workflow("null_window", StepDefinition.timerUntil("sleep", (ctx) -> null), after()));

		WorkflowResult threw = orchestrator.start("no_window", Map.of());
		assertThat(threw.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(threw.error())
			.hasValue("step sleep failed after 1 attempt: the until function of timer step sleep threw: "
					+ "no delivery window");
		assertThat(stepOf(threw.instance(), "sleep").errorType()).hasValue("no_window");

		WorkflowResult answeredNull = orchestrator.start("null_window", Map.of());
		assertThat(answeredNull.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(stepOf(answeredNull.instance(), "sleep").errorType()).hasValue("invalid_timer");
		assertThat(stepOf(answeredNull.instance(), "sleep").error()).hasValueSatisfying((error) -> assertThat(error)
			.contains("returned null; it must return the Instant the step waits until"));
		assertThat(this.afterRuns.get()).isZero();
	}

	@Test
	void cancellingASleepingWorkflowCompensatesAndTheRestNeverRuns() {
		List<String> compensated = new CopyOnWriteArrayList<>();
		Orchestrator orchestrator = node();
		orchestrator.register(workflow("cancel-sleep", before().compensateWith((ctx) -> compensated.add("before")),
				StepDefinition.timer("sleep", Duration.ofMillis(800)).dependsOn("before"), after()));
		String id = orchestrator.startAsync("cancel-sleep", Map.of());
		awaitWaiting(orchestrator, id, "sleep");

		WorkflowResult cancelled = orchestrator.cancel(id, "not any more");
		if (!cancelled.status().isTerminal()) {
			cancelled = finish(orchestrator, id);
		}
		assertThat(cancelled.status()).isEqualTo(WorkflowStatus.CANCELLED);
		assertThat(compensated).containsExactly("before");
		assertThat(stepOf(cancelled.instance(), "before").status()).isEqualTo(StepStatus.COMPENSATED);
		assertThat(stepOf(cancelled.instance(), "sleep").status()).isNotIn(StepStatus.COMPLETED, StepStatus.WAITING);
		// well past the timer's due time: nothing woke up
		await().during(Duration.ofMillis(1200))
			.atMost(Duration.ofSeconds(4))
			.until(() -> this.afterRuns.get() == 0 && instance(orchestrator, id).status() == WorkflowStatus.CANCELLED);
	}

}
