package io.orchwf.spring.dashboard;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.orchwf.InstanceNotFoundException;
import io.orchwf.Orchestrator;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Carries out the dashboard's actions, each a form POST answered by a redirect to the
 * page it came from with a message saying what happened (Post/Redirect/Get).
 *
 * <p>
 * While actions are off, every action is refused with 403 before anything is read. A bad
 * value is refused with 400, an unknown instance with 404, and an action the instance
 * cannot take in its state with 409, each with a message saying why: the API forgives
 * what changes nothing (cancelling a finished instance, resuming a completed one), but an
 * operator who asks for it has most likely mistaken the instance.
 *
 * <p>
 * The API's {@code cancel} and {@code resume} wait for the instance to end, which may
 * take as long as the workflow; a request must not. Both run on an executor, and the
 * request waits a moment for them, so that a quick cancellation or run is reported as
 * done.
 */
final class DashboardActions {

	/** How long a cancellation is waited for before the page is shown. */
	static final Duration CANCEL_WAIT = Duration.ofSeconds(5);

	/** How long a resumed run is waited for before the page is shown. */
	static final Duration RESUME_WAIT = Duration.ofSeconds(2);

	private static final Logger logger = LoggerFactory.getLogger(DashboardActions.class);

	private final Orchestrator orchestrator;

	private final InstanceFinder finder;

	private final Executor executor;

	private final Responses responses;

	private final boolean enabled;

	DashboardActions(Orchestrator orchestrator, InstanceFinder finder, Executor executor, Responses responses,
			boolean enabled) {
		this.orchestrator = orchestrator;
		this.finder = finder;
		this.executor = executor;
		this.responses = responses;
		this.enabled = enabled;
	}

	ServerResponse cancel(ServerRequest request) {
		requireEnabled();
		String reason = requireReason(request);
		WorkflowInstance instance = find(request);
		String instanceId = instance.id();
		if (instance.status().isTerminal()) {
			throw ended(instanceId, instance.status(), "there is nothing to cancel");
		}
		CompletableFuture<WorkflowResult> cancellation = CompletableFuture
			.supplyAsync(() -> this.orchestrator.cancel(instanceId, reason), this.executor);
		Flash flash;
		try {
			WorkflowResult result = await(cancellation, CANCEL_WAIT);
			if (result == null) {
				cancellation.whenComplete((done, failure) -> logOutcome("Cancellation", instanceId, done, failure));
				flash = new Flash(Flash.Kind.INFO, "Cancellation requested: the instance stops its running steps "
						+ "and compensates what completed, then ends cancelled.");
			}
			else if (result.status() != WorkflowStatus.CANCELLED) {
				// it ended by itself after the look above, before the cancellation took
				// effect
				throw ended(instanceId, result.status(), "there is nothing to cancel");
			}
			else {
				flash = new Flash(Flash.Kind.SUCCESS, "Instance cancelled: " + reason);
			}
		}
		catch (InstanceNotFoundException ex) {
			throw DashboardException.notFound(instanceId);
		}
		return this.responses.redirect(this.responses.links(request).instance(instanceId), flash);
	}

	ServerResponse resume(ServerRequest request) {
		requireEnabled();
		WorkflowInstance instance = find(request);
		String instanceId = instance.id();
		if (instance.status() != WorkflowStatus.FAILED) {
			throw new DashboardException(HttpStatus.CONFLICT,
					"Instance " + instanceId + " is " + Statuses.label(instance.status()).toLowerCase(Locale.ROOT)
							+ ": only a failed instance can be resumed; " + whyNotResumable(instance.status()));
		}
		if (Workflows.find(this.orchestrator.workflows(), instance.workflowId(), instance.workflowVersion())
			.isEmpty()) {
			throw new DashboardException(HttpStatus.CONFLICT,
					"Instance " + instanceId + " runs on version " + instance.workflowVersion() + " of workflow "
							+ instance.workflowId() + ", which this node has not registered; resume it on a node "
							+ "that has");
		}
		CompletableFuture<WorkflowResult> run = CompletableFuture
			.supplyAsync(() -> this.orchestrator.resume(instanceId), this.executor);
		Flash flash;
		try {
			WorkflowResult result = await(run, RESUME_WAIT);
			if (result == null) {
				run.whenComplete((done, failure) -> logOutcome("Resumption", instanceId, done, failure));
				flash = new Flash(Flash.Kind.INFO, "Instance resumed: what did not complete runs again.");
			}
			else {
				flash = new Flash(result.success() ? Flash.Kind.SUCCESS : Flash.Kind.INFO,
						"Instance resumed; it ran again and ended "
								+ Statuses.label(result.status()).toLowerCase(Locale.ROOT) + ".");
			}
		}
		catch (InstanceNotFoundException ex) {
			throw DashboardException.notFound(instanceId);
		}
		return this.responses.redirect(this.responses.links(request).instance(instanceId), flash);
	}

