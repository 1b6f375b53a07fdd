package io.orchwf.spring.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.orchwf.Orchestrator;
import io.orchwf.RetryPolicy;
import io.orchwf.StepDefinition;
import io.orchwf.StepException;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.spring.metrics.OrchwfMeterBinder;
import io.orchwf.spring.metrics.OrchwfMetricsListener;
import io.orchwf.spring.metrics.OrchwfObservationListener;
import io.orchwf.spring.metrics.WorkflowObservationConvention;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link OrchwfMetricsAutoConfiguration}: which beans it creates, when it backs
 * off, and the meters and observations of real workflows on the in-memory store.
 */
class OrchwfMetricsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OrchwfAutoConfiguration.class, OrchwfMetricsAutoConfiguration.class,
				MetricsAutoConfiguration.class, ObservationAutoConfiguration.class))
		.withUserConfiguration(WorkflowsConfiguration.class)
		.withPropertyValues("orchwf.store=memory");

	@Test
	void createsTheListenersAndTheBinder() {
		this.runner.withBean(SimpleMeterRegistry.class)
			.run((context) -> assertThat(context).hasSingleBean(OrchwfMetricsListener.class)
				.hasSingleBean(OrchwfMeterBinder.class)
				.hasSingleBean(OrchwfObservationListener.class));
	}

	@Test
	void backsOffWithoutMicrometer() {
		this.runner.withBean(SimpleMeterRegistry.class)
			.withClassLoader(new FilteredClassLoader("io.micrometer"))
			.run((context) -> assertThat(context).hasSingleBean(Orchestrator.class)
				.doesNotHaveBean(OrchwfMetricsListener.class)
				.doesNotHaveBean(OrchwfMeterBinder.class)
				.doesNotHaveBean(OrchwfObservationListener.class));
	}

	@Test
	void backsOffMetersWithoutAMeterRegistryButStillObserves() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(Orchestrator.class)
			.doesNotHaveBean(OrchwfMetricsListener.class)
			.doesNotHaveBean(OrchwfMeterBinder.class)
			.hasSingleBean(OrchwfObservationListener.class));
	}

	@Test
	void backsOffObservationsWithoutMicrometerObservation() {
		this.runner.withBean(SimpleMeterRegistry.class)
			.withBean(ObservationRegistry.class, ObservationRegistry::create)
			.withClassLoader(new FilteredClassLoader(ObservationRegistry.class))
			.run((context) -> assertThat(context).hasSingleBean(OrchwfMetricsListener.class)
				.doesNotHaveBean(OrchwfObservationListener.class));
	}

	@Test
	void backsOffWhenOrchwfIsDisabled() {
		this.runner.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("orchwf.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(Orchestrator.class)
				.doesNotHaveBean(OrchwfMetricsListener.class)
				.doesNotHaveBean(OrchwfMeterBinder.class)
				.doesNotHaveBean(OrchwfObservationListener.class));
	}

	@Test
	void userBeansWin() {
		this.runner.withBean(SimpleMeterRegistry.class)
			.withBean("customListener", OrchwfMetricsListener.class,
					() -> new OrchwfMetricsListener(new SimpleMeterRegistry()))
			.run((context) -> assertThat(context).getBean(OrchwfMetricsListener.class)
				.isSameAs(context.getBean("customListener")));
	}

	@Test
	void recordsTheMetersOfRealWorkflows() {
		this.runner.withBean(SimpleMeterRegistry.class).run((context) -> {
			Orchestrator orchestrator = context.getBean(Orchestrator.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			WorkflowResult completed = orchestrator.start("orders", Map.of());
			WorkflowResult failed = orchestrator.start("doomed", Map.of());
			assertThat(completed.status()).isEqualTo(WorkflowStatus.COMPLETED);
			assertThat(failed.status()).isEqualTo(WorkflowStatus.FAILED);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(registry.find("orchwf.workflow.duration").timers()).hasSize(2));
			assertThat(registry.get("orchwf.workflow.started").tag("workflow", "orders").counter().count()).isOne();
			assertThat(registry.get("orchwf.workflow.started").tag("workflow", "doomed").counter().count()).isOne();
			assertThat(registry.get("orchwf.workflow.duration")
				.tags("workflow", "orders", "status", "COMPLETED")
				.timer()
				.count()).isOne();
			assertThat(registry.get("orchwf.workflow.duration")
				.tags("workflow", "doomed", "status", "FAILED")
				.timer()
				.count()).isOne();
			assertThat(stepCount(registry, "orders", "validate", "COMPLETED")).isOne();
			assertThat(stepCount(registry, "orders", "charge", "RETRYING")).isOne();
			assertThat(stepCount(registry, "orders", "charge", "COMPLETED")).isOne();
			assertThat(stepCount(registry, "doomed", "explode", "FAILED")).isOne();
			assertThat(
					registry.get("orchwf.step.retries").tags("workflow", "orders", "step", "charge").counter().count())
				.isOne();
			assertThat(registry.getMeters()).filteredOn((meter) -> meter.getId().getName().startsWith("orchwf."))
				.flatExtracting((Meter meter) -> meter.getId().getTags())
				.extracting(Tag::getValue)
				.doesNotContain(completed.instanceId(), failed.instanceId());
		});
	}

	@Test
	void gaugesFollowTheOrchestrator() {
		this.runner.withBean(SimpleMeterRegistry.class).run((context) -> {
			Orchestrator orchestrator = context.getBean(Orchestrator.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			CountDownLatch release = context.getBean(WorkflowsConfiguration.class).release;
			String instanceId = orchestrator.startAsync("blocking", Map.of());
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThat(registry.get("orchwf.workflows.active").gauge().value()).isOne();
				assertThat(registry.get("orchwf.workers.busy").gauge().value()).isOne();
			});
			release.countDown();
			assertThat(orchestrator.awaitCompletion(instanceId, Duration.ofSeconds(10))).isPresent();
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				assertThat(registry.get("orchwf.workflows.active").gauge().value()).isZero();
				assertThat(registry.get("orchwf.workers.busy").gauge().value()).isZero();
			});
		});
	}

	@Test
	void observesRealWorkflows() {
		this.runner.withBean(SimpleMeterRegistry.class)
			.withBean(TestObservationRegistry.class, TestObservationRegistry::create)
			.run((context) -> {
				TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
				WorkflowResult result = context.getBean(Orchestrator.class).start("orders", Map.of());
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> TestObservationRegistryAssert.assertThat(registry)
						.hasObservationWithNameEqualTo("orchwf.workflow.execution")
						.that()
						.hasBeenStopped()
						.hasLowCardinalityKeyValue("workflow", "orders")
						.hasLowCardinalityKeyValue("outcome", "COMPLETED")
						.hasHighCardinalityKeyValue("instance.id", result.instanceId()));
				TestObservationRegistryAssert.assertThat(registry)
					.hasNumberOfObservationsWithNameEqualTo("orchwf.step.execution", 3)
					.forAllObservationsWithNameEqualTo("orchwf.step.execution",
							(observation) -> observation.hasParentObservation()
								.hasLowCardinalityKeyValue("workflow", "orders")
								.hasLowCardinalityKeyValueWithKey("step")
								.hasHighCardinalityKeyValue("instance.id", result.instanceId()));
			});
	}

	@Test
	void appliesAConventionBean() {
		WorkflowObservationConvention convention = new io.orchwf.spring.metrics.DefaultWorkflowObservationConvention() {

			@Override
			public String getName() {
				return "custom.workflow";
			}

		};
		this.runner.withBean(TestObservationRegistry.class, TestObservationRegistry::create)
			.withBean(WorkflowObservationConvention.class, () -> convention)
			.run((context) -> {
				context.getBean(Orchestrator.class).start("orders", Map.of());
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> TestObservationRegistryAssert
						.assertThat(context.getBean(TestObservationRegistry.class))
						.hasObservationWithNameEqualTo("custom.workflow"));
			});
	}

	private static long stepCount(MeterRegistry registry, String workflow, String step, String outcome) {
		return registry.get("orchwf.step.duration")
			.tags("workflow", workflow, "step", step, "outcome", outcome)
			.timer()
			.count();
	}

	@Configuration(proxyBeanMethods = false)
	static class WorkflowsConfiguration {

		final CountDownLatch release = new CountDownLatch(1);

		@Bean
		WorkflowDefinition orders() {
			return WorkflowDefinition.builder("orders", "Orders")
				.step(StepDefinition.builder("validate", "Validate", (context) -> Map.of("valid", true)).build())
				.step(StepDefinition.builder("charge", "Charge", (context) -> {
					if (context.attempt() == 1) {
						throw new StepException("declined", "first attempt is declined");
					}
					return Map.of("charged", true);
				})
					.dependsOn("validate")
					.retryPolicy(RetryPolicy.builder().maxAttempts(2).initialInterval(Duration.ZERO).build())
					.build())
				.build();
		}

		@Bean
		WorkflowDefinition doomed() {
			return WorkflowDefinition.builder("doomed", "Doomed")
				.step(StepDefinition.builder("explode", "Explode", (context) -> {
					throw new IllegalStateException("boom");
				}).build())
				.build();
		}

		@Bean
		WorkflowDefinition blocking() {
			return WorkflowDefinition.builder("blocking", "Blocking")
				.step(StepDefinition.builder("wait", "Wait", (context) -> {
					this.release.await(30, TimeUnit.SECONDS);
					return Map.of();
				}).build())
				.build();
		}

	}

}
