package io.orchwf;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class WorkflowDefinitionTests {

	private static final StepExecutor NOTHING = (context) -> Map.of();

	private static StepDefinition step(String id, String... dependsOn) {
		return StepDefinition.builder(id, "Step " + id, NOTHING).dependsOn(dependsOn).build();
	}

	@Test
	void buildsWithDefaults() {
		WorkflowDefinition definition = WorkflowDefinition.builder("orders", "Orders").step(step("a")).build();
		assertThat(definition.version()).isEqualTo("1.0.0");
		assertThat(definition.failurePolicy()).isEqualTo(FailurePolicy.FAIL_FAST);
		assertThat(definition.description()).isEmpty();
		StepDefinition a = definition.step("a").orElseThrow();
		assertThat(a.async()).isFalse();
		assertThat(a.required()).isTrue();
		assertThat(a.priority()).isZero();
		assertThat(a.retryPolicy()).isEmpty();
		assertThat(a.timeout()).isEmpty();
		assertThat(a.compensator()).isEmpty();
		assertThat(a.condition()).isEmpty();
	}

	@Test
	void keepsEverythingItWasGiven() {
		StepCompensator undo = (context) -> {
		};
		StepDefinition pay = StepDefinition.builder("pay", "Pay", NOTHING)
			.description("Charge the card")
			.dependsOn("validate")
			.async(true)
			.required(false)
			.priority(10)
			.retryPolicy(RetryPolicy.defaults())
			.timeout(Duration.ofSeconds(3))
			.compensateWith(undo)
			.when((context) -> true)
			.build();
		WorkflowDefinition definition = WorkflowDefinition.builder("orders", "Orders")
			.description("Order processing")
			.version("2.1")
			.metadata("team", "shop")
			.steps(step("validate"), pay)
			.failurePolicy(FailurePolicy.COMPLETE_ALL)
			.build();
		assertThat(definition.steps()).extracting(StepDefinition::id).containsExactly("validate", "pay");
		assertThat(definition.metadata()).containsEntry("team", "shop");
		assertThat(pay.dependsOn()).containsExactly("validate");
		assertThat(pay.async()).isTrue();
		assertThat(pay.required()).isFalse();
		assertThat(pay.priority()).isEqualTo(10);
		assertThat(pay.timeout()).contains(Duration.ofSeconds(3));
		assertThat(pay.compensator()).containsSame(undo);
		assertThat(pay.toBuilder().build().priority()).isEqualTo(10);
		assertThat(definition.toBuilder().version("3").build().steps()).hasSize(2);
	}

	@Test
	void dependsOnReplacesTheListAndDropsDuplicates() {
		StepDefinition step = StepDefinition.builder("c", "C", NOTHING).dependsOn("x").dependsOn("a", "b", "a").build();
		assertThat(step.dependsOn()).containsExactly("a", "b");
	}

	@Test
	void rejectsBlankStepIdOrName() {
		assertThatExceptionOfType(WorkflowDefinitionException.class)
			.isThrownBy(() -> StepDefinition.builder(" ", "Name", NOTHING).build())
			.withMessageContaining("step id must not be blank");
		assertThatExceptionOfType(WorkflowDefinitionException.class)
			.isThrownBy(() -> StepDefinition.builder("a", "", NOTHING).build())
			.withMessageContaining("Step 'a'")
			.withMessageContaining("name must not be blank");
	}

	@Test
	void rejectsIdsAndVersionsLongerThanTheStoresKeep() {
		String longId = "x".repeat(WorkflowDefinition.MAX_ID_LENGTH + 1);
		assertThatExceptionOfType(WorkflowDefinitionException.class)
			.isThrownBy(() -> StepDefinition.builder(longId, "Name", NOTHING).build())
			.withMessageContaining("its id is 256 characters long; keep it to 255");
		assertThatExceptionOfType(WorkflowDefinitionException.class)
			.isThrownBy(() -> WorkflowDefinition.builder(longId, "Orders").step(step("a")).build())
			.withMessageContaining("its id is 256 characters long; keep it to 255");
		assertThatExceptionOfType(WorkflowDefinitionException.class).isThrownBy(
				() -> WorkflowDefinition.builder("orders", "Orders").version("1.".repeat(33)).step(step("a")).build())
			.withMessageContaining("its version is 66 characters long; keep it to 64");
		assertThat(StepDefinition.builder("x".repeat(255), "Name", NOTHING).build().id()).hasSize(255);
	}

	@Test
	void rejectsMissingExecutor() {
		assertThatExceptionOfType(WorkflowDefinitionException.class)
			.isThrownBy(() -> StepDefinition.builder("a", "A", null).build())
			.withMessageContaining("Step 'a'")
			.withMessageContaining("executor must not be null")
			.satisfies((ex) -> assertThat(ex.getStepId()).isEqualTo("a"));
	}

	@Test
	void rejectsSelfDependency() {
		assertThatExceptionOfType(WorkflowDefinitionException.class)
			.isThrownBy(() -> StepDefinition.builder("a", "A", NOTHING).dependsOn("a").build())
			.withMessageContaining("depends on itself");
	}

	@Test
	void rejectsNonPositiveTimeout() {
		assertThatExceptionOfType(WorkflowDefinitionException.class)
			.isThrownBy(() -> StepDefinition.builder("a", "A", NOTHING).timeout(Duration.ZERO).build())
			.withMessageContaining("timeout must be positive");
	}

	@Test
	void aTimerUntilKeepsItsFunctionAndRefusesNone() {
		Function<StepContext, Instant> until = (context) -> Instant.EPOCH;
		StepDefinition timer = StepDefinition.timerUntil("window", until).dependsOn("schedule").build();
		assertThat(timer.kind()).isEqualTo(StepDefinition.Kind.TIMER);
		assertThat(timer.until()).containsSame(until);
		assertThat(timer.delay()).isEmpty();
		assertThat(timer.toBuilder().build().until()).containsSame(until);
		assertThat(StepDefinition.timer("nap", Duration.ofMinutes(1)).build().until()).isEmpty();
		assertThatExceptionOfType(WorkflowDefinitionException.class)
			.isThrownBy(() -> StepDefinition.timerUntil("window", null).build())
			.withMessage("Step 'window' is invalid: its until function must not be null; pass a function that "
					+ "computes the Instant to wait until from the step's context");
	}

	@Test
	void rejectsBlankWorkflowIdNameOrVersion() {
		assertThatExceptionOfType(WorkflowDefinitionException.class)
			.isThrownBy(() -> WorkflowDefinition.builder("", "Orders").step(step("a")).build())
			.withMessageContaining("workflow id must not be blank");
		assertThatExceptionOfType(WorkflowDefinitionException.class)
			.isThrownBy(() -> WorkflowDefinition.builder("orders", " ").step(step("a")).build())
			.withMessageContaining("Workflow 'orders'")
			.withMessageContaining("name must not be blank");
		assertThatExceptionOfType(WorkflowDefinitionException.class)
			.isThrownBy(() -> WorkflowDefinition.builder("orders", "Orders").version("").step(step("a")).build())
			.withMessageContaining("version must not be blank");
	}

	@Test
	void rejectsWorkflowWithoutSteps() {
		assertThatExceptionOfType(WorkflowDefinitionException.class)
			.isThrownBy(() -> WorkflowDefinition.builder("orders", "Orders").build())
			.withMessageContaining("Workflow 'orders'")
			.withMessageContaining("no steps")
			.satisfies((ex) -> assertThat(ex.getWorkflowId()).isEqualTo("orders"));
	}

	@Test
	void rejectsDuplicateStepIds() {
		assertThatExceptionOfType(WorkflowDefinitionException.class)
			.isThrownBy(() -> WorkflowDefinition.builder("orders", "Orders").steps(step("a"), step("a")).build())
			.withMessageContaining("step id 'a' is used by more than one step");
	}

	@Test
	void rejectsUnknownDependencyNamingIt() {
		assertThatExceptionOfType(WorkflowDefinitionException.class)
			.isThrownBy(() -> WorkflowDefinition.builder("orders", "Orders")
				.steps(step("ship", "pay"), step("validate"))
				.build())
			.withMessageContaining("step 'ship' depends on unknown step 'pay'")
			.withMessageContaining("[ship, validate]")
			.satisfies((ex) -> assertThat(ex.getStepId()).isEqualTo("ship"));
	}

	@Test
	void rejectsCycleListingItsPath() {
		assertThatExceptionOfType(WorkflowDefinitionException.class)
			.isThrownBy(() -> WorkflowDefinition.builder("orders", "Orders")
				.steps(step("start"), step("a", "start", "c"), step("b", "a"), step("c", "b"))
				.build())
			.withMessageContaining("cycle: a -> b -> c -> a");
	}

	@Test
	void rejectsTwoStepCycle() {
		assertThatExceptionOfType(WorkflowDefinitionException.class)
			.isThrownBy(() -> WorkflowDefinition.builder("w", "W").steps(step("a", "b"), step("b", "a")).build())
			.withMessageContaining("cycle: ")
			.withMessageMatching(".*cycle: (a -> b -> a|b -> a -> b).*");
	}

}
