package io.orchwf.spring.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.Orchestrator;
import io.orchwf.StepCompensator;
import io.orchwf.StepContext;
import io.orchwf.StepDefinition;
import io.orchwf.StepException;
import io.orchwf.StepExecutor;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.spring.Retry;
import io.orchwf.spring.WorkflowStep;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.junit.jupiter.api.Test;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.EnableAspectJAutoProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code @WorkflowStep} classes and methods become registered workflows, with their
 * dependencies, retry policies, timeouts and compensations, through the beans' proxies;
 * properties override the annotations; a broken workflow fails start-up saying what is
 * wrong.
 */
class WorkflowStepDiscoveryTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OrchwfAutoConfiguration.class));

	@Test
	void assemblesAWorkflowFromClassAndMethodStepsAndRunsItThroughProxies() {
		this.runner.withUserConfiguration(OrderConfiguration.class).run((context) -> {
			Orchestrator orchestrator = context.getBean(Orchestrator.class);
			WorkflowDefinition workflow = orchestrator.workflows().get(0);
			assertThat(workflow.id()).isEqualTo("order_processing");
			assertThat(workflow.step("ship").orElseThrow().dependsOn()).containsExactly("validate", "charge");
			assertThat(workflow.step("charge").orElseThrow().async()).isTrue();
			assertThat(AopUtils.isAopProxy(context.getBean(OrderSteps.class))).isTrue();
			WorkflowResult result = orchestrator.start("order_processing", Map.of("order_id", "o-1"));
			assertThat(result.success()).as(result.error().orElse("")).isTrue();
			assertThat(result.output()).containsEntry("valid", true)
				.containsEntry("payment_id", "pay-o-1")
				.containsEntry("tracking", "trk-pay-o-1");
			assertThat(context.getBean(CountingAspect.class).calls.get()).isEqualTo(2);
		});
	}

	@Test
	void compensatesByMethodNameAndByBeanName() {
		this.runner.withUserConfiguration(OrderConfiguration.class)
			.withPropertyValues("orders.fail-shipment=true")
			.run((context) -> {
				Orchestrator orchestrator = context.getBean(Orchestrator.class);
				WorkflowResult result = orchestrator.start("order_processing", Map.of("order_id", "o-2"));
				assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
				assertThat(context.getBean(OrderSteps.class).undone()).containsExactly("refund pay-o-2", "release o-2");
			});
	}

	@Test
	void propertiesOverrideTheAnnotationWhichOverridesTheDefaultRetry() {
		this.runner.withUserConfiguration(FlakyConfiguration.class)
			.withPropertyValues("orchwf.default-retry.initial-interval=5ms", "orchwf.default-retry.multiplier=1.0",
					"orchwf.workflows.flaky.steps.overridden.retry.max-attempts=4")
			.run((context) -> {
				Orchestrator orchestrator = context.getBean(Orchestrator.class);
				WorkflowDefinition workflow = orchestrator.workflows().get(0);
				StepDefinition annotated = workflow.step("annotated").orElseThrow();
				assertThat(annotated.retryPolicy().orElseThrow().maxAttempts()).isEqualTo(3);
				assertThat(annotated.retryPolicy().orElseThrow().initialInterval()).hasMillis(5);
				assertThat(workflow.step("overridden").orElseThrow().retryPolicy().orElseThrow().maxAttempts())
					.isEqualTo(4);
				assertThat(workflow.step("plain").orElseThrow().retryPolicy()).isEmpty();
				FlakySteps steps = context.getBean(FlakySteps.class);
				WorkflowResult result = orchestrator.start("flaky", Map.of());
				assertThat(result.success()).as(result.error().orElse("")).isTrue();
				assertThat(steps.annotatedCalls).hasValue(3);
				assertThat(steps.overriddenCalls).hasValue(4);
			});
	}

	@Test
	void propertiesOverrideStepSettingsAndWorkflowSettings() {
		this.runner.withUserConfiguration(OrderConfiguration.class)
			.withPropertyValues("orchwf.workflows.order_processing.version=2.0.0",
					"orchwf.workflows.order_processing.description=Orders",
					"orchwf.workflows.order_processing.failure-policy=complete-all",
					"orchwf.workflows.order_processing.max-concurrency=8",
					"orchwf.workflows.order_processing.max-concurrency-per-key=1",
					"orchwf.workflows.order_processing.steps.charge.async=false",
					"orchwf.workflows.order_processing.steps.charge.timeout=7s",
					"orchwf.workflows.order_processing.steps.charge.priority=3",
					"orchwf.workflows.order_processing.steps.ship.required=false")
			.run((context) -> {
				WorkflowDefinition workflow = context.getBean(Orchestrator.class).workflows().get(0);
				assertThat(workflow.version()).isEqualTo("2.0.0");
				assertThat(workflow.description()).isEqualTo("Orders");
				assertThat(workflow.failurePolicy()).isEqualTo(io.orchwf.FailurePolicy.COMPLETE_ALL);
				assertThat(workflow.maxConcurrency()).hasValue(8);
				assertThat(workflow.maxConcurrencyPerKey()).hasValue(1);
				StepDefinition charge = workflow.step("charge").orElseThrow();
				assertThat(charge.async()).isFalse();
				assertThat(charge.timeout()).hasValue(java.time.Duration.ofSeconds(7));
				assertThat(charge.priority()).isEqualTo(3);
				assertThat(workflow.step("ship").orElseThrow().required()).isFalse();
			});
	}

	@Test
	void resolvesPlaceholdersInTimeouts() {
		this.runner.withUserConfiguration(OrderConfiguration.class)
			.withPropertyValues("orders.validate-timeout=250ms")
			.run((context) -> assertThat(
					context.getBean(Orchestrator.class).workflows().get(0).step("validate").orElseThrow().timeout())
				.hasValue(java.time.Duration.ofMillis(250)));
	}

	@Test
	void aCycleFailsStartupNamingTheWorkflowAndThePath() {
		this.runner.withUserConfiguration(CyclicConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Workflow 'cyclic'")
				.hasStackTraceContaining("cycle: a -> b -> a"));
	}

	@Test
	void anUnknownDependencyFailsStartupNamingTheStep() {
		this.runner.withUserConfiguration(UnknownDependencyConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("step 'a' depends on unknown step 'missing'"));
	}

	@Test
	void aWrongMethodSignatureFailsStartupSayingWhatItMustBe() {
		this.runner.withUserConfiguration(WrongSignatureConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("WrongSignature.step")
				.hasStackTraceContaining("must take one StepContext"));
	}

	@Test
	void anAnnotatedClassThatIsNoStepExecutorFailsStartup() {
		this.runner.withUserConfiguration(NotAnExecutorConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("does not implement StepExecutor"));
	}

	@Test
	void anUnknownCompensationFailsStartupNamingIt() {
		this.runner.withUserConfiguration(UnknownCompensationConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("names compensation 'nowhere'"));
	}

	@Test
	void overridesOfUnknownWorkflowsOrStepsFailStartup() {
		this.runner.withUserConfiguration(OrderConfiguration.class)
			.withPropertyValues("orchwf.workflows.order_processing.steps.typo.async=true")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("orchwf.workflows.order_processing.steps.typo")
				.hasStackTraceContaining("[charge, ship, validate]"));
		this.runner.withUserConfiguration(OrderConfiguration.class)
			.withPropertyValues("orchwf.workflows.nothing.version=2")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("orchwf.workflows.nothing"));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAspectJAutoProxy(proxyTargetClass = true)
	static class OrderConfiguration {

		@Bean
		OrderSteps orderSteps(@Value("${orders.fail-shipment:false}") boolean failShipment) {
			return new OrderSteps(failShipment);
		}

		@Bean
		ValidateStep validateStep() {
			return new ValidateStep();
		}

		@Bean
		StepCompensator releaseStock(OrderSteps steps) {
			return (context) -> steps.undone().add("release " + context.get("order_id", String.class));
		}

		@Bean
		CountingAspect countingAspect() {
			return new CountingAspect();
		}

	}

	@WorkflowStep(workflow = "order_processing", id = "validate", timeout = "${orders.validate-timeout:5s}",
			compensation = "releaseStock")
	static class ValidateStep implements StepExecutor {

		@Override
		public Map<String, Object> execute(StepContext context) {
			return Map.of("valid", true);
		}

	}

	static class OrderSteps {

		final List<String> undone = new CopyOnWriteArrayList<>();

		private final boolean failShipment;

		OrderSteps(boolean failShipment) {
			this.failShipment = failShipment;
		}

		List<String> undone() {
			return this.undone;
		}

		@WorkflowStep(workflow = "order_processing", id = "charge", dependsOn = "validate", async = true,
				compensation = "refund")
		Map<String, Object> charge(StepContext context) {
			return Map.of("payment_id", "pay-" + context.get("order_id", String.class));
		}

		@WorkflowStep(workflow = "order_processing", id = "ship", dependsOn = { "validate", "charge" })
		Map<String, Object> ship(StepContext context) {
			if (this.failShipment) {
				throw new StepException("carrier", "no carrier");
			}
			return Map.of("tracking", "trk-" + context.get("payment_id", String.class));
		}

		void refund(StepContext context) {
			this.undone.add("refund " + context.get("payment_id", String.class));
		}

	}

	@Aspect
	static class CountingAspect {

		final AtomicInteger calls = new AtomicInteger();

		@Around("execution(* io.orchwf.spring.autoconfigure.WorkflowStepDiscoveryTests.OrderSteps.*(..)) "
				+ "&& args(io.orchwf.StepContext) && !execution(void *.refund(..))")
		Object count(ProceedingJoinPoint call) throws Throwable {
			this.calls.incrementAndGet();
			return call.proceed();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FlakyConfiguration {

		@Bean
		FlakySteps flakySteps() {
			return new FlakySteps();
		}

	}

	static class FlakySteps {

		final AtomicInteger annotatedCalls = new AtomicInteger();

		final AtomicInteger overriddenCalls = new AtomicInteger();

		@WorkflowStep(workflow = "flaky", id = "annotated", retry = @Retry(maxAttempts = 3))
		Map<String, Object> annotated(StepContext context) {
			if (this.annotatedCalls.incrementAndGet() < 3) {
				throw new IllegalStateException("not yet");
			}
			return Map.of();
		}

		@WorkflowStep(workflow = "flaky", id = "overridden", retry = @Retry(maxAttempts = 2))
		Map<String, Object> overridden(StepContext context) {
			if (this.overriddenCalls.incrementAndGet() < 4) {
				throw new IllegalStateException("not yet");
			}
			return Map.of();
		}

		@WorkflowStep(workflow = "flaky", id = "plain")
		Map<String, Object> plain(StepContext context) {
			return Map.of();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CyclicConfiguration {

		@Bean
		Object cyclicSteps() {
			return new Object() {

				@WorkflowStep(workflow = "cyclic", id = "a", dependsOn = "b")
				Map<String, Object> a(StepContext context) {
					return Map.of();
				}

				@WorkflowStep(workflow = "cyclic", id = "b", dependsOn = "a")
				Map<String, Object> b(StepContext context) {
					return Map.of();
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnknownDependencyConfiguration {

		@Bean
		Object unknownDependencySteps() {
			return new Object() {

				@WorkflowStep(workflow = "broken", id = "a", dependsOn = "missing")
				Map<String, Object> a(StepContext context) {
					return Map.of();
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WrongSignatureConfiguration {

		@Bean
		WrongSignature wrongSignature() {
			return new WrongSignature();
		}

	}

	static class WrongSignature {

		@WorkflowStep(workflow = "wrong", id = "step")
		Map<String, Object> step(String input) {
			return Map.of();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NotAnExecutorConfiguration {

		@Bean
		NotAnExecutor notAnExecutor() {
			return new NotAnExecutor();
		}

	}

	@WorkflowStep(workflow = "wrong", id = "step")
	static class NotAnExecutor {

	}

	@Configuration(proxyBeanMethods = false)
	static class UnknownCompensationConfiguration {

		@Bean
		Object unknownCompensationSteps() {
			return new Object() {

				@WorkflowStep(workflow = "broken", id = "a", compensation = "nowhere")
				Map<String, Object> a(StepContext context) {
					return Map.of();
				}

			};
		}

	}

}
