package io.orchwf.spring.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.orchwf.StepInstance;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.spring.dashboard.Attempts.Attempt;
import io.orchwf.spring.dashboard.Attempts.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Attempts}: the step attempts read from an instance's history.
 */
class AttemptsTests {

	private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

	@Test
	void pairsEachStartWithTheEndOfTheSameAttempt() {
		List<WorkflowEvent> history = List.of(event(WorkflowEventType.WORKFLOW_STARTED, null, 0, 0, Map.of()),
				event(WorkflowEventType.STEP_STARTED, "charge", 1, 10, Map.of()),
				event(WorkflowEventType.STEP_RETRYING, "charge", 1, 40,
						Map.of("error", "busy", "errorType", "gateway_busy", "delayMs", 100)),
				event(WorkflowEventType.STEP_STARTED, "charge", 2, 140, Map.of()),
				event(WorkflowEventType.STEP_COMPLETED, "charge", 2, 150, Map.of("durationMs", 10)));
		List<Attempt> attempts = Attempts.of(instance(WorkflowStatus.COMPLETED, StepStatus.COMPLETED), history,
				T0.plusSeconds(60));
		assertThat(attempts).extracting(Attempt::number, Attempt::outcome, Attempt::errorType)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(1, Outcome.RETRYING, "gateway_busy"),
					org.assertj.core.groups.Tuple.tuple(2, Outcome.COMPLETED, null));
		assertThat(attempts.get(0).duration()).isEqualTo(Duration.ofMillis(30));
		assertThat(attempts.get(1).start()).isEqualTo(T0.plusMillis(140));
	}

	@Test
	void endsAnOpenAttemptNowWhileItRuns() {
		List<WorkflowEvent> history = List.of(event(WorkflowEventType.STEP_STARTED, "charge", 1, 10, Map.of()));
		Instant now = T0.plusMillis(500);
		List<Attempt> attempts = Attempts.of(instance(WorkflowStatus.RUNNING, StepStatus.RUNNING), history, now);
		assertThat(attempts).singleElement().satisfies((attempt) -> {
			assertThat(attempt.outcome()).isEqualTo(Outcome.RUNNING);
			assertThat(attempt.end()).isEqualTo(now);
		});
		assertThat(Attempts.of(instance(WorkflowStatus.WAITING, StepStatus.WAITING), history, now))
			.extracting(Attempt::outcome)
			.containsExactly(Outcome.WAITING);
	}

	@Test
	void marksAnAttemptThatNeverEndedInAnEndedInstanceInterrupted() {
		List<WorkflowEvent> history = List.of(event(WorkflowEventType.STEP_STARTED, "charge", 1, 10, Map.of()),
				event(WorkflowEventType.WORKFLOW_CANCELLED, null, 0, 90, Map.of("reason", "why")));
		assertThat(Attempts.of(instance(WorkflowStatus.CANCELLED, StepStatus.FAILED), history, T0.plusSeconds(9)))
			.extracting(Attempt::outcome)
			.containsExactly(Outcome.INTERRUPTED);
	}

	@Test
	void listsCompensationsWithTheirDuration() {
		List<WorkflowEvent> history = List.of(event(WorkflowEventType.STEP_STARTED, "charge", 1, 10, Map.of()),
				event(WorkflowEventType.STEP_COMPLETED, "charge", 1, 20, Map.of("durationMs", 10)),
				event(WorkflowEventType.STEP_COMPENSATED, "charge", 1, 95, Map.of("durationMs", 5)));
		List<Attempt> attempts = Attempts.of(instance(WorkflowStatus.FAILED, StepStatus.COMPENSATED), history,
				T0.plusSeconds(9));
		assertThat(attempts).extracting(Attempt::outcome).containsExactly(Outcome.COMPLETED, Outcome.COMPENSATED);
		assertThat(attempts.get(1).start()).isEqualTo(T0.plusMillis(90));
	}

	private static WorkflowEvent event(WorkflowEventType type, String stepId, int attempt, long millis,
			Map<String, Object> data) {
		return new WorkflowEvent(type, "i-1", "orders", stepId, attempt, T0.plusMillis(millis), data);
	}

	private static WorkflowInstance instance(WorkflowStatus status, StepStatus stepStatus) {
		StepInstance step = new StepInstance("charge", stepStatus, Map.of(), Optional.empty(), Optional.empty(), 1,
				Optional.of(T0), Optional.empty());
		return new WorkflowInstance("i-1", "orders", "1.0.0", status, Map.of(), Map.of(), Optional.empty(),
				List.of(step), Map.of(), "t", "c", null, T0, T0,
				status.isTerminal() ? Optional.of(T0.plusMillis(100)) : Optional.empty());
	}

}
