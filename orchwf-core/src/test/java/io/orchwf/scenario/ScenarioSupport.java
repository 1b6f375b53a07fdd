package io.orchwf.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import io.orchwf.Orchestrator;
import io.orchwf.StepDefinition;
import io.orchwf.StepExecutor;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.store.StateStore;
import io.orchwf.store.memory.InMemoryStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import static org.awaitility.Awaitility.await;

/**
 * Builds orchestrators with short intervals for scenario tests, records their events, and
 * closes them afterwards.
 */
abstract class ScenarioSupport {

	protected static final Duration WAIT = Duration.ofSeconds(10);

	protected StateStore store;

	protected final List<WorkflowEvent> events = new CopyOnWriteArrayList<>();

	private final List<Orchestrator> orchestrators = new ArrayList<>();

	/**
	 * The store the scenario runs on; subclasses run the same scenarios on other stores.
	 * @return a new, empty store
	 */
	protected StateStore newStore() {
		return new InMemoryStateStore();
	}

	@BeforeEach
	void createStore() {
		this.store = newStore();
	}

	protected Orchestrator orchestrator(UnaryOperator<Orchestrator.Builder> customizer) {
		Orchestrator.Builder builder = Orchestrator.builder(this.store)
			.workers(4)
			.pollInterval(Duration.ofMillis(50))
			.heartbeatInterval(Duration.ofMillis(200))
			.leaseDuration(Duration.ofSeconds(2))
			.shutdownTimeout(Duration.ofSeconds(5))
			.listener(this.events::add);
		Orchestrator orchestrator = customizer.apply(builder).build();
		this.orchestrators.add(orchestrator);
		return orchestrator;
	}

	protected static void awaitStatus(Orchestrator orchestrator, String id, WorkflowStatus status) {
		await().atMost(WAIT).until(() -> orchestrator.status(id).orElseThrow().status() == status);
	}

	protected Orchestrator orchestrator() {
		return orchestrator(UnaryOperator.identity());
	}

	@AfterEach
	void closeOrchestrators() {
		this.orchestrators.forEach(Orchestrator::close);
	}

	/**
	 * Whether an orchestrator has begun to close: it then refuses starts with an
	 * {@link IllegalStateException}.
	 * @param orchestrator the orchestrator
	 * @return {@code true} once {@code close()} began
	 */
	protected static boolean isClosed(Orchestrator orchestrator) {
		try {
			orchestrator.startAsync("no-such-workflow", null);
			return false;
		}
		catch (IllegalStateException ex) {
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	protected static StepDefinition.Builder step(String id, StepExecutor executor) {
		return StepDefinition.builder(id, id, executor);
	}

	protected static StepDefinition.Builder noop(String id) {
		return step(id, (context) -> Map.of(id, true));
	}

	protected static WorkflowDefinition workflow(String id, StepDefinition.Builder... steps) {
		WorkflowDefinition.Builder builder = WorkflowDefinition.builder(id, id);
		for (StepDefinition.Builder step : steps) {
			builder.step(step.build());
		}
		return builder.build();
	}

	protected List<WorkflowEventType> eventTypes(String instanceId) {
		return this.events.stream()
			.filter((event) -> event.instanceId().equals(instanceId))
			.map(WorkflowEvent::type)
			.toList();
	}

	protected List<String> eventsOf(String instanceId, WorkflowEventType type) {
		return this.events.stream()
			.filter((event) -> event.instanceId().equals(instanceId) && event.type() == type)
			.map((event) -> String.valueOf(event.stepId()))
			.toList();
	}

}
