package io.orchwf.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.orchwf.Orchestrator;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many parked instances signalled at once: the node bounds how many it wakes at a time,
 * but an instance it woke counts only until its wake-up is stored, so that woken steps
 * that run long never hold up the callers signalling others.
 */
class SignalFloodScenarioTests extends ScenarioSupport {

	/** More than the node wakes at once (512). */
	private static final int INSTANCES = 800;

	private final CountDownLatch release = new CountDownLatch(1);

	@AfterEach
	void releaseSteps() {
		this.release.countDown();
	}

	@Test
	void signalsToManyInstancesWhoseWokenStepsRunLongReturnAtOnce() {
		Orchestrator orchestrator = orchestrator((builder) -> builder.workers(2).maxActiveInstances(1000));
		orchestrator.register(WorkflowDefinition.builder("long_after_signal", "Long after a signal")
			.step(StepDefinition.awaitSignal("approval", "approve").build())
			.step(StepDefinition.builder("long", "Long", (context) -> {
				this.release.await(30, TimeUnit.SECONDS);
				return Map.of();
			}).dependsOn("approval").async(true).build())
			.build());
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < INSTANCES; i++) {
			ids.add(orchestrator.startAsync("long_after_signal", Map.of("i", i)));
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> ids.stream()
				.allMatch((id) -> orchestrator.status(id)
					.map((instance) -> instance.status() == WorkflowStatus.WAITING)
					.orElse(false)));

		long started = System.nanoTime();
		for (String id : ids) {
			orchestrator.signal(id, "approve", Map.of());
		}

		// the woken steps all still run or wait for a worker: none of them held a caller
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
		this.release.countDown();
		for (String id : ids) {
			assertThat(orchestrator.awaitCompletion(id, WAIT).map(WorkflowResult::status)).as(id)
				.contains(WorkflowStatus.COMPLETED);
		}
	}

}
