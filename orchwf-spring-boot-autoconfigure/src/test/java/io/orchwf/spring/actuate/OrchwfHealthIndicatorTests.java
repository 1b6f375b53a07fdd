package io.orchwf.spring.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.orchwf.Orchestrator;
import io.orchwf.Schedule;
import io.orchwf.StartOptions;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;
import io.orchwf.spring.actuate.OrchwfHealthIndicator.UnregisteredSchedule;
import io.orchwf.spring.actuate.OrchwfHealthIndicator.UnregisteredVersion;
import io.orchwf.store.StateStore;
import io.orchwf.store.StoreException;
import io.orchwf.store.memory.InMemoryStateStore;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link OrchwfHealthIndicator}, on orchestrators sharing an in-memory store.
 */
class OrchwfHealthIndicatorTests {

	private final InMemoryStateStore store = new InMemoryStateStore();

	@Test
	void upWithTheNodeItsWorkAndTheBacklog() {
		CountDownLatch release = new CountDownLatch(1);
		try (Orchestrator orchestrator = Orchestrator.builder(this.store).nodeId("node-1").build()) {
			orchestrator.register(WorkflowDefinition.builder("orders", "Orders")
				.step(StepDefinition.builder("wait", "Wait", (context) -> {
					release.await(10, TimeUnit.SECONDS);
					return Map.of();
				}).build())
				.build());
			OrchwfHealthIndicator indicator = new OrchwfHealthIndicator(orchestrator, this.store, Clock.systemUTC());
			Health idle = indicator.health();
			assertThat(idle.getStatus()).isEqualTo(Status.UP);
			assertThat(idle.getDetails()).containsEntry("nodeId", "node-1")
				.containsEntry("backlog", 0L)
				.containsEntry("activeInstances", 0)
				.containsEntry("busyWorkers", 0)
				.containsEntry("unregisteredVersions", List.of());
			String instanceId = orchestrator.startAsync("orders", Map.of());
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(indicator.health().getDetails()).containsEntry("activeInstances", 1)
					.containsEntry("busyWorkers", 1));
			release.countDown();
			assertThat(orchestrator.awaitCompletion(instanceId, Duration.ofSeconds(10))).isPresent();
		}
	}

	@Test
	void reportsInstancesOnVersionsThisNodeHasNotRegisteredAndStaysUp() {
		Instant later = Instant.now().plus(Duration.ofHours(1));
		try (Orchestrator old = Orchestrator.builder(this.store).nodeId("old").build();
				Orchestrator current = Orchestrator.builder(this.store).nodeId("current").build()) {
			old.register(orders("1.0.0"));
			current.register(orders("2.0.0"));
			old.startAsync("orders", Map.of(), StartOptions.builder().startAt(later).build());
			old.startAsync("orders", Map.of(), StartOptions.builder().startAt(later).build());
			current.startAsync("orders", Map.of(), StartOptions.builder().startAt(later).build());
			Health now = new OrchwfHealthIndicator(current, this.store, Clock.systemUTC()).health();
			assertThat(now.getStatus()).isEqualTo(Status.UP);
			assertThat(now.getDetails()).containsEntry("backlog", 0L)
				.containsEntry("unregisteredVersions", List.of(new UnregisteredVersion("orders", "1.0.0", 2)));
			Clock twoHoursLater = Clock.fixed(later.plus(Duration.ofHours(1)), ZoneOffset.UTC);
			Health due = new OrchwfHealthIndicator(current, this.store, twoHoursLater).health();
			assertThat(due.getDetails()).containsEntry("backlog", 3L);
			Health oldView = new OrchwfHealthIndicator(old, this.store, Clock.systemUTC()).health();
			assertThat(oldView.getDetails()).containsEntry("unregisteredVersions",
					List.of(new UnregisteredVersion("orders", "2.0.0", 1)));
		}
	}

	@Test
	void downWithTheErrorWhenTheStoreFails() {
		StateStore failing = mock(StateStore.class);
		given(failing.countClaimable(any())).willThrow(new StoreException("connection refused", null));
		try (Orchestrator orchestrator = Orchestrator.builder(this.store).build()) {
			Health health = new OrchwfHealthIndicator(orchestrator, failing, Clock.systemUTC()).health();
			assertThat(health.getStatus()).isEqualTo(Status.DOWN);
			assertThat(health.getDetails()).hasEntrySatisfying("error",
					(error) -> assertThat(error.toString()).contains("connection refused"));
		}
	}

	@Test
	void reportsSchedulesWhoseWorkflowThisNodeHasNotRegisteredAndWhetherNoNodeFiresThem() {
		try (Orchestrator reporting = Orchestrator.builder(this.store).nodeId("reporting").build();
				Orchestrator other = Orchestrator.builder(this.store).nodeId("other").build()) {
			reporting.register(WorkflowDefinition.builder("report", "Report")
				.step(StepDefinition.builder("write", "Write", (context) -> Map.of()).build())
				.build());
			other.register(orders("1.0.0"));
			reporting.schedule(Schedule.every("hourly", Duration.ofHours(1)).workflow("report").build());
			Instant next = other.schedules().get(0).nextFireAt();
			Health soon = new OrchwfHealthIndicator(other, this.store, Clock.systemUTC()).health();
			assertThat(soon.getStatus()).isEqualTo(Status.UP);
			assertThat(soon.getDetails()).containsEntry("unregisteredSchedules",
					List.of(new UnregisteredSchedule("hourly", "report", next, false)));
			Clock pastTheTick = Clock.fixed(next.plus(Duration.ofMinutes(2)), ZoneOffset.UTC);
			assertThat(new OrchwfHealthIndicator(other, this.store, pastTheTick).health().getDetails()).containsEntry(
					"unregisteredSchedules", List.of(new UnregisteredSchedule("hourly", "report", next, true)));
			assertThat(new OrchwfHealthIndicator(reporting, this.store, pastTheTick).health().getDetails())
				.containsEntry("unregisteredSchedules", List.of());
		}
	}

	private static WorkflowDefinition orders(String version) {
		return WorkflowDefinition.builder("orders", "Orders")
			.version(version)
			.step(StepDefinition.builder("validate", "Validate", (context) -> Map.of()).build())
			.build();
	}

}