	ServerResponse signal(ServerRequest request) {
		requireEnabled();
		String name = Forms.storableText("name", request.param("name").orElse(null));
		if (name == null) {
			throw Forms.invalid("A signal needs a name");
		}
		Map<String, Object> payload = Forms.jsonObject(request.param("payload").orElse(null));
		WorkflowInstance instance = find(request);
		try {
			this.orchestrator.signal(instance.id(), name, payload);
		}
		catch (InstanceNotFoundException ex) {
			throw DashboardException.notFound(instance.id());
		}
		catch (IllegalStateException ex) {
			// the API refuses an ended instance atomically with storing the signal
			throw new DashboardException(HttpStatus.CONFLICT,
					Forms.messageOf(ex, "Instance " + instance.id() + " takes no more signals"));
		}
		catch (IllegalArgumentException ex) {
			// a value the API or the store refuses: a payload too large to keep, say
			throw Forms.invalid(Forms.messageOf(ex, "The signal is invalid"));
		}
		return this.responses.redirect(this.responses.links(request).instance(instance.id()),
				new Flash(Flash.Kind.SUCCESS, "Signal '" + name + "' sent."));
	}

	ServerResponse cancelAll(ServerRequest request) {
		requireEnabled();
		String reason = requireReason(request);
		ListQuery query = bulkQuery(request);
		int cancelled;
		try {
			cancelled = this.orchestrator.cancelAll(query.filter(), reason);
		}
		catch (IllegalArgumentException ex) {
			throw Forms.invalid(Forms.messageOf(ex, "The filter is invalid"));
		}
		return this.responses.redirect(this.responses.links(request).instances(query),
				new Flash(Flash.Kind.SUCCESS, "Cancellation requested for " + Formats.count(cancelled, "instance")
						+ ": each stops its running steps and compensates what completed, then ends cancelled."));
	}

	ServerResponse resumeAll(ServerRequest request) {
		requireEnabled();
		ListQuery query = bulkQuery(request);
		int resumed;
		try {
			resumed = this.orchestrator.resumeAll(query.filter());
		}
		catch (IllegalArgumentException ex) {
			throw Forms.invalid(Forms.messageOf(ex, "The filter is invalid"));
		}
		return this.responses.redirect(this.responses.links(request).instances(query), new Flash(Flash.Kind.SUCCESS,
				"Resumed " + Formats.count(resumed, "failed instance") + ": what did not complete runs again."));
	}

	private void requireEnabled() {
		if (!this.enabled) {
			throw new DashboardException(HttpStatus.FORBIDDEN,
					"Actions are off. Set orchwf.dashboard.actions-enabled=true to cancel, resume and signal "
							+ "instances from the dashboard.");
		}
	}

	private static String requireReason(ServerRequest request) {
		String reason = Forms.text("reason", request.param("reason").orElse(null));
		if (reason == null) {
			throw Forms.invalid("A cancellation needs a reason: say why, for the instance's history");
		}
		return reason;
	}

	private static ListQuery bulkQuery(ServerRequest request) {
		ListQuery query = ListQuery.from(request.params());
		if (query.idOrKey() != null) {
			throw Forms.invalid(
					"A bulk action acts on filters, not on one instance: open the instance's page to act " + "on it");
		}
		if (!query.filtered()) {
			// one click must never act on every instance there is
			throw Forms.invalid("A bulk action needs a filter: choose a workflow, a status or a business id first");
		}
		return query.withOffset(0);
	}

	private WorkflowInstance find(ServerRequest request) {
		String instanceId = request.pathVariable("id");
		return this.finder.byId(instanceId).orElseThrow(() -> DashboardException.notFound(instanceId));
	}

	private static @Nullable WorkflowResult await(CompletableFuture<WorkflowResult> action, Duration wait) {
		try {
			return action.get(wait.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			throw new IllegalStateException("The action failed", ex.getCause());
		}
	}

	private static DashboardException ended(String instanceId, WorkflowStatus status, String consequence) {
		return new DashboardException(HttpStatus.CONFLICT, "Instance " + instanceId + " has already ended ("
				+ Statuses.label(status).toLowerCase(Locale.ROOT) + "); " + consequence);
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
			case FAILED -> "it can be resumed";
		};
	}

	private static void logOutcome(String action, String instanceId, @Nullable WorkflowResult result,
			@Nullable Throwable failure) {
		if (failure != null) {
			logger.warn("{} of workflow instance {} requested from the dashboard did not finish: {}", action,
					instanceId, failure.toString());
		}
		else if (result != null) {
			logger.info("{} of workflow instance {} requested from the dashboard ended {}", action, instanceId,
					result.status());
		}
	}

}
