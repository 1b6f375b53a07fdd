package io.orchwf.spring.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.Orchestrator;
import io.orchwf.StepContext;
import io.orchwf.StepDefinition;
import io.orchwf.StepException;
import io.orchwf.StepStatus;
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
 * {@code @WorkflowWait} declares signal waits, timers (of a duration, or until an instant
 * a method of the bean computes) and child workflows beside {@code @WorkflowStep} beans,
 * and {@code @WorkflowStep(forEach = ...)} maps a step over a list; properties override
 * them as they do other steps.
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
						+ "exactly one of signal, duration, until and childWorkflow"));
	}

	@Test
	void untilNamesAMethodOfTheBeanThatComputesTheInstantTheTimerWaitsUntil() {
		this.runner.withUserConfiguration(DeliveryConfiguration.class).run((context) -> {
			Orchestrator orchestrator = context.getBean(Orchestrator.class);
			StepDefinition window = orchestrator.workflows()
				.stream()
				.filter((definition) -> definition.id().equals("delivery"))
				.findFirst()
				.orElseThrow()
				.step("until_window")
				.orElseThrow();
			assertThat(window.kind()).isEqualTo(StepDefinition.Kind.TIMER);
			assertThat(window.until()).isPresent();
			assertThat(window.delay()).isEmpty();
			assertThat(window.dependsOn()).containsExactly("schedule");

			Instant opens = Instant.now().plusMillis(300);
			String id = orchestrator.startAsync("delivery", Map.of("window_opens_at", opens.toString()));
			await().atMost(Duration.ofSeconds(5))
				.until(() -> orchestrator.status(id).orElseThrow().step("until_window").orElseThrow().status(),
						(status) -> status == StepStatus.WAITING);
			WorkflowResult result = orchestrator.awaitCompletion(id, Duration.ofSeconds(5)).orElseThrow();
			assertThat(result.status()).as(result.error().orElse("")).isEqualTo(WorkflowStatus.COMPLETED);
			assertThat(result.instance().step("deliver").orElseThrow().startedAt())
				.hasValueSatisfying((started) -> assertThat(started).isAfterOrEqualTo(opens));
			DeliverySteps steps = context.getBean(DeliverySteps.class);
			assertThat(steps.computed).as("called once, when the step started").hasValue(1);

			WorkflowResult failed = orchestrator.start("delivery", Map.of());
			assertThat(failed.status()).isEqualTo(WorkflowStatus.FAILED);
			assertThat(failed.instance().step("until_window").orElseThrow().errorType()).as("what the method threw")
				.hasValue("no_window");
		});
	}

	@Test
	void anUntilThatNamesNoMethodOfTheBeanFailsStartup() {
		this.runner.withUserConfiguration(MisnamedUntilConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Step 'window' of workflow 'misnamed' (@WorkflowWait on MisnamedUntil) "
						+ "names until method 'windowOpens', but MisnamedUntil has no such method; add "
						+ "Instant windowOpens(StepContext) that returns the instant the step waits until"));
	}

	@Test
	void anUntilMethodThatReturnsNoInstantFailsStartup() {
		this.runner.withUserConfiguration(MistypedUntilConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Step 'window' of workflow 'mistyped' (@WorkflowWait on MistypedUntil) "
						+ "names until method 'windowOpens', but MistypedUntil.windowOpens(StepContext) returns "
						+ "String; make it return java.time.Instant, the instant the step waits until"));
	}

	@Test
	void anUntilMethodThatTakesOtherParametersFailsStartup() {
		this.runner.withUserConfiguration(WrongParametersUntilConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Step 'window' of workflow 'parameters' (@WorkflowWait on "
						+ "WrongParametersUntil) names until method 'windowOpens', but WrongParametersUntil.windowOpens "
						+ "takes (String, int); declare it as Instant windowOpens(StepContext) to compute the instant "
						+ "the step waits until"));
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
	static class DeliveryConfiguration {

		@Bean
		DeliverySteps deliverySteps() {
			return new DeliverySteps();
		}

	}

	@WorkflowWait(workflow = "delivery", id = "until_window", dependsOn = "schedule", until = "windowOpens")
	static class DeliverySteps {

		final AtomicInteger computed = new AtomicInteger();

		@WorkflowStep(workflow = "delivery", id = "schedule")
		Map<String, Object> schedule(StepContext context) {
			return Map.of("scheduled", true);
		}

		Instant windowOpens(StepContext context) {
			this.computed.incrementAndGet();
			String opens = context.get("window_opens_at", String.class);
			if (opens == null) {
				throw new StepException("no_window", "no delivery window was given");
			}
			return Instant.parse(opens);
		}

		@WorkflowStep(workflow = "delivery", id = "deliver", dependsOn = "until_window")
		Map<String, Object> deliver(StepContext context) {
			return Map.of("delivered", true);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MisnamedUntilConfiguration {

		@Bean
		MisnamedUntil misnamedUntil() {
			return new MisnamedUntil();
		}

	}

	@WorkflowWait(workflow = "misnamed", id = "window", until = "windowOpens")
	static class MisnamedUntil {

		Instant windowOpen(StepContext context) {
			return Instant.EPOCH;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MistypedUntilConfiguration {

		@Bean
		MistypedUntil mistypedUntil() {
			return new MistypedUntil();
		}

	}

	@WorkflowWait(workflow = "mistyped", id = "window", until = "windowOpens")
	static class MistypedUntil {

		String windowOpens(StepContext context) {
			return "2030-01-01T00:00:00Z";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WrongParametersUntilConfiguration {

		@Bean
		WrongParametersUntil wrongParametersUntil() {
			return new WrongParametersUntil();
		}

	}

	@WorkflowWait(workflow = "parameters", id = "window", until = "windowOpens")
	static class WrongParametersUntil {

		Instant windowOpens(String zone, int days) {
			return Instant.EPOCH;
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
