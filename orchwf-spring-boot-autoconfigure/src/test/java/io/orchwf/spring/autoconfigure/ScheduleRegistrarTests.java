package io.orchwf.spring.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchwf.Orchestrator;
import io.orchwf.OverlapPolicy;
import io.orchwf.Schedule;
import io.orchwf.ScheduleInfo;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowInstance;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Schedules declared with {@code orchwf.schedules.*} and as {@link Schedule} beans are in
 * the store once the application runs, fire with their input and metadata, are counted,
 * and a disabled or invalid one says so.
 */
class ScheduleRegistrarTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OrchwfAutoConfiguration.class, OrchwfMetricsAutoConfiguration.class,
				MetricsAutoConfiguration.class))
		.withUserConfiguration(ReportConfiguration.class)
		.withPropertyValues("orchwf.store=memory", "orchwf.recovery.poll-interval=50ms");

	@Test
	void declaresThePropertiesSchedulesAndTheScheduleBeans() {
		this.runner
			.withPropertyValues("orchwf.schedules.nightly.workflow=report", "orchwf.schedules.nightly.cron=0 0 2 * * *",
					"orchwf.schedules.nightly.zone=Europe/Paris", "orchwf.schedules.nightly.overlap=allow",
					"orchwf.schedules.nightly.input.kind=daily")
			.withBean("hourly", Schedule.class,
					() -> Schedule.every("hourly", Duration.ofHours(1)).workflow("report").build())
			.run((context) -> {
				List<ScheduleInfo> schedules = context.getBean(Orchestrator.class).schedules();
				assertThat(schedules).extracting(ScheduleInfo::name).containsExactly("hourly", "nightly");
				Schedule nightly = schedules.get(1).schedule();
				assertThat(nightly.cronExpression()).hasValue("0 0 2 * * *");
				assertThat(nightly.zone()).isEqualTo(ZoneId.of("Europe/Paris"));
				assertThat(nightly.overlap()).isEqualTo(OverlapPolicy.ALLOW);
				assertThat(nightly.input()).isEqualTo(Map.of("kind", "daily"));
				assertThat(schedules.get(1).nextFireAt()).isAfter(Instant.now());
			});
	}

	@Test
	void firesTicksWithTheirMetadataAndCountsThem() {
		this.runner.withBean(SimpleMeterRegistry.class)
			.withPropertyValues("orchwf.schedules.often.workflow=report", "orchwf.schedules.often.every=200ms")
			.run((context) -> {
				Orchestrator orchestrator = context.getBean(Orchestrator.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> reports(orchestrator).size() >= 2);
				WorkflowInstance report = reports(orchestrator).get(0);
				assertThat(report.metadata()).containsEntry("schedule_name", "often").containsKey("scheduled_at");
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(registry.get("orchwf.schedule.fired")
						.tags("schedule", "often", "workflow", "report")
						.counter()
						.count()).isGreaterThanOrEqualTo(2));
			});
	}

	@Test
	void aDisabledScheduleIsRemovedFromTheStore() {
		this.runner
			.withPropertyValues("orchwf.schedules.often.workflow=report", "orchwf.schedules.often.every=1h",
					"orchwf.schedules.often.enabled=false")
			.run((context) -> assertThat(context.getBean(Orchestrator.class).schedules()).isEmpty());
	}

	@Test
	void anInvalidScheduleStopsTheApplicationWithItsProperty() {
		this.runner
			.withPropertyValues("orchwf.schedules.broken.workflow=report", "orchwf.schedules.broken.every=1h",
					"orchwf.schedules.broken.cron=0 0 2 * * *")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("Set either orchwf.schedules.broken.cron or orchwf.schedules.broken.every: the schedule "
						+ "ticks by a cron expression or by an interval"));
		this.runner.withPropertyValues("orchwf.schedules.bad.workflow=report", "orchwf.schedules.bad.cron=0 0 25 * * *")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining(
						"Invalid orchwf.schedules.bad: The cron expression '0 0 25 * * *' of schedule 'bad' is not valid"));
		this.runner.withPropertyValues("orchwf.schedules.ghost.workflow=unknown", "orchwf.schedules.ghost.every=1h")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("starts workflow 'unknown', which is not registered on this node"));
	}

	private static List<WorkflowInstance> reports(Orchestrator orchestrator) {
		return orchestrator.list(WorkflowFilter.builder().workflowId("report").build(), 100, 0).items();
	}

	@Configuration(proxyBeanMethods = false)
	static class ReportConfiguration {

		@Bean
		WorkflowDefinition report() {
			return WorkflowDefinition.builder("report", "Report")
				.step(StepDefinition.builder("write", "Write", (context) -> Map.of("written", true)).build())
				.build();
		}

	}

}
