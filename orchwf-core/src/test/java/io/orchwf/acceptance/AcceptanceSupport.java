package io.orchwf.acceptance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.orchwf.Orchestrator;
import io.orchwf.RetryPolicy;
import io.orchwf.StepDefinition;
import io.orchwf.StepExecutor;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowResult;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.store.memory.InMemoryStateStore;
import org.junit.jupiter.api.AfterEach;

/**
 * Shared helpers of the acceptance suite: orchestrators created here are closed after
 * each test.
 */
abstract class AcceptanceSupport {

	static final Duration WAIT = Duration.ofSeconds(5);

	private final List<Orchestrator> orchestrators = new ArrayList<>();

	final List<WorkflowEvent> events = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeOrchestrators() {
		for (Orchestrator orchestrator : this.orchestrators) {
			try {
				orchestrator.close();
			}
			catch (RuntimeException ex) {
				// keep closing the others
			}
		}
		this.orchestrators.clear();
	}

	/**
	 * A running orchestrator on a fresh in-memory store recording every event in
	 * {@link #events}.
	 */
	Orchestrator orchestrator() {
		return orchestrator((builder) -> {
		});
	}

	Orchestrator orchestrator(Consumer<Orchestrator.Builder> customizer) {
		return orchestrator(new InMemoryStateStore(), customizer);
	}

	Orchestrator orchestrator(InMemoryStateStore store, Consumer<Orchestrator.Builder> customizer) {
		Orchestrator.Builder builder = Orchestrator.builder(store)
			.pollInterval(Duration.ofMillis(20))
			.shutdownTimeout(Duration.ofSeconds(2))
			.listener(this.events::add);
		customizer.accept(builder);
		Orchestrator orchestrator = builder.build();
		this.orchestrators.add(orchestrator);
		return orchestrator;
	}

	static StepDefinition.Builder step(String id, StepExecutor executor) {
		return StepDefinition.builder(id, "Step " + id, executor);
	}

	static StepDefinition.Builder step(String id) {
		return step(id, (ctx) -> Map.of());
	}

	static WorkflowDefinition workflow(String id, StepDefinition.Builder... steps) {
		WorkflowDefinition.Builder builder = WorkflowDefinition.builder(id, "Workflow " + id);
		for (StepDefinition.Builder step : steps) {
			builder.step(step.build());
		}
		return builder.build();
	}

	static RetryPolicy fastRetries(int maxAttempts) {
		return RetryPolicy.builder()
			.maxAttempts(maxAttempts)
			.initialInterval(Duration.ofMillis(10))
			.multiplier(1.0)
			.maxInterval(Duration.ofMillis(10))
			.build();
	}

	static WorkflowResult awaitResult(Orchestrator orchestrator, String instanceId) {
		return orchestrator.awaitCompletion(instanceId, WAIT)
			.orElseThrow(() -> new AssertionError("instance " + instanceId + " did not finish within " + WAIT
					+ "; status: " + orchestrator.status(instanceId)));
	}

	static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

}
