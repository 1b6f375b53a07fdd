package io.orchwf.acceptance;

import java.util.List;
import java.util.Map;

import io.orchwf.InstanceNotFoundException;
import io.orchwf.Orchestrator;
import io.orchwf.OrchwfException;
import io.orchwf.StepDefinition;
import io.orchwf.StepExecutor;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowDefinitionException;
import io.orchwf.WorkflowNotFoundException;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract, "Defining workflows": {@code build()} validates and throws
 * {@link WorkflowDefinitionException} naming the problem.
 */
class DefinitionValidationAcceptanceTests extends AcceptanceSupport {

	private static final StepExecutor NOOP = (ctx) -> Map.of();

	@Test
	void aValidDefinitionBuilds() {
		WorkflowDefinition definition = WorkflowDefinition.builder("order_processing", "Order Processing")
			.description("orders")
			.version("1.0.0")
			.metadata("team", "shop")
			.step(StepDefinition.builder("a", "A", NOOP).description("first").build())
			.steps(StepDefinition.builder("b", "B", NOOP).dependsOn("a").async(true).build(),
					StepDefinition.builder("c", "C", NOOP).dependsOn("a", "b").required(false).priority(3).build())
			.build();
		assertThat(definition.id()).isEqualTo("order_processing");
		assertThat(definition.steps()).extracting(StepDefinition::id).containsExactly("a", "b", "c");
	}

	@Test
	void blankStepIdIsRejected() {
		assertThatThrownBy(() -> StepDefinition.builder(" ", "Name", NOOP).build())
			.isInstanceOf(WorkflowDefinitionException.class);
		assertThatThrownBy(() -> StepDefinition.builder("", "Name", NOOP).build())
			.isInstanceOf(WorkflowDefinitionException.class);
	}

	@Test
	void blankStepNameIsRejected() {
		assertThatThrownBy(() -> StepDefinition.builder("a", " ", NOOP).build())
			.isInstanceOf(WorkflowDefinitionException.class);
	}

	@Test
	void nullExecutorIsRejected() {
		assertThatThrownBy(() -> StepDefinition.builder("a", "A", null).build())
			.isInstanceOf(WorkflowDefinitionException.class)
			.satisfies((ex) -> assertThat(ex.getMessage()).containsIgnoringCase("executor"));
	}

	@Test
	void blankWorkflowIdIsRejected() {
		assertThatThrownBy(() -> WorkflowDefinition.builder(" ", "Name")
			.step(StepDefinition.builder("a", "A", NOOP).build())
			.build()).isInstanceOf(WorkflowDefinitionException.class);
	}

	@Test
	void blankWorkflowNameIsRejected() {
		assertThatThrownBy(
				() -> WorkflowDefinition.builder("wf", "").step(StepDefinition.builder("a", "A", NOOP).build()).build())
			.isInstanceOf(WorkflowDefinitionException.class);
	}

	@Test
	void workflowWithoutStepsIsRejected() {
		assertThatThrownBy(() -> WorkflowDefinition.builder("wf", "Workflow").build())
			.isInstanceOf(WorkflowDefinitionException.class);
	}

	@Test
	void duplicateStepIdIsRejectedNamingTheStep() {
		assertThatThrownBy(() -> WorkflowDefinition.builder("wf", "Workflow")
			.steps(StepDefinition.builder("charge", "A", NOOP).build(),
					StepDefinition.builder("charge", "B", NOOP).build())
			.build()).isInstanceOf(WorkflowDefinitionException.class).hasMessageContaining("charge");
	}

	@Test
	void unknownDependencyIsRejectedNamingIt() {
		assertThatThrownBy(() -> WorkflowDefinition.builder("wf", "Workflow")
			.steps(StepDefinition.builder("a", "A", NOOP).build(),
					StepDefinition.builder("b", "B", NOOP).dependsOn("a", "ghost").build())
			.build()).isInstanceOf(WorkflowDefinitionException.class).hasMessageContaining("ghost");
	}

	@Test
	void selfDependencyIsRejected() {
		assertThatThrownBy(() -> WorkflowDefinition.builder("wf", "Workflow")
			.step(StepDefinition.builder("loop", "Loop", NOOP).dependsOn("loop").build())
			.build()).isInstanceOf(WorkflowDefinitionException.class).hasMessageContaining("loop");
	}

