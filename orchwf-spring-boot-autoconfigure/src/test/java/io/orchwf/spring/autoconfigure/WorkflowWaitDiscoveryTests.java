package io.orchwf.spring.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.Orchestrator;
import io.orchwf.StepContext;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.spring.WorkflowStep;
import io.orchwf.spring.WorkflowWait;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code @WorkflowWait} declares signal waits, timers and child workflows beside
 * {@code @WorkflowStep} beans, and {@code @WorkflowStep(forEach = ...)} maps a step over
 * a list; properties override them as they do other steps.
 */
class WorkflowWaitDiscoveryTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OrchwfAutoConfiguration.class))
		.withPropertyValues("orchwf.recovery.poll-interval=50ms");

	@Test
	void assemblesWaitsWithTheStepsAroundThemAndRunsThem() {
		this.runner.withUserConfiguration(ApprovalConfiguration.class)
			.withPropertyValues("shop.approval-timeout=45s")
			.run((context) -> {
				Orchestrator orchestrator = context.getBean(Orchestrator.class);
				WorkflowDefinition workflow = orchestrator.workflows()
					.stream()
					.filter((definition) -> definition.id().equals("approval"))
					.findFirst()
					.orElseThrow();
				assertThat(workflow.steps()).extracting(StepDefinition::id)
					.containsExactly("reserve", "await_approval", "cool_off", "ship", "charge_lines");
				StepDefinition approval = workflow.step("await_approval").orElseThrow();
				assertThat(approval.kind()).isEqualTo(StepDefinition.Kind.AWAIT_SIGNAL);
				assertThat(approval.signalName()).hasValue("approve-payment");
				assertThat(approval.timeout()).hasValue(Duration.ofSeconds(45));
				assertThat(workflow.step("cool_off").orElseThrow().delay()).hasValue(Duration.ofMillis(50));
				assertThat(workflow.step("ship").orElseThrow().childWorkflowId()).hasValue("shipping");
				assertThat(workflow.step("charge_lines").orElseThrow().maxConcurrency()).isEqualTo(2);

				String id = orchestrator.startAsync("approval", Map.of("lines", List.of("a", "b", "c")));
				await().atMost(Duration.ofSeconds(5))
					.until(() -> orchestrator.status(id).map(WorkflowInstance::status).orElseThrow(),
							(status) -> status == WorkflowStatus.WAITING);
				orchestrator.signal(id, "approve-payment", Map.of("approvedBy", "ann"));
				WorkflowResult result = orchestrator.awaitCompletion(id, Duration.ofSeconds(5)).orElseThrow();
				assertThat(result.status()).as(result.error().orElse("")).isEqualTo(WorkflowStatus.COMPLETED);
				assertThat(result.output()).containsEntry("approvedBy", "ann")
					.containsEntry("tracking", "trk-1")
					.containsEntry("results",
							List.of(Map.of("charged", "a"), Map.of("charged", "b"), Map.of("charged", "c")));
			});
	}

	@Test
	void propertiesOverrideAWait() {
		this.runner.withUserConfiguration(ApprovalConfiguration.class)
			.withPropertyValues("orchwf.workflows.approval.steps.await_approval.timeout=2s",
					"orchwf.workflows.approval.steps.await_approval.required=false")
			.run((context) -> {
				StepDefinition approval = context.getBean(Orchestrator.class)
					.workflows()
					.stream()
					.filter((definition) -> definition.id().equals("approval"))
					.findFirst()
					.orElseThrow()
					.step("await_approval")
					.orElseThrow();
				assertThat(approval.timeout()).hasValue(Duration.ofSeconds(2));
				assertThat(approval.required()).isFalse();
			});
	}

	@Test
	void aWaitThatDoesNotSayWhatItWaitsForFailsStartup() {
		this.runner.withUserConfiguration(VagueWaitConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Step 'limbo' of workflow 'vague' (@WorkflowWait on VagueWait) must set "
						+ "exactly one of signal, duration and childWorkflow"));
	}

	@Configuration(proxyBeanMethods = false)
	static class ApprovalConfiguration {

		@Bean
		ApprovalSteps approvalSteps() {
			return new ApprovalSteps();
		}

		@Bean
		ShippingStep shippingStep() {
			return new ShippingStep();
		}

	}

	@WorkflowWait(workflow = "approval", id = "await_approval", dependsOn = "reserve", signal = "approve-payment",
			timeout = "${shop.approval-timeout:24h}")
	@WorkflowWait(workflow = "approval", id = "cool_off", dependsOn = "await_approval", duration = "50ms")
	@WorkflowWait(workflow = "approval", id = "ship", dependsOn = "cool_off", childWorkflow = "shipping")
	static class ApprovalSteps {

		private final AtomicInteger reserved = new AtomicInteger();

		@WorkflowStep(workflow = "approval", id = "reserve")
		Map<String, Object> reserve(StepContext context) {
			return Map.of("reservation", this.reserved.incrementAndGet());
		}

		@WorkflowStep(workflow = "approval", id = "charge_lines", dependsOn = "ship", forEach = "lines",
				maxConcurrency = 2)
		Map<String, Object> chargeLine(StepContext context) {
			return Map.of("charged", context.get("item", String.class));
		}

	}

	static class ShippingStep {

		@WorkflowStep(workflow = "shipping", id = "label")
		Map<String, Object> label(StepContext context) {
			return Map.of("tracking", "trk-1");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class VagueWaitConfiguration {

		@Bean
		VagueWait vagueWait() {
			return new VagueWait();
		}

	}

	@WorkflowWait(workflow = "vague", id = "limbo")
	static class VagueWait {

	}

}
