package io.orchwf.scenario;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.orchwf.Orchestrator;
import io.orchwf.RetryPolicy;
import io.orchwf.StepDefinition;
import io.orchwf.StepInstance;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A step's duration is one figure: the stored step's ({@link StepInstance#duration()})
 * and the {@code durationMs} of the event that ended it agree, for every kind of step;
 * and for a step that runs code it is the time the code took, from when it began, not
 * from when the attempt was launched.
 */
class StepDurationScenarioTests extends ScenarioSupport {

	@Test
	void aStepThatWaitsForAWorkerCountsOnlyTheTimeItsCodeTakes() {
		Orchestrator orchestrator = orchestrator((builder) -> builder.workers(1));
		orchestrator.register(workflow("busy", step("slow", (context) -> {
			Thread.sleep(300);
			return Map.of();
		}).async(true).priority(10), noop("quick").async(true)));

		WorkflowResult result = orchestrator.start("busy", null);

		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		List<WorkflowEvent> history = orchestrator.history(result.instanceId());
		StepInstance quick = result.instance().step("quick").orElseThrow();
		StepInstance slow = result.instance().step("slow").orElseThrow();
		// quick was launched with slow, and waited for the only worker while slow ran
		Instant launched = last(history, "quick", WorkflowEventType.STEP_STARTED).timestamp();
		assertThat(Duration.between(launched, quick.startedAt().orElseThrow())).isGreaterThan(Duration.ofMillis(250));
		assertThat(quick.duration()).isLessThan(Duration.ofMillis(250));
		assertThat(slow.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		for (StepInstance step : List.of(quick, slow)) {
			assertThat(durationMs(last(history, step.stepId(), WorkflowEventType.STEP_COMPLETED))).as(step.stepId())
				.isEqualTo(step.duration().toMillis());
		}
	}

	@Test
	void everyKindOfStepStoresTheDurationItsEndEventCarries() {
		// a clock that moves on at every look, so that no two instants are the same
		Orchestrator orchestrator = orchestrator((builder) -> builder.clock(new TickingClock(Duration.ofMillis(3))));
		orchestrator.register(workflow("kinds", noop("validate"), step("charge", (context) -> {
			if (context.attempt() == 1) {
				throw new IllegalStateException("declined");
			}
			return Map.of();
		}).retryPolicy(RetryPolicy.builder().maxAttempts(2).initialInterval(Duration.ZERO).build())
			.dependsOn("validate"), StepDefinition.awaitSignal("approval", "approve").dependsOn("validate"),
				StepDefinition
					.forEach("lines", "lines", "lines", (context) -> Map.of("line", context.get("item", Object.class)))
					.dependsOn("validate"),
				step("notify", (context) -> {
					throw new IllegalStateException("smtp down");
				}).required(false).dependsOn("validate"),
				StepDefinition.childWorkflow("child", "leaf").dependsOn("validate")));
		orchestrator.register(workflow("leaf", noop("leaf_step")));

		String id = orchestrator.startAsync("kinds", Map.of("lines", List.of("a", "b", "c")));
		await().atMost(WAIT)
			.until(() -> orchestrator.status(id)
				.flatMap((instance) -> instance.step("approval"))
				.map((step) -> step.status() == io.orchwf.StepStatus.WAITING)
				.orElse(false));
		orchestrator.signal(id, "approve", Map.of("by", "ann"));
		WorkflowInstance instance = orchestrator.awaitCompletion(id, WAIT).orElseThrow().instance();

		assertThat(instance.status()).isEqualTo(WorkflowStatus.COMPLETED);
		List<WorkflowEvent> history = orchestrator.history(id);
		assertThat(instance.steps()).hasSize(6).allSatisfy((step) -> {
			WorkflowEventType end = (step.stepId().equals("notify")) ? WorkflowEventType.STEP_FAILED
					: WorkflowEventType.STEP_COMPLETED;
			assertThat(step.duration()).as(step.stepId()).isPositive();
			assertThat(durationMs(last(history, step.stepId(), end))).as(step.stepId())
				.isEqualTo(step.duration().toMillis());
		});
		// the retried step's figure is its last attempt's; the first one's is on its own
		// event
		assertThat(durationMs(last(history, "charge", WorkflowEventType.STEP_RETRYING))).isPositive();
	}

	private static WorkflowEvent last(List<WorkflowEvent> history, String stepId, WorkflowEventType type) {
		return history.stream()
			.filter((event) -> event.type() == type && stepId.equals(event.stepId()))
			.reduce((first, second) -> second)
			.orElseThrow(() -> new AssertionError("no " + type + " of step " + stepId + " in " + history));
	}

	private static long durationMs(WorkflowEvent event) {
		return ((Number) event.data().get("durationMs")).longValue();
	}

	/**
	 * A clock that moves on by a fixed step each time it is read.
	 */
	static final class TickingClock extends Clock {

		private final AtomicLong nanos = new AtomicLong(
				Instant.parse("2030-01-01T00:00:00Z").getEpochSecond() * 1_000_000_000L);

		private final long tick;

		TickingClock(Duration tick) {
			this.tick = tick.toNanos();
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return Instant.ofEpochSecond(0, this.nanos.addAndGet(this.tick));
		}

	}

}
