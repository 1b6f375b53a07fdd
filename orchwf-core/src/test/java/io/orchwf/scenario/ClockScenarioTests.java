package io.orchwf.scenario;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.Orchestrator;
import io.orchwf.RetryPolicy;
import io.orchwf.StepDefinition;
import io.orchwf.StepException;
import io.orchwf.StepResult;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.store.StepRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine decides by the clock it is given, not by the wall clock: a timer or a retry
 * backoff of hours fires when that clock says so, and the times stored come from it. A
 * timerUntil's instant and a failure's type are stored, so that another node, after a
 * restart, waits for the same instant and sees the same type.
 */
class ClockScenarioTests extends ScenarioSupport {

	private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

	private final SettableClock clock = new SettableClock(T0);

	@Test
	void aTimerFiresWhenTheEngineClockSaysSoNotTheWallClock() {
		Orchestrator orchestrator = orchestrator((builder) -> builder.clock(this.clock));
		orchestrator.register(
				workflow("nap", StepDefinition.timer("sleep", Duration.ofHours(2)), noop("after").dependsOn("sleep")));
		String id = orchestrator.startAsync("nap", null);
		awaitStatus(orchestrator, id, WorkflowStatus.WAITING);
		// many polls go by in real time; by the engine's clock the timer is not due
		await().during(Duration.ofMillis(400))
			.atMost(Duration.ofSeconds(2))
			.until(() -> orchestrator.status(id).orElseThrow().status() == WorkflowStatus.WAITING);

		this.clock.advance(Duration.ofHours(2));

		WorkflowResult result = orchestrator.awaitCompletion(id, WAIT).orElseThrow();
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		WorkflowInstance instance = result.instance();
		assertThat(instance.createdAt()).isEqualTo(T0);
		assertThat(instance.step("sleep").orElseThrow().completedAt()).hasValue(T0.plus(Duration.ofHours(2)));
		assertThat(instance.completedAt()).hasValue(T0.plus(Duration.ofHours(2)));
		assertThat(this.events).filteredOn((event) -> event.instanceId().equals(id))
			.extracting(WorkflowEvent::timestamp)
			.allSatisfy((at) -> assertThat(at).isIn(T0, T0.plus(Duration.ofHours(2))));
	}

	@Test
	void aRetryBackoffWaitsForTheEngineClock() {
		Orchestrator orchestrator = orchestrator((builder) -> builder.clock(this.clock));
		AtomicInteger attempts = new AtomicInteger();
		orchestrator.register(workflow("flaky", step("call", (context) -> {
			if (attempts.incrementAndGet() == 1) {
				throw new StepException("unavailable", "try again later");
			}
			return Map.of("attempt", context.attempt());
		}).retryPolicy(RetryPolicy.builder()
			.maxAttempts(2)
			.initialInterval(Duration.ofHours(1))
			.maxInterval(Duration.ofHours(1))
			.jitter(0)
			.build())));
		String id = orchestrator.startAsync("flaky", null);
		awaitStatus(orchestrator, id, WorkflowStatus.WAITING);
		await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> attempts.get() == 1);

