package io.orchwf.internal.engine.node;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

import io.orchwf.Retention;
import io.orchwf.RetryPolicy;
import io.orchwf.StepInterceptor;
import io.orchwf.event.OrchestratorListener;
import io.orchwf.event.WorkflowEventListener;
import io.orchwf.internal.engine.support.Ids;
import io.orchwf.store.StateStore;
import org.jspecify.annotations.Nullable;

/**
 * The validated settings of one orchestrator, as its builder collected them.
 *
 * @param store where state is kept
 * @param workers the async worker pool size
 * @param maxActiveInstances how many claimed instances this node drives at once
 * @param listeners the event listeners
 * @param interceptors the interceptors of step code, outermost first
 * @param nodeId this node's id, the owner of its leases; {@code null} for host name and
 * process id
 * @param leaseDuration how long a lease lasts without renewal
 * @param heartbeatInterval how often leases are renewed
 * @param pollInterval how often claimable work is looked for
 * @param defaultRetryPolicy the retry policy of steps that set none
 * @param defaultStepTimeout the attempt timeout of steps that set none
 * @param shutdownTimeout how long {@code close()} lets running steps finish
 * @param threadFactory creates the step threads, or {@code null} for named platform
 * threads
 * @param clock the clock the engine decides by
 * @param retention how long finished instances are kept
 * @param orchestratorListeners the listeners of what the orchestrator does on its own
 */
public record EngineSettings(StateStore store, int workers, int maxActiveInstances,
		List<WorkflowEventListener> listeners, List<StepInterceptor> interceptors, String nodeId,
		Duration leaseDuration, Duration heartbeatInterval, Duration pollInterval, RetryPolicy defaultRetryPolicy,
		Duration defaultStepTimeout, Duration shutdownTimeout, @Nullable ThreadFactory threadFactory, Clock clock,
		Retention retention, List<OrchestratorListener> orchestratorListeners) {

	/**
	 * Create settings.
	 * @param store where state is kept
	 * @param workers the async worker pool size
	 * @param maxActiveInstances the most claimed instances driven at once
	 * @param listeners the event listeners
	 * @param interceptors the interceptors of step code, outermost first
	 * @param nodeId this node's id
	 * @param leaseDuration the lease duration
	 * @param heartbeatInterval the lease renewal interval
	 * @param pollInterval the claim polling interval
	 * @param defaultRetryPolicy the default retry policy
	 * @param defaultStepTimeout the default attempt timeout
	 * @param shutdownTimeout the graceful shutdown bound
	 * @param threadFactory the step thread factory, or {@code null}
	 * @param clock the engine's clock
	 * @param retention the retention of finished instances
	 * @param orchestratorListeners the listeners of the orchestrator's own work
	 */
	public EngineSettings {
		Objects.requireNonNull(store, "store");
		listeners = List.copyOf(listeners);
		interceptors = List.copyOf(interceptors);
		nodeId = (nodeId != null) ? nodeId : Ids.defaultNodeId();
		Objects.requireNonNull(leaseDuration, "leaseDuration");
		Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
		Objects.requireNonNull(pollInterval, "pollInterval");
		Objects.requireNonNull(defaultRetryPolicy, "defaultRetryPolicy");
		Objects.requireNonNull(defaultStepTimeout, "defaultStepTimeout");
		Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
		Objects.requireNonNull(clock, "clock");
		Objects.requireNonNull(retention, "retention");
		orchestratorListeners = List.copyOf(orchestratorListeners);
	}

}
