package io.orchwf.spring.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.orchwf.Orchestrator;
import io.orchwf.store.StateStore;
import io.orchwf.store.WorkflowKey;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The {@code orchwf} health indicator.
 *
 * <p>
 * {@code DOWN}, with the error, when the state store cannot be read; otherwise {@code UP}
 * with these details:
 * <ul>
 * <li>{@code nodeId}: this node's id;</li>
 * <li>{@code backlog}: the instances waiting to be claimed by some node (due wake-ups,
 * pending starts, expired leases);</li>
 * <li>{@code activeInstances} and {@code busyWorkers}: what this node drives and
 * runs;</li>
 * <li>{@code unregisteredVersions}: unfinished instances whose workflow version this node
 * has not registered, by workflow and version. They stay {@code UP}: another node may run
 * that version, and such instances wait rather than fail.</li>
 * <li>{@code unregisteredSchedules}: schedules whose workflow this node has not
 * registered, with {@code overdue} true once their next tick is more than a minute past:
 * then no node fires them. They stay {@code UP} too.</li>
 * </ul>
 */
public class OrchwfHealthIndicator extends AbstractHealthIndicator {

	/** How long past its tick a schedule no node fires is overdue. */
	private static final Duration OVERDUE = Duration.ofMinutes(1);

	private final Orchestrator orchestrator;

	private final StateStore store;

	private final Clock clock;

	/**
	 * Create the indicator.
	 * @param orchestrator this node's orchestrator
	 * @param store the orchestrator's store
	 * @param clock this node's clock, the one the orchestrator uses
	 */
	public OrchwfHealthIndicator(Orchestrator orchestrator, StateStore store, Clock clock) {
		super("orchwf health check failed");
		this.orchestrator = orchestrator;
		this.store = store;
		this.clock = clock;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		long backlog = this.store.countClaimable(this.clock.instant());
		Map<WorkflowKey, Long> unfinished = this.store.countUnfinished();
		Set<WorkflowKey> registered = this.orchestrator.workflows()
			.stream()
			.map((definition) -> new WorkflowKey(definition.id(), definition.version()))
			.collect(Collectors.toSet());
		List<UnregisteredVersion> unregistered = unfinished.entrySet()
			.stream()
			.filter((entry) -> !registered.contains(entry.getKey()))
			.map((entry) -> new UnregisteredVersion(entry.getKey().workflowId(), entry.getKey().version(),
					entry.getValue()))
			.sorted(Comparator.comparing(UnregisteredVersion::workflowId).thenComparing(UnregisteredVersion::version))
			.toList();
		builder.up()
			.withDetail("nodeId", this.orchestrator.nodeId())
			.withDetail("backlog", backlog)
			.withDetail("activeInstances", this.orchestrator.activeInstances())
			.withDetail("busyWorkers", this.orchestrator.busyWorkers())
			.withDetail("unregisteredVersions", unregistered)
			.withDetail("unregisteredSchedules", unregisteredSchedules(registered));
	}

	private List<UnregisteredSchedule> unregisteredSchedules(Set<WorkflowKey> registered) {
		Set<String> workflows = registered.stream().map(WorkflowKey::workflowId).collect(Collectors.toSet());
		Instant overdue = this.clock.instant().minus(OVERDUE);
		return this.orchestrator.schedules()
			.stream()
			.filter((schedule) -> !workflows.contains(schedule.workflowId()))
			.map((schedule) -> new UnregisteredSchedule(schedule.name(), schedule.workflowId(), schedule.nextFireAt(),
					schedule.nextFireAt().isBefore(overdue)))
			.toList();
	}

	/**
	 * A schedule whose workflow this node has not registered.
	 *
	 * @param name the schedule's name
	 * @param workflowId its workflow
	 * @param nextFireAt the tick it fires at next
	 * @param overdue whether that tick is more than a minute past: no node fires it
	 */
	public record UnregisteredSchedule(String name, String workflowId, Instant nextFireAt, boolean overdue) {
	}

	/**
	 * Unfinished instances on a workflow version this node has not registered.
	 *
	 * @param workflowId the workflow id
	 * @param version the version
	 * @param instances how many unfinished instances run on it
	 */
	public record UnregisteredVersion(String workflowId, String version, long instances) {
	}

}
