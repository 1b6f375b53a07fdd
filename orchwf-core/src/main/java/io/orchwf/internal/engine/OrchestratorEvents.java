package io.orchwf.internal.engine;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import io.orchwf.WorkflowStatus;
import io.orchwf.event.OrchestratorListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the {@link OrchestratorListener}s what the orchestrator did on its own, isolating
 * its work from their failures.
 */
final class OrchestratorEvents {

	private static final Logger logger = LoggerFactory.getLogger(OrchestratorEvents.class);

	private final List<OrchestratorListener> listeners;

	OrchestratorEvents(List<OrchestratorListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	void instancesDeleted(WorkflowStatus status, int count) {
		tell((listener) -> listener.instancesDeleted(status, count), "deleted " + count + " " + status + " instances");
	}

	void scheduleFired(String scheduleName, String workflowId, String instanceId, Instant tick) {
		tell((listener) -> listener.scheduleFired(scheduleName, workflowId, instanceId, tick),
				"schedule '" + scheduleName + "' firing " + tick);
	}

	private void tell(Consumer<OrchestratorListener> call, String what) {
		for (OrchestratorListener listener : this.listeners) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("Orchestrator listener {} failed on {}", listener, what, ex);
			}
		}
	}

}
