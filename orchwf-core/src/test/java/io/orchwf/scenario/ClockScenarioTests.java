package io.orchwf.scenario;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.Orchestrator;
import io.orchwf.RetryPolicy;
import io.orchwf.StepDefinition;
import io.orchwf.StepException;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine decides by the clock it is given, not by the wall clock: a timer or a retry
 * backoff of hours fires when that clock says so, and the times stored come from it.
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

	private static void awaitStatus(Orchestrator orchestrator, String id, WorkflowStatus status) {
		await().atMost(WAIT).until(() -> orchestrator.status(id).orElseThrow().status() == status);
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