		this.clock.advance(Duration.ofMinutes(59));
		await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> attempts.get() == 1);
		this.clock.advance(Duration.ofMinutes(1));

		WorkflowResult result = orchestrator.awaitCompletion(id, WAIT).orElseThrow();
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.output()).containsEntry("attempt", 2);
		assertThat(result.instance().step("call").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(result.instance().step("call").orElseThrow().startedAt()).hasValue(T0.plus(Duration.ofHours(1)));
	}

	@Test
	void aRetryDueByTheEngineClockFiresWhileAnotherStepOfTheInstanceStillRuns() throws InterruptedException {
		Orchestrator orchestrator = orchestrator((builder) -> builder.clock(this.clock));
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger attempts = new AtomicInteger();
		orchestrator.register(workflow("parallel", step("slow", (context) -> {
			release.await();
			return Map.of();
		}).async(true), step("flaky", (context) -> {
			if (attempts.incrementAndGet() == 1) {
				throw new StepException("unavailable", "try again later");
			}
			return Map.of();
		}).async(true)
			.retryPolicy(RetryPolicy.builder()
				.maxAttempts(2)
				.initialInterval(Duration.ofHours(1))
				.maxInterval(Duration.ofHours(1))
				.jitter(0)
				.build())));
		String id = orchestrator.startAsync("parallel", null);
		await().atMost(WAIT).until(() -> attempts.get() == 1);
		try {
			// the instance stays with this node while "slow" runs: its retry is armed
			// here,
			// not stored for the poller, and must still follow the engine's clock
			this.clock.advance(Duration.ofHours(1));
			await().atMost(WAIT)
				.until(() -> orchestrator.status(id).orElseThrow().step("flaky").orElseThrow().status(),
						(status) -> status == StepStatus.COMPLETED);
			assertThat(orchestrator.status(id).orElseThrow().step("slow").orElseThrow().status())
				.isEqualTo(StepStatus.RUNNING);
		}
		finally {
			release.countDown();
		}
		assertThat(orchestrator.awaitCompletion(id, WAIT).orElseThrow().status()).isEqualTo(WorkflowStatus.COMPLETED);
	}

	@Test
	void aTimerUntilWaitsOnAnotherNodeForTheInstantComputedWhenItStarted() {
		AtomicInteger calls = new AtomicInteger();
		// a second call would answer ten hours later: a recovery must not make one
		var definition = workflow("window", noop("schedule"),
				StepDefinition
					.timerUntil("window", (context) -> T0.plus(Duration.ofHours(2 + 10L * calls.getAndIncrement())))
					.dependsOn("schedule"),
				noop("deliver").dependsOn("window"));
		Orchestrator first = orchestrator((builder) -> builder.clock(this.clock).nodeId("node-a"));
		first.register(definition);
		String id = first.startAsync("window", null);
		awaitStatus(first, id, WorkflowStatus.WAITING);
		first.close();
		assertThat(storedStep(id, "window").wakeAt()).as("the instant is stored")
			.isEqualTo(T0.plus(Duration.ofHours(2)));

		Orchestrator second = orchestrator((builder) -> builder.clock(this.clock).nodeId("node-b"));
		second.register(definition);
		this.clock.advance(Duration.ofMinutes(119));
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(2))
			.until(() -> second.status(id).orElseThrow().status() == WorkflowStatus.WAITING);
		this.clock.advance(Duration.ofMinutes(1));

		WorkflowResult result = second.awaitCompletion(id, WAIT).orElseThrow();
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.instance().step("window").orElseThrow().completedAt()).hasValue(T0.plus(Duration.ofHours(2)));
		assertThat(calls).as("computed once, when the step started on the first node").hasValue(1);
	}

	@Test
	void aFailuresTypeSurvivesARestartAndAJoinOnAnotherNodeSeesIt() {
		var definition = workflow("recommend", step("recommend", (context) -> {
			throw new StepException("catalog_down", "the catalog is unavailable");
		}).required(false), StepDefinition.timer("cool_off", Duration.ofHours(1)).dependsOn("recommend"),
				step("summary",
						(context) -> Map.of("recommendation",
								context.stepResult("recommend").flatMap(StepResult::errorType).orElse("none")))
					.dependsOn("cool_off"));
		Orchestrator first = orchestrator((builder) -> builder.clock(this.clock).nodeId("node-a"));
		first.register(definition);
		String id = first.startAsync("recommend", null);
		awaitStatus(first, id, WorkflowStatus.WAITING);
		first.close();
		assertThat(storedStep(id, "recommend").errorType()).isEqualTo("catalog_down");

		Orchestrator second = orchestrator((builder) -> builder.clock(this.clock).nodeId("node-b"));
		second.register(definition);
		assertThat(second.status(id).orElseThrow().step("recommend").orElseThrow().errorType())
			.hasValue("catalog_down");
		this.clock.advance(Duration.ofHours(1));

		WorkflowResult result = second.awaitCompletion(id, WAIT).orElseThrow();
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.output()).containsEntry("recommendation", "catalog_down");
		assertThat(result.instance().step("recommend").orElseThrow().error()).hasValue("the catalog is unavailable");
	}

	@Test
	void aRetryWaitKeepsItsTypeAcrossARestartAndTheLastFailureReplacesIt() {
		AtomicInteger attempts = new AtomicInteger();
		var definition = workflow("flaky", step("call", (context) -> {
			if (attempts.incrementAndGet() == 1) {
				throw new StepException("unavailable", "try again later");
			}
			throw new IllegalStateException("gave up");
		}).retryPolicy(RetryPolicy.builder()
			.maxAttempts(2)
			.initialInterval(Duration.ofHours(1))
			.maxInterval(Duration.ofHours(1))
			.jitter(0)
			.build()));
		Orchestrator first = orchestrator((builder) -> builder.clock(this.clock).nodeId("node-a"));
		first.register(definition);
		String id = first.startAsync("flaky", null);
		awaitStatus(first, id, WorkflowStatus.WAITING);
		first.close();
		StepRecord waiting = storedStep(id, "call");
		assertThat(waiting.status()).isEqualTo(StepStatus.WAITING);
		assertThat(waiting.errorType()).isEqualTo("unavailable");

		Orchestrator second = orchestrator((builder) -> builder.clock(this.clock).nodeId("node-b"));
		second.register(definition);
		this.clock.advance(Duration.ofHours(1));

		WorkflowResult result = second.awaitCompletion(id, WAIT).orElseThrow();
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.instance().step("call").orElseThrow().errorType()).hasValue("IllegalStateException");
		assertThat(storedStep(id, "call").errorType()).isEqualTo("IllegalStateException");
	}

	private StepRecord storedStep(String instanceId, String stepId) {
		return this.store.load(instanceId)
			.orElseThrow()
			.steps()
			.stream()
			.filter((step) -> step.stepId().equals(stepId))
			.findFirst()
			.orElseThrow();
	}

	/**
	 * A clock that stands still until a test moves it.
	 */
	static final class SettableClock extends Clock {

		private volatile Instant now;

		SettableClock(Instant now) {
			this.now = now;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException("a test clock is UTC");
		}

	}

}
