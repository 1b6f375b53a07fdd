package io.orchwf.spring.actuate;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.orchwf.Orchestrator;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.spring.actuate.OrchwfEndpoint.ActionDescriptor;
import io.orchwf.spring.actuate.OrchwfEndpoint.InstanceSummary;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the endpoint's write operations. The API's {@code cancel} and
 * {@code resume} wait for the instance to end, which may take as long as the workflow; an
 * HTTP request must not. Both therefore run on an executor: a resumption is answered at
 * once, a cancellation once the instance has ended or after a bounded wait, each with the
 * instance's state at that moment.
 */
final class InstanceActions {

	private static final Logger logger = LoggerFactory.getLogger(InstanceActions.class);

	private final Orchestrator orchestrator;

	private final Executor executor;

	private final Duration cancelWait;

	InstanceActions(Orchestrator orchestrator, Executor executor, Duration cancelWait) {
		if (cancelWait.isNegative()) {
			throw new IllegalArgumentException("cancelWait must not be negative but was " + cancelWait);
		}
		this.orchestrator = orchestrator;
		this.executor = executor;
		this.cancelWait = cancelWait;
	}

	ActionDescriptor cancel(WorkflowInstance instance, String reason) {
		if (instance.status().isTerminal()) {
			// cancelling a finished instance changes nothing
			return new ActionDescriptor("cancel", true, InstanceSummary.of(instance));
		}
		String instanceId = instance.id();
		CompletableFuture<WorkflowResult> cancellation = CompletableFuture
			.supplyAsync(() -> this.orchestrator.cancel(instanceId, reason), this.executor);
		try {
			WorkflowResult result = cancellation.get(this.cancelWait.toMillis(), TimeUnit.MILLISECONDS);
			return new ActionDescriptor("cancel", true, InstanceSummary.of(result.instance()));
		}
		catch (TimeoutException ex) {
			cancellation.whenComplete((result, failure) -> logOutcome("Cancellation", instanceId, result, failure));
			return new ActionDescriptor("cancel", false, current(instance));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new ActionDescriptor("cancel", false, current(instance));
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			throw new IllegalStateException("Cancellation of instance " + instanceId + " failed", ex.getCause());
		}
	}

	ActionDescriptor resume(WorkflowInstance instance) {
		WorkflowStatus status = instance.status();
		if (status == WorkflowStatus.COMPLETED || status == WorkflowStatus.CANCELLED) {
			// resuming them changes nothing
			return new ActionDescriptor("resume", true, InstanceSummary.of(instance));
		}
		if (!isRegistered(instance)) {
			throw new IllegalStateException("Instance " + instance.id() + " runs on version "
					+ instance.workflowVersion() + " of workflow " + instance.workflowId()
					+ ", which this node has not registered; resume it on a node that has");
		}
		String instanceId = instance.id();
		this.executor.execute(() -> {
			WorkflowResult result = null;
			RuntimeException failure = null;
			try {
				result = this.orchestrator.resume(instanceId);
			}
			catch (RuntimeException ex) {
				failure = ex;
			}
			logOutcome("Resumption", instanceId, result, failure);
		});
		return new ActionDescriptor("resume", false, InstanceSummary.of(instance));
	}

	ActionDescriptor signal(WorkflowInstance instance, String name, @Nullable Map<String, Object> payload) {
		this.orchestrator.signal(instance.id(), name, payload);
		return new ActionDescriptor("signal", true, current(instance));
	}

	private boolean isRegistered(WorkflowInstance instance) {
		return this.orchestrator.workflows()
			.stream()
			.anyMatch((definition) -> definition.id().equals(instance.workflowId())
					&& definition.version().equals(instance.workflowVersion()));
	}

	private InstanceSummary current(WorkflowInstance instance) {
		return InstanceSummary.of(this.orchestrator.status(instance.id()).orElse(instance));
	}

	private static void logOutcome(String action, String instanceId, @Nullable WorkflowResult result,
			@Nullable Throwable failure) {
		if (failure != null) {
			logger.warn("{} of workflow instance {} requested through the actuator endpoint did not finish: {}", action,
					instanceId, failure.toString());
		}
		else if (result != null) {
			logger.info("{} of workflow instance {} requested through the actuator endpoint ended {}", action,
					instanceId, result.status());
		}
	}

}
