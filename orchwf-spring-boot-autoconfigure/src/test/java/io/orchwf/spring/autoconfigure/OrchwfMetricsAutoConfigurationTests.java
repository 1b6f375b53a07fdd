package io.orchwf.spring.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.orchwf.NonRetryableStepException;
import io.orchwf.Orchestrator;
import io.orchwf.RetryPolicy;
import io.orchwf.StepDefinition;
import io.orchwf.StepException;
import io.orchwf.StepInterceptor;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.spring.metrics.OrchwfMeterBinder;
import io.orchwf.spring.metrics.OrchwfMetricsListener;
import io.orchwf.spring.metrics.OrchwfObservationListener;
import io.orchwf.spring.metrics.StepObservationContext;
import io.orchwf.spring.metrics.WorkflowObservationContext;
import io.orchwf.spring.metrics.WorkflowObservationConvention;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
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
	void countsTheInstancesRetentionDeletes() {
		this.runner.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("orchwf.retention.completed=1ms", "orchwf.retention.check-every=50ms")
			.run((context) -> {
				Orchestrator orchestrator = context.getBean(Orchestrator.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				WorkflowResult completed = orchestrator.start("orders", Map.of());
				WorkflowResult failed = orchestrator.start("doomed", Map.of());
				await().atMost(Duration.ofSeconds(10))
					.until(() -> orchestrator.status(completed.instanceId()).isEmpty());
				assertThat(registry.get("orchwf.retention.deleted").tag("status", "COMPLETED").counter().count())
					.isOne();
				assertThat(orchestrator.status(failed.instanceId())).as("failed instances are kept for ever")
					.isPresent();
			});
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
	void runsStepCodeInTheScopeOfItsStepObservation() {
		this.runner.withBean(TestObservationRegistry.class, TestObservationRegistry::create)
			.withUserConfiguration(TracedConfiguration.class)
			.run((context) -> {
				TestObservationRegistry registry = context.getBean(TestObservationRegistry.class);
				TracedConfiguration traced = context.getBean(TracedConfiguration.class);
				WorkflowResult result = context.getBean(Orchestrator.class).start("traced", Map.of());
				assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
				assertThat(traced.seen).containsOnlyKeys("charge", "interceptor of charge", "ship",
						"compensation of charge");
				assertThat(traced.seen.get("charge")).isInstanceOfSatisfying(StepObservationContext.class, (step) -> {
					assertThat(step.getName()).isEqualTo("orchwf.step.execution");
					assertThat(step.getStepId()).isEqualTo("charge");
					assertThat(step.getInstanceId()).isEqualTo(result.instanceId());
					assertThat(step.getAttempt()).isOne();
				});
				assertThat(traced.seen.get("interceptor of charge")).as("an application's interceptor runs inside")
					.isSameAs(traced.seen.get("charge"));
				assertThat(traced.seen.get("ship")).isInstanceOfSatisfying(StepObservationContext.class,
						(step) -> assertThat(step.getStepId()).isEqualTo("ship"));
				assertThat(traced.seen.get("compensation of charge")).isInstanceOfSatisfying(
						WorkflowObservationContext.class,
						(workflow) -> assertThat(workflow.getInstanceId()).isEqualTo(result.instanceId()));
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> TestObservationRegistryAssert.assertThat(registry)
						.hasObservationWithNameEqualTo("orchwf.workflow.execution")
						.that()
						.hasBeenStopped());
				TestObservationRegistryAssert.assertThat(registry)
					.hasNumberOfObservationsWithNameEqualTo("orchwf.step.execution", 2)
					.hasObservationWithNameEqualTo("payment.call")
					.that()
					.hasBeenStopped()
					.hasParentObservationContextMatching((parent) -> parent == traced.seen.get("charge"),
							"the observation of step charge");
				assertThat(((StepObservationContext) traced.seen.get("charge")).getOutcome()).isEqualTo("COMPLETED");
				assertThat(((StepObservationContext) traced.seen.get("ship")).getOutcome()).isEqualTo("FAILED");
			});
	}

	@Test
	void recordsTheseMetersWithTheObservationsOfBootsMeterHandler() {
		// the meters docs/spring-boot.md lists: orchwf's own, and those Spring Boot's
		// meter observation handler derives from the observations
		this.runner.withBean(SimpleMeterRegistry.class)
			.withUserConfiguration(EveryEventConfiguration.class)
			.run((context) -> {
				Orchestrator orchestrator = context.getBean(Orchestrator.class);
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				orchestrator.start("orders", Map.of());
				orchestrator.start("eventful", Map.of());
				String waiting = orchestrator.startAsync("signalled", Map.of());
				await().atMost(Duration.ofSeconds(10))
					.until(() -> orchestrator.status(waiting).orElseThrow().status() == WorkflowStatus.WAITING);
				orchestrator.signal(waiting, "other", Map.of());
				orchestrator.cancel(waiting, "enough");
				orchestrator.resume(orchestrator.start("doomed", Map.of()).instanceId());
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(registry.find("orchwf.workflow.execution").timers()).hasSize(4));
				assertThat(registry.getMeters()).filteredOn((meter) -> meter.getId().getName().startsWith("orchwf."))
					.extracting((meter) -> meter.getId().getName() + " " + meter.getId().getType() + " "
							+ meter.getId().getTags().stream().map(Tag::getKey).toList())
					.containsOnly("orchwf.workflow.started COUNTER [workflow]",
							"orchwf.workflow.duration TIMER [status, workflow]",
							"orchwf.step.duration TIMER [outcome, step, workflow]",
							"orchwf.step.retries COUNTER [step, workflow]", "orchwf.workflows.active GAUGE []",
							"orchwf.workers.busy GAUGE []",
							"orchwf.workflow.execution TIMER [error, outcome, workflow]",
							"orchwf.workflow.execution.active LONG_TASK_TIMER [outcome, workflow]",
							"orchwf.step.execution TIMER [error, outcome, step, workflow]",
							"orchwf.step.execution.active LONG_TASK_TIMER [outcome, step, workflow]",
							"orchwf.workflow.execution.signal.received COUNTER [outcome, workflow]",
							"orchwf.workflow.execution.step.compensated COUNTER [outcome, workflow]",
							"orchwf.workflow.execution.step.compensation.failed COUNTER [outcome, workflow]",
							"orchwf.workflow.execution.step.skipped COUNTER [outcome, workflow]",
							"orchwf.workflow.execution.workflow.cancelled COUNTER [outcome, workflow]",
							"orchwf.workflow.execution.workflow.resumed COUNTER [outcome, workflow]");
				assertThat(registry.get("orchwf.step.execution.active")
					.tag("step", "validate")
					.longTaskTimer()
					.activeTasks()).isZero();
				assertThat(registry.get("orchwf.workflow.execution.signal.received")
					.tag("outcome", "UNKNOWN")
					.counter()
					.count()).isOne();
				assertThat(registry.get("orchwf.step.execution")
					.tags("step", "charge", "outcome", "RETRYING", "error", "StepFailure")
					.timer()
					.count()).isOne();
			});
	}

	@Test
	void recordsNoObservationMetersNorScopesWhenOrchwfObservationsAreDisabled() {
		this.runner.withBean(SimpleMeterRegistry.class)
			.withUserConfiguration(TracedConfiguration.class)
			.withPropertyValues("management.observations.enable.orchwf=false",
					"management.metrics.observations.ignored-meters=long-task-timer")
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				context.getBean(Orchestrator.class).start("traced", Map.of());
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(registry.find("orchwf.workflow.duration").timers()).hasSize(1));
				assertThat(registry.getMeters()).extracting((meter) -> meter.getId().getName())
					.contains("payment.call")
					.doesNotContain("payment.call.active")
					.noneMatch((name) -> name.startsWith("orchwf.") && name.contains(".execution"));
				assertThat(context.getBean(TracedConfiguration.class).seen).isEmpty();
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class EveryEventConfiguration {

		@Bean
		WorkflowDefinition eventful() {
			return WorkflowDefinition.builder("eventful", "Eventful")
				.step(StepDefinition.builder("reserve", "Reserve", (context) -> Map.of()).compensateWith((context) -> {
					throw new IllegalStateException("cannot undo");
				}).build())
				.step(StepDefinition.builder("refund", "Refund", (context) -> Map.of()).compensateWith((context) -> {
				}).build())
				.step(StepDefinition.builder("gift", "Gift", (context) -> Map.of()).when((context) -> false).build())
				.step(StepDefinition.builder("fail", "Fail", (context) -> {
					throw new IllegalStateException("boom");
				}).dependsOn("reserve", "refund").build())
				.build();
		}

		@Bean
		WorkflowDefinition signalled() {
			return WorkflowDefinition.builder("signalled", "Signalled")
				.step(StepDefinition.awaitSignal("await", "go").build())
				.build();
		}

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

	/**
	 * A workflow whose code records the current observation: a step that completes and
	 * opens an observation of its own, a step that fails, and the compensation of the
	 * first; and an interceptor of the application's that records it too.
	 */
	@Configuration(proxyBeanMethods = false)
	static class TracedConfiguration {

		final Map<String, Observation.ContextView> seen = new ConcurrentHashMap<>();

		@Bean
		WorkflowDefinition traced(ObjectProvider<ObservationRegistry> registries) {
			return WorkflowDefinition.builder("traced", "Traced")
				.step(StepDefinition.builder("charge", "Charge", (context) -> {
					ObservationRegistry registry = registries.getObject();
					record(registry, "charge");
					Observation.createNotStarted("payment.call", registry).observe(() -> {
					});
					return Map.of("charged", true);
				}).compensateWith((context) -> record(registries.getObject(), "compensation of charge")).build())
				.step(StepDefinition.builder("ship", "Ship", (context) -> {
					record(registries.getObject(), "ship");
					throw new NonRetryableStepException("no carrier");
				}).dependsOn("charge").build())
				.build();
		}

		@Bean
		StepInterceptor recordingInterceptor(ObjectProvider<ObservationRegistry> registries) {
			return (invocation) -> {
				if (invocation.context().stepId().equals("charge") && !invocation.isCompensation()) {
					record(registries.getObject(), "interceptor of charge");
				}
				return invocation.proceed();
			};
		}

		private void record(ObservationRegistry registry, String where) {
			Observation current = registry.getCurrentObservation();
			if (current != null) {
				this.seen.put(where, current.getContextView());
			}
		}

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
