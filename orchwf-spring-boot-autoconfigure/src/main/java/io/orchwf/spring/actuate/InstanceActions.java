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
 *
 * <p>
 * The API forgives what changes nothing (cancelling a finished instance, resuming a
 * completed one); an operator who asks for it has most likely mistaken the instance, so
 * here each is refused with an {@link IllegalStateException} saying why. The same holds
 * when the instance changes between the look at its state and the action.
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
		String instanceId = instance.id();
		if (instance.status().isTerminal()) {
			throw ended(instanceId, instance.status());
		}
		CompletableFuture<WorkflowResult> cancellation = CompletableFuture
			.supplyAsync(() -> this.orchestrator.cancel(instanceId, reason), this.executor);
		try {
			WorkflowResult result = cancellation.get(this.cancelWait.toMillis(), TimeUnit.MILLISECONDS);
			if (result.status() != WorkflowStatus.CANCELLED) {
				// it ended by itself after the look above, before the cancellation took
				// effect (or it was compensating a failure already)
				throw ended(instanceId, result.status());
			}
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
		if (status != WorkflowStatus.FAILED) {
			throw new IllegalStateException("Instance " + instance.id() + " is " + status
					+ ": only a FAILED instance can be resumed; " + whyNotResumable(status));
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
		// the API refuses a finished instance itself, atomically with storing the signal,
		// so an instance that ends meanwhile is refused as well
		this.orchestrator.signal(instance.id(), name, payload);
		return new ActionDescriptor("signal", true, current(instance));
	}

	private static IllegalStateException ended(String instanceId, WorkflowStatus status) {
		return new IllegalStateException(
				"Instance " + instanceId + " has already ended (" + status + "); there is nothing to cancel");
	}

	private static String whyNotResumable(WorkflowStatus status) {
		return switch (status) {
			case PENDING -> "a pending instance starts by itself at its start time";
			case RUNNING -> "a running instance is driven already, and another node takes it over if its own stops";
			case WAITING -> "a waiting instance goes on by itself when its signal, timer or child arrives, "
					+ "or when its retry delay ends";
			case COMPENSATING -> "a compensating instance ends by itself once its compensators have run";
			case COMPLETED -> "a completed instance has nothing left to run";
			case CANCELLED -> "a cancelled instance stays cancelled; start a new instance to run the workflow again";
			// the caller resumes a FAILED instance instead of asking why it cannot
			case FAILED -> throw new IllegalStateException("A FAILED instance can be resumed");
		};
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
