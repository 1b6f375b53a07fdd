package io.orchwf.acceptance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import io.orchwf.Orchestrator;
import io.orchwf.StepInstance;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.store.StateStore;
import io.orchwf.store.memory.InMemoryStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shared helpers of the acceptance tests of waiting workflows (signals, timers, forEach,
 * child workflows): the store is pluggable through {@link #newStore()}, so that a
 * {@code Postgres...} subclass runs the same tests on PostgreSQL. Every test gets one
 * fresh store, {@link #store}; every orchestrator built by {@link #node} runs on it (as
 * nodes share a database) and is closed after the test.
 */
abstract class WaitingAcceptanceSupport extends AcceptanceSupport {

	/** How long a test waits for an outcome; generous, as PostgreSQL runs these too. */
	static final Duration LONG_WAIT = Duration.ofSeconds(10);

	/** The store of the current test, shared by every node the test builds. */
	protected StateStore store;

	private final List<Orchestrator> nodes = new ArrayList<>();

	/**
	 * The store the tests run on; subclasses run the same tests on other stores.
	 * @return a new, empty store
	 */
	protected StateStore newStore() {
		return new InMemoryStateStore();
	}

	@BeforeEach
	void createStore() {
		this.store = newStore();
	}

	@AfterEach
	void closeNodes() {
		for (Orchestrator node : this.nodes) {
			try {
				node.close();
			}
			catch (RuntimeException ex) {
				// keep closing the others
			}
		}
		this.nodes.clear();
	}

	/**
	 * A running orchestrator on this test's {@link #store}.
	 */
	Orchestrator node() {
		return node((builder) -> {
		});
	}

	/**
	 * A running orchestrator on this test's {@link #store}, customized.
	 */
	Orchestrator node(Consumer<Orchestrator.Builder> customizer) {
		return orchestratorOn(this.store, customizer);
	}

	/**
	 * A running orchestrator on an arbitrary store, with short intervals (a lost node's
	 * instances are taken over within about two seconds), recording every event in
	 * {@link #events}; closed after the test.
	 */
	Orchestrator orchestratorOn(StateStore store, Consumer<Orchestrator.Builder> customizer) {
		Orchestrator.Builder builder = Orchestrator.builder(store)
			.pollInterval(Duration.ofMillis(25))
			.heartbeatInterval(Duration.ofMillis(300))
			.leaseDuration(Duration.ofSeconds(2))
			.shutdownTimeout(Duration.ofSeconds(2))
			.listener(this.events::add);
		customizer.accept(builder);
		Orchestrator orchestrator = builder.build();
		this.nodes.add(orchestrator);
		return orchestrator;
	}

	static WorkflowResult finish(Orchestrator orchestrator, String instanceId) {
		return orchestrator.awaitCompletion(instanceId, LONG_WAIT)
			.orElseThrow(() -> new AssertionError("instance " + instanceId + " did not finish within " + LONG_WAIT
					+ "; status: " + orchestrator.status(instanceId)));
	}

	static WorkflowInstance instance(Orchestrator orchestrator, String instanceId) {
		return orchestrator.status(instanceId)
			.orElseThrow(() -> new AssertionError("no instance " + instanceId + " in the store"));
	}

	static StepInstance stepOf(WorkflowInstance instance, String stepId) {
		return instance.step(stepId)
			.orElseThrow(() -> new AssertionError(
					"instance " + instance.id() + " has no step " + stepId + ": " + instance.steps()));
	}

	static Optional<StepStatus> stepStatus(Orchestrator orchestrator, String instanceId, String stepId) {
		return orchestrator.status(instanceId).flatMap((instance) -> instance.step(stepId)).map(StepInstance::status);
	}

	/**
	 * Wait until the instance is {@link WorkflowStatus#WAITING} and the given step is
	 * {@link StepStatus#WAITING}.
	 */
	static WorkflowInstance awaitWaiting(Orchestrator orchestrator, String instanceId, String stepId) {
		await().atMost(LONG_WAIT).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
			WorkflowInstance instance = instance(orchestrator, instanceId);
			assertThat(instance.status()).as("status of instance %s", instanceId).isEqualTo(WorkflowStatus.WAITING);
			assertThat(stepOf(instance, stepId).status()).as("status of step %s", stepId).isEqualTo(StepStatus.WAITING);
		});
		return instance(orchestrator, instanceId);
	}

	/**
	 * Wait until the given step is {@link StepStatus#WAITING}, whatever the instance does
	 * meanwhile.
	 */
	static void awaitStepWaiting(Orchestrator orchestrator, String instanceId, String stepId) {
		await().atMost(LONG_WAIT)
			.pollInterval(Duration.ofMillis(10))
			.untilAsserted(
					() -> assertThat(stepStatus(orchestrator, instanceId, stepId)).as("status of step %s", stepId)
						.contains(StepStatus.WAITING));
	}

	/**
	 * The instances of a workflow, newest first.
	 */
	static List<WorkflowInstance> instancesOf(Orchestrator orchestrator, String workflowId) {
		return orchestrator.list(WorkflowFilter.builder().workflowId(workflowId).build(), 100, 0).items();
	}

	/**
	 * The one instance of a workflow (a child), once it exists.
	 */
	static WorkflowInstance awaitOnlyInstanceOf(Orchestrator orchestrator, String workflowId) {
		await().atMost(LONG_WAIT)
			.pollInterval(Duration.ofMillis(10))
			.untilAsserted(() -> assertThat(instancesOf(orchestrator, workflowId)).hasSize(1));
		return instancesOf(orchestrator, workflowId).get(0);
	}

	/**
	 * The recorded events of one instance and one type.
	 */
	List<WorkflowEvent> eventsOf(String instanceId, WorkflowEventType type) {
		return this.events.stream().filter((e) -> e.instanceId().equals(instanceId) && e.type() == type).toList();
	}

	static int intOf(Object value) {
		return ((Number) value).intValue();
	}

}
