package io.orchwf.store.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.orchwf.InstanceNotFoundException;
import io.orchwf.Orchestrator;
import io.orchwf.StartOptions;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The in-memory store keeps only the most recently finished instances, never an
 * unfinished one, and a caller waiting for an instance gets its result even when the
 * store has forgotten it by then.
 */
class InMemoryStateStoreRetentionTests {

	private final List<Orchestrator> orchestrators = new ArrayList<>();

	@AfterEach
	void close() {
		this.orchestrators.forEach(Orchestrator::close);
	}

	private Orchestrator orchestrator(InMemoryStateStore store) {
		Orchestrator orchestrator = Orchestrator.builder(store).pollInterval(Duration.ofMillis(50)).build();
		this.orchestrators.add(orchestrator);
		orchestrator.register(WorkflowDefinition.builder("echo", "echo")
			.step(StepDefinition.builder("echo", "echo", (context) -> Map.of("n", context.input().get("n"))).build())
			.build());
		orchestrator.register(WorkflowDefinition.builder("parked", "parked")
			.step(StepDefinition.awaitSignal("go", "go").build())
			.build());
		return orchestrator;
	}

	@Test
	void keepsTheMostRecentlyFinishedInstancesAndForgetsOlderOnes() {
		InMemoryStateStore store = new InMemoryStateStore(3);
		Orchestrator orchestrator = orchestrator(store);
		List<String> ids = new ArrayList<>();
		for (int n = 0; n < 5; n++) {
			ids.add(orchestrator.start("echo", Map.of("n", n)).instance().id());
		}
		assertThat(store.size()).isEqualTo(3);
		assertThat(orchestrator.status(ids.get(0))).isEmpty();
		assertThat(orchestrator.status(ids.get(1))).isEmpty();
		assertThatExceptionOfType(InstanceNotFoundException.class).isThrownBy(() -> orchestrator.history(ids.get(1)));
		for (int n = 2; n < 5; n++) {
			assertThat(orchestrator.status(ids.get(n))).hasValueSatisfying(
					(instance) -> assertThat(instance.output()).containsEntry("n", instance.input().get("n")));
		}
		assertThat(orchestrator.list(WorkflowFilter.builder().workflowId("echo").build(), 10, 0).total()).isEqualTo(3);
	}

	@Test
	void neverForgetsAnUnfinishedInstance() {
		InMemoryStateStore store = new InMemoryStateStore(0);
		Orchestrator orchestrator = orchestrator(store);
		String parked = orchestrator.startAsync("parked", Map.of());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> orchestrator.status(parked)
				.map((instance) -> instance.status() == WorkflowStatus.WAITING)
				.orElse(false));
		for (int n = 0; n < 3; n++) {
			orchestrator.start("echo", Map.of("n", n));
		}
		assertThat(orchestrator.status(parked))
			.hasValueSatisfying((instance) -> assertThat(instance.status()).isEqualTo(WorkflowStatus.WAITING));
		orchestrator.signal(parked, "go", Map.of());
		// finished, and forgotten at once
		await().atMost(Duration.ofSeconds(10)).until(() -> store.size() == 0);
		assertThat(orchestrator.status(parked)).isEmpty();
	}

	@Test
	void aWaitingCallerGetsTheResultOfAnInstanceTheStoreHasForgotten() {
		Orchestrator orchestrator = orchestrator(new InMemoryStateStore(0));
		WorkflowResult result = orchestrator.start("echo", Map.of("n", 7));
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.output()).containsEntry("n", 7);
		assertThat(result.instance().steps()).singleElement()
			.satisfies((step) -> assertThat(step.output()).containsEntry("n", 7));
		assertThat(orchestrator.status(result.instance().id())).isEmpty();
	}

	@Test
	void theIdempotencyKeyOfAForgottenInstanceStartsANewOne() {
		Orchestrator orchestrator = orchestrator(new InMemoryStateStore(1));
		StartOptions keyed = StartOptions.builder().idempotencyKey("order-42").build();
		String first = orchestrator.start("echo", Map.of("n", 1), keyed).instance().id();
		assertThat(orchestrator.start("echo", Map.of("n", 1), keyed).instance().id()).isEqualTo(first);
		orchestrator.start("echo", Map.of("n", 2));
		assertThat(orchestrator.start("echo", Map.of("n", 1), keyed).instance().id()).isNotEqualTo(first);
	}

	@Test
	void rejectsANegativeBound() {
		assertThatIllegalArgumentException().isThrownBy(() -> new InMemoryStateStore(-1))
			.withMessageContaining("maxFinishedInstances must be zero or more, but was -1");
	}

}