	@Test
	void cycleIsRejectedWithItsPath() {
		// a waits for c, b waits for a, c waits for b: a cycle through all three
		assertThatThrownBy(() -> WorkflowDefinition.builder("wf", "Workflow")
			.steps(StepDefinition.builder("start", "Start", NOOP).build(),
					StepDefinition.builder("a", "A", NOOP).dependsOn("start", "c").build(),
					StepDefinition.builder("b", "B", NOOP).dependsOn("a").build(),
					StepDefinition.builder("c", "C", NOOP).dependsOn("b").build())
			.build()).isInstanceOf(WorkflowDefinitionException.class)
			.satisfies((ex) -> assertThat(ex.getMessage()).containsAnyOf("a -> b -> c -> a", "b -> c -> a -> b",
					"c -> a -> b -> c", "a -> c -> b -> a", "c -> b -> a -> c", "b -> a -> c -> b"));
	}

	@Test
	void dependsOnReplacesThePreviousList() {
		// the first list names an unknown step: if it were kept, build() would fail
		WorkflowDefinition definition = WorkflowDefinition.builder("wf", "Workflow")
			.steps(StepDefinition.builder("a", "A", NOOP).build(),
					StepDefinition.builder("b", "B", NOOP).dependsOn("ghost").dependsOn("a").build())
			.build();
		assertThat(definition.steps()).hasSize(2);
	}

	@Test
	void definitionExceptionIsAnUncheckedOrchwfException() {
		assertThat(OrchwfException.class).isAssignableFrom(WorkflowDefinitionException.class);
		assertThat(RuntimeException.class).isAssignableFrom(OrchwfException.class);
	}

	@Test
	void startingAnUnregisteredWorkflowThrowsWorkflowNotFound() {
		Orchestrator orchestrator = orchestrator();
		assertThatThrownBy(() -> orchestrator.start("nope", Map.of())).isInstanceOf(WorkflowNotFoundException.class)
			.isInstanceOf(OrchwfException.class);
		assertThatThrownBy(() -> orchestrator.startAsync("nope", Map.of()))
			.isInstanceOf(WorkflowNotFoundException.class);
	}

	@Test
	void unknownInstanceIdsAreReported() {
		Orchestrator orchestrator = orchestrator();
		assertThat(orchestrator.status("no-such-instance")).isEmpty();
		assertThatThrownBy(() -> orchestrator.resume("no-such-instance")).isInstanceOf(InstanceNotFoundException.class)
			.isInstanceOf(OrchwfException.class);
		assertThatThrownBy(() -> orchestrator.cancel("no-such-instance", "why"))
			.isInstanceOf(InstanceNotFoundException.class);
		assertThatThrownBy(() -> orchestrator.signal("no-such-instance", "s", Map.of()))
			.isInstanceOf(InstanceNotFoundException.class);
	}

	@Test
	void aRegisteredWorkflowCanBeStartedAndRunsItsSteps() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("simple", step("step1", (ctx) -> Map.of("result", "processed"))));
		WorkflowResult result = orchestrator.start("simple", Map.of("data", "test"));
		assertThat(result.success()).isTrue();
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.error()).isEmpty();
		assertThat(result.output()).containsEntry("result", "processed");
		assertThat(result.instanceId()).isNotBlank();
		assertThat(result.instance().id()).isEqualTo(result.instanceId());
		assertThat(result.duration().isNegative()).isFalse();
	}

	@Test
	void workflowsMayBeRegisteredWhileTheOrchestratorRuns() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("first", step("a")));
		assertThat(orchestrator.start("first", Map.of()).success()).isTrue();
		orchestrator.register(workflow("second", step("b")));
		assertThat(orchestrator.start("second", Map.of()).success()).isTrue();
	}

	@Test
	void stepsMayBeDeclaredBeforeTheirDependencies() {
		List<String> order = new java.util.concurrent.CopyOnWriteArrayList<>();
		Orchestrator orchestrator = orchestrator();
		assertThatCode(() -> orchestrator.register(
				WorkflowDefinition.builder("wf", "Workflow").steps(StepDefinition.builder("second", "Second", (ctx) -> {
					order.add("second");
					return Map.of();
				}).dependsOn("first").build(), StepDefinition.builder("first", "First", (ctx) -> {
					order.add("first");
					return Map.of();
				}).build()).build()))
			.doesNotThrowAnyException();
		WorkflowResult result = orchestrator.start("wf", Map.of());
		assertThat(result.success()).isTrue();
		assertThat(order).containsExactly("first", "second");
		assertThat(result.instance().steps()).extracting((s) -> s.stepId()).containsExactly("second", "first");
	}

}
