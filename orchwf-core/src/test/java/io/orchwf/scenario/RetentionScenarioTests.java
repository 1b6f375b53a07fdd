package io.orchwf.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.orchwf.NonRetryableStepException;
import io.orchwf.Orchestrator;
import io.orchwf.Retention;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.OrchestratorListener;
import io.orchwf.scenario.ClockScenarioTests.SettableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Finished instances are deleted once their kind's retention has passed by the engine's
 * clock, with their history and signals; a kind left unset and unfinished instances are
 * kept, however old; without a retention nothing is deleted.
 */
class RetentionScenarioTests extends ScenarioSupport {

	private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

	private final SettableClock clock = new SettableClock(T0);

	private final List<String> deletions = new CopyOnWriteArrayList<>();

	@Test
	void deletesEachKindOnceItsRetentionHasPassedAndKeepsTheRest() {
		Orchestrator orchestrator = orchestrator((builder) -> builder.clock(this.clock)
			.retention(Retention.builder()
				.completed(Duration.ofDays(7))
				.failed(Duration.ofDays(30))
				.checkEvery(Duration.ofMillis(50))
				.build())
			.orchestratorListener(new OrchestratorListener() {
				@Override
				public void instancesDeleted(WorkflowStatus status, int count) {
					RetentionScenarioTests.this.deletions.add(status + ":" + count);
				}
			}));
		register(orchestrator);
		String completed = orchestrator.startAsync("ok", null);
		String alsoCompleted = orchestrator.startAsync("approval", null);
		String failed = orchestrator.startAsync("boom", null);
		String cancelled = orchestrator.startAsync("approval", null);
		String waiting = orchestrator.startAsync("approval", null);
		awaitStatus(orchestrator, alsoCompleted, WorkflowStatus.WAITING);
		orchestrator.signal(alsoCompleted, "approve", Map.of("by", "ann"));
		awaitStatus(orchestrator, completed, WorkflowStatus.COMPLETED);
		awaitStatus(orchestrator, alsoCompleted, WorkflowStatus.COMPLETED);
		assertThat(this.store.signals(alsoCompleted)).hasSize(1);
		awaitStatus(orchestrator, failed, WorkflowStatus.FAILED);
		awaitStatus(orchestrator, cancelled, WorkflowStatus.WAITING);
		awaitStatus(orchestrator, waiting, WorkflowStatus.WAITING);
		orchestrator.cancel(cancelled, "not needed");

		this.clock.advance(Duration.ofDays(7).minusSeconds(1));
		await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> exists(orchestrator, completed));

		this.clock.advance(Duration.ofSeconds(2));
		await().atMost(WAIT).until(() -> !exists(orchestrator, completed) && !exists(orchestrator, alsoCompleted));
		assertThat(this.store.signals(alsoCompleted)).isEmpty();
		assertThat(this.store.history(completed)).isEmpty();
		assertThat(exists(orchestrator, failed)).as("failed instances are kept for 30 days").isTrue();

		this.clock.advance(Duration.ofDays(30));
		await().atMost(WAIT).until(() -> !exists(orchestrator, failed));
		this.clock.advance(Duration.ofDays(3650));
		await().during(Duration.ofMillis(300))
			.atMost(WAIT)
			.until(() -> exists(orchestrator, cancelled) && exists(orchestrator, waiting));
		assertThat(orchestrator.status(waiting).orElseThrow().status()).isEqualTo(WorkflowStatus.WAITING);
		assertThat(this.deletions).containsExactly("COMPLETED:2", "FAILED:1");
	}

	@Test
	void deletesNothingWithoutARetention() {
		Orchestrator orchestrator = orchestrator((builder) -> builder.clock(this.clock));
		register(orchestrator);
		String completed = orchestrator.startAsync("ok", null);
		awaitStatus(orchestrator, completed, WorkflowStatus.COMPLETED);
		this.clock.advance(Duration.ofDays(3650));
		await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> exists(orchestrator, completed));
	}

	private static void register(Orchestrator orchestrator) {
		orchestrator.register(workflow("ok", noop("only")));
		orchestrator.register(workflow("boom", step("only", (context) -> {
			throw new NonRetryableStepException("broken", "always fails");
		})));
		orchestrator.register(
				workflow("approval", StepDefinition.awaitSignal("wait", "approve"), noop("after").dependsOn("wait")));
	}

	private static boolean exists(Orchestrator orchestrator, String id) {
		return orchestrator.status(id).isPresent();
	}

}
