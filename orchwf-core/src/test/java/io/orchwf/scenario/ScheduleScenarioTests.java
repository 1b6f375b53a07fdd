package io.orchwf.scenario;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import io.orchwf.Orchestrator;
import io.orchwf.OverlapPolicy;
import io.orchwf.Schedule;
import io.orchwf.ScheduleInfo;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowStatus;
import io.orchwf.scenario.ClockScenarioTests.SettableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Schedules start one instance per tick, by the orchestrator's clock, across all the
 * nodes of a store: with the schedule's input and metadata naming it, the latest of
 * missed ticks only, a tick skipped while the previous instance runs unless overlaps are
 * allowed, none after it is unscheduled.
 */
class ScheduleScenarioTests extends ScenarioSupport {

	// a Tuesday, 00:00 UTC: 01:00 in Paris
	private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

	private final SettableClock clock = new SettableClock(T0);

	@Test
	void aCronTickStartsOneInstanceAcrossTwoNodesWithItsInputAndMetadata() {
		Orchestrator a = node("node-a");
		Orchestrator b = node("node-b");
		Schedule nightly = Schedule.cron("nightly-report", "0 0 2 * * *")
			.workflow("report")
			.zone(ZoneId.of("Europe/Paris"))
			.input(Map.of("kind", "daily", "days", 1))
			.build();
		a.schedule(nightly);
		b.schedule(nightly);
		assertThat(a.schedules()).singleElement().satisfies((info) -> {
			assertThat(info.name()).isEqualTo("nightly-report");
			assertThat(info.workflowId()).isEqualTo("report");
			assertThat(info.nextFireAt()).as("2 a.m. in Paris").isEqualTo(Instant.parse("2030-01-01T01:00:00Z"));
			assertThat(info.lastFireAt()).isEmpty();
		});

		this.clock.advance(Duration.ofHours(1));

		await().atMost(WAIT).until(() -> reports(a).size() == 1 && reports(a).get(0).status().isTerminal());
		await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> reports(b).size() == 1);
		WorkflowInstance report = reports(a).get(0);
		assertThat(report.input()).isEqualTo(Map.of("kind", "daily", "days", 1));
		assertThat(report.metadata()).containsEntry("schedule_name", "nightly-report")
			.containsEntry("scheduled_at", "2030-01-01T01:00:00Z");
		await().atMost(WAIT).untilAsserted(() -> assertThat(b.schedules()).singleElement().satisfies((info) -> {
			assertThat(info.lastFireAt()).hasValue(Instant.parse("2030-01-01T01:00:00Z"));
			assertThat(info.nextFireAt()).isEqualTo(Instant.parse("2030-01-02T01:00:00Z"));
			assertThat(info.lastInstanceId()).hasValue(report.id());
		}));
	}

	@Test
	void ticksMissedWhileNoNodeRanRunOnceTheLatest() {
		Orchestrator orchestrator = node("node-a");
		orchestrator.schedule(Schedule.every("hourly", Duration.ofHours(1)).workflow("report").build());
		this.clock.advance(Duration.ofHours(5).plusMinutes(30));
		await().atMost(WAIT).until(() -> reports(orchestrator).size() == 1);
		await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> reports(orchestrator).size() == 1);
		assertThat(reports(orchestrator).get(0).metadata()).containsEntry("scheduled_at", "2030-01-01T05:00:00Z");
		assertThat(orchestrator.schedules().get(0).nextFireAt()).isEqualTo(Instant.parse("2030-01-01T06:00:00Z"));
	}

	@Test
	void skipStartsNothingWhileThePreviousTickRunsAndAllowDoes() {
		Orchestrator orchestrator = node("node-a");
		orchestrator.schedule(Schedule.every("approvals", Duration.ofMinutes(1)).workflow("approval").build());
		orchestrator.schedule(Schedule.every("overlapping", Duration.ofMinutes(1))
			.workflow("approval")
			.input(Map.of("overlap", true))
			.overlap(OverlapPolicy.ALLOW)
			.build());
		this.clock.advance(Duration.ofMinutes(1));
		await().atMost(WAIT).until(() -> approvals(orchestrator, false).size() == 1);
		String first = approvals(orchestrator, false).get(0).id();
		awaitStatus(orchestrator, first, WorkflowStatus.WAITING);

		this.clock.advance(Duration.ofMinutes(1));
		await().atMost(WAIT).until(() -> approvals(orchestrator, true).size() == 2);
		await().atMost(WAIT)
			.until(() -> schedule(orchestrator, "approvals").lastFireAt()
				.equals(java.util.Optional.of(T0.plus(Duration.ofMinutes(2)))));
		assertThat(approvals(orchestrator, false)).as("skipped: the first still waits").hasSize(1);

		orchestrator.signal(first, "approve", Map.of());
		awaitStatus(orchestrator, first, WorkflowStatus.COMPLETED);
		this.clock.advance(Duration.ofMinutes(1));
		await().atMost(WAIT).until(() -> approvals(orchestrator, false).size() == 2);
	}

	@Test
	void unscheduleStopsTheTicks() {
		Orchestrator orchestrator = node("node-a");
		orchestrator.schedule(Schedule.every("hourly", Duration.ofHours(1)).workflow("report").build());
		assertThat(orchestrator.unschedule("hourly")).isTrue();
		assertThat(orchestrator.unschedule("hourly")).isFalse();
		assertThat(orchestrator.schedules()).isEmpty();
		this.clock.advance(Duration.ofHours(2));
		await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> reports(orchestrator).isEmpty());
	}

	@Test
	void aScheduleOfTheSameNameWithAnotherDefinitionReplacesIt() {
		Orchestrator orchestrator = node("node-a");
		orchestrator.schedule(Schedule.every("feed", Duration.ofHours(1)).workflow("report").build());
		orchestrator.schedule(Schedule.cron("feed", "0 30 * * * *").workflow("report").build());
		assertThat(orchestrator.schedules()).singleElement().satisfies((info) -> {
			assertThat(info.schedule().cronExpression()).hasValue("0 30 * * * *");
			assertThat(info.nextFireAt()).isEqualTo(T0.plus(Duration.ofMinutes(30)));
		});
	}

	@Test
	void refusesWhatCannotRunWithAMessageThatSaysWhy() {
		Orchestrator orchestrator = node("node-a");
		assertThatIllegalArgumentException().isThrownBy(() -> Schedule.cron("bad", "0 0 25 * * *"))
			.withMessageContaining("The cron expression '0 0 25 * * *' of schedule 'bad' is not valid")
			.withMessageContaining("six fields");
		assertThatIllegalArgumentException().isThrownBy(() -> Schedule.cron("short", "* * *"))
			.withMessageContaining("schedule 'short'");
		assertThatIllegalArgumentException().isThrownBy(() -> Schedule.every("zero", Duration.ZERO))
			.withMessageContaining("The interval of schedule 'zero' must be at least a millisecond");
		assertThatIllegalArgumentException().isThrownBy(() -> Schedule.every("none", Duration.ofMinutes(1)).build())
			.withMessageContaining("Schedule 'none' starts no workflow");
		assertThatIllegalArgumentException().isThrownBy(
				() -> orchestrator.schedule(Schedule.every("ghost", Duration.ofMinutes(1)).workflow("unknown").build()))
			.withMessage("Schedule 'ghost' starts workflow 'unknown', which is not registered on this node; "
					+ "register it before scheduling it");
		assertThat(orchestrator.schedules()).isEmpty();
	}

	private Orchestrator node(String nodeId) {
		Orchestrator orchestrator = orchestrator((builder) -> builder.clock(this.clock).nodeId(nodeId));
		orchestrator.register(workflow("report", noop("write")));
		orchestrator.register(
				workflow("approval", StepDefinition.awaitSignal("wait", "approve"), noop("after").dependsOn("wait")));
		return orchestrator;
	}

	private static List<WorkflowInstance> reports(Orchestrator orchestrator) {
		return orchestrator.list(WorkflowFilter.builder().workflowId("report").build(), 100, 0).items();
	}

	private static List<WorkflowInstance> approvals(Orchestrator orchestrator, boolean overlapping) {
		return orchestrator.list(WorkflowFilter.builder().workflowId("approval").build(), 100, 0)
			.items()
			.stream()
			.filter((instance) -> instance.input().containsKey("overlap") == overlapping)
			.toList();
	}

	private static ScheduleInfo schedule(Orchestrator orchestrator, String name) {
		return orchestrator.schedules().stream().filter((info) -> info.name().equals(name)).findFirst().orElseThrow();
	}

}
