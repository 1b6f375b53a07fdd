package io.orchwf.spring.actuate;

import java.time.Clock;
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
 * </ul>
 */
public class OrchwfHealthIndicator extends AbstractHealthIndicator {

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
			.withDetail("unregisteredVersions", unregistered);
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
