package io.orchwf.spring.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;

import io.orchwf.FailurePolicy;
import io.orchwf.InstanceNotFoundException;
import io.orchwf.Orchestrator;
import io.orchwf.OverlapPolicy;
import io.orchwf.Page;
import io.orchwf.Schedule;
import io.orchwf.ScheduleInfo;
import io.orchwf.RetryPolicy;
import io.orchwf.StepDefinition;
import io.orchwf.StepInstance;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.store.StateStore;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code orchwf} actuator endpoint: what runs, and what an operator can do about it.
 *
 * <ul>
 * <li>Read ({@code GET /actuator/orchwf}): the registered workflows with their steps and
 * dependencies, the instance counts by status, and a page of instances filtered by
 * {@code workflowId}, {@code status} (one or more, comma-separated), {@code businessId},
 * {@code limit} and {@code offset}.</li>
 * <li>Read with a selector ({@code GET /actuator/orchwf/{instanceId}}): one instance with
 * its steps and history; {@code null} (404 on the web) if there is none, which includes
 * an id the store could never hold (one that is not a UUID, for the JDBC store).</li>
 * <li>Write ({@code POST /actuator/orchwf/{instanceId}}): {@code action} = {@code cancel}
 * (with a {@code reason}), {@code resume}, or {@code signal} (with a {@code name} and an
 * optional {@code payload}); {@code null} (404 on the web) if there is no such
 * instance.</li>
 * </ul>
 *
 * <p>
 * The signal payload is a JSON object written as a string, as in
 * <code>{"action": "signal", "name": "approve", "payload": "{\"approvedBy\": \"ann\"}"}</code>:
 * the actuator reads the body of a write operation as a flat map of strings, so a nested
 * object cannot be sent as such.
 *
 * <p>
 * An {@link InvalidEndpointRequestException} (400 on the web), with a message naming the
 * parameter and its rule, refuses:
 * <ul>
 * <li>a {@code limit} that is not a whole number from 1 to {@value #MAX_LIMIT}, an
 * {@code offset} that is not a whole number from 0, an unknown {@code status};</li>
 * <li>a {@code workflowId}, {@code businessId} or signal {@code name} that has the
 * character U+0000 or an unpaired surrogate, or is longer than 255 characters; a
 * {@code reason} with U+0000 or an unpaired surrogate; a {@code payload} that is not a
 * JSON object;</li>
 * <li>a missing or unknown {@code action}, a {@code cancel} without a reason, a
 * {@code signal} without a name;</li>
 * <li>any value the orchestrator or its store refuses with an
 * {@link IllegalArgumentException} when it builds the filter, lists, or takes the
 * signal.</li>
 * </ul>
 *
 * <p>
 * An {@link IllegalStateException} (409 on the web), with a message saying why and what
 * to do, refuses an action the instance cannot take in its state:
 * <ul>
 * <li>{@code cancel} of an instance that has ended (COMPLETED, FAILED or CANCELLED),
 * including one that ends by itself between the look at its state and the
 * cancellation;</li>
 * <li>{@code resume} of any instance but a FAILED one, or of one whose workflow version
 * this node has not registered;</li>
 * <li>{@code signal} to an instance that has ended, including one that ends
 * meanwhile.</li>
 * </ul>
 *
 * <p>
 * Its access is {@link Access#READ_ONLY read-only} unless the application says otherwise:
 * the write operation exists only with
 * {@code management.endpoint.orchwf.access=unrestricted} (or
 * {@code management.endpoints.access.default=unrestricted}), so that an endpoint exposed
 * to look at workflows does not let anyone who reaches it cancel them.
 *
 * <p>
 * A resumption runs in the background: the answer is the instance's state when it was
 * requested. A cancellation is answered when the instance has ended, or after a bounded
 * wait with its state at that moment. {@link OrchwfEndpointWebExtension} turns these
 * answers and refusals into status codes and problem details.
 */
@Endpoint(id = "orchwf", defaultAccess = Access.READ_ONLY)
public class OrchwfEndpoint {

	/** The page size when none is asked for. */
	public static final int DEFAULT_LIMIT = 20;

	/** The largest page size. */
	public static final int MAX_LIMIT = 1000;

	/** How long a cancellation is waited for by default before it is answered. */
	public static final Duration DEFAULT_CANCEL_WAIT = Duration.ofSeconds(10);

	private static final String ACTIONS = "use cancel, resume or signal";

	private final Orchestrator orchestrator;

	private final StateStore store;

	private final InstanceActions actions;

	/**
	 * Create the endpoint.
	 * @param orchestrator the orchestrator whose workflows and instances it shows
	 * @param store the orchestrator's store, for counts
	 * @param executor runs resumptions and cancellations, which wait for the instance to
	 * end; a thread per task suits them best
	 * @param cancelWait how long a cancellation is waited for before it is answered with
	 * the instance's state at that moment
	 */
	public OrchwfEndpoint(Orchestrator orchestrator, StateStore store, Executor executor, Duration cancelWait) {
		this.orchestrator = orchestrator;
		this.store = store;
		this.actions = new InstanceActions(orchestrator, executor, cancelWait);
	}

	/**
	 * Describe the registered workflows, the instance counts and one page of instances.
	 * Every argument is text, so that a malformed number is answered with a message, not
	 * a mapping failure.
	 * @param workflowId only instances (and counts) of this workflow
	 * @param status only instances in one of these states, comma-separated
	 * @param businessId only instances with this business id
	 * @param limit the page size, a whole number from 1 to {@value #MAX_LIMIT}; default
	 * {@value #DEFAULT_LIMIT}
	 * @param offset how many matching instances to skip, a whole number; default 0
	 * @return the description
	 * @throws InvalidEndpointRequestException if an argument is invalid
	 */
	@ReadOperation
	public OrchwfDescriptor orchwf(@Nullable String workflowId, @Nullable String status, @Nullable String businessId,
			@Nullable String limit, @Nullable String offset) {
		int pageSize = EndpointArguments.limit(limit);
		int skip = EndpointArguments.offset(offset);
		String workflow = EndpointArguments.storableText("workflowId", workflowId);
		String business = EndpointArguments.storableText("businessId", businessId);
		WorkflowStatus[] statuses = EndpointArguments.statuses(status);
		Page<WorkflowInstance> page;
		Map<WorkflowStatus, Long> counts = new EnumMap<>(WorkflowStatus.class);
		Arrays.stream(WorkflowStatus.values()).forEach((state) -> counts.put(state, 0L));
		try {
			WorkflowFilter filter = WorkflowFilter.builder()
				.workflowId(workflow)
				.status(statuses)
				.businessId(business)
				.build();
			page = this.orchestrator.list(filter, pageSize, skip);
			counts.putAll(this.store.countByStatus(workflow));
		}
		catch (IllegalArgumentException ex) {
			// the API (or a store) may have rules this endpoint does not check itself
			throw EndpointArguments.invalid(messageOf(ex, "The listing arguments are invalid"));
		}
		List<WorkflowDescriptor> workflows = this.orchestrator.workflows()
			.stream()
			.sorted(Comparator.comparing(WorkflowDefinition::id).thenComparing(WorkflowDefinition::version))
			.map(WorkflowDescriptor::of)
			.toList();
		InstancesDescriptor instances = new InstancesDescriptor(page.items().stream().map(InstanceSummary::of).toList(),
				page.total(), page.limit(), page.offset());
		List<ScheduleDescriptor> schedules = this.orchestrator.schedules()
			.stream()
			.map(ScheduleDescriptor::of)
			.toList();
		return new OrchwfDescriptor(this.orchestrator.nodeId(), this.orchestrator.activeInstances(),
				this.orchestrator.busyWorkers(), workflows, schedules, counts, instances);
	}

	/**
	 * Describe one instance with its steps and history.
	 * @param instanceId the instance
	 * @return the description, or {@code null} if there is no such instance
	 */
	@ReadOperation
	public @Nullable InstanceDescriptor instance(@Selector String instanceId) {
		WorkflowInstance instance = find(instanceId);
		if (instance == null) {
			return null;
		}
		try {
			return InstanceDescriptor.of(instance, this.orchestrator.history(instanceId));
		}
		catch (InstanceNotFoundException ex) {
			// deleted meanwhile
			return null;
		}
	}

	/**
	 * Cancel, resume or signal an instance.
	 * @param instanceId the instance
	 * @param action {@code cancel}, {@code resume} or {@code signal}
	 * @param reason why, for {@code cancel}
	 * @param name the signal name, for {@code signal}
	 * @param payload the signal payload, for {@code signal}: a JSON object; {@code null}
	 * means empty
	 * @return what became of the instance, or {@code null} if there is no such instance
	 * @throws InvalidEndpointRequestException if the action is unknown or lacks an
	 * argument, or if an argument is invalid
	 * @throws IllegalStateException if the instance cannot take the action in its state
	 */
	@WriteOperation
	public @Nullable ActionDescriptor action(@Selector String instanceId, @Nullable String action,
			@Nullable String reason, @Nullable String name, @Nullable String payload) {
		String verb = EndpointArguments.blankToNull(action);
		if (verb == null) {
			throw EndpointArguments.invalid("Missing action: " + ACTIONS);
		}
		verb = verb.toLowerCase(Locale.ROOT);
		String why = null;
		String signal = null;
		Map<String, Object> values = Map.of();
		switch (verb) {
			case "cancel" -> {
				why = EndpointArguments.text("reason", reason);
				if (why == null) {
					throw EndpointArguments.invalid("Action cancel needs a reason");
				}
			}
			case "signal" -> {
				signal = EndpointArguments.storableText("name", name);
				if (signal == null) {
					throw EndpointArguments.invalid("Action signal needs a name");
				}
				values = EndpointArguments.payload(payload);
			}
			case "resume" -> {
				// needs nothing more
			}
			default -> throw EndpointArguments.invalid("Unknown action '" + action + "': " + ACTIONS);
		}
		WorkflowInstance instance = find(instanceId);
		if (instance == null) {
			return null;
		}
		try {
			return switch (verb) {
				case "cancel" -> this.actions.cancel(instance, why);
				case "signal" -> this.actions.signal(instance, signal, values);
				default -> this.actions.resume(instance);
			};
		}
		catch (InstanceNotFoundException ex) {
			// deleted meanwhile
			return null;
		}
		catch (IllegalArgumentException ex) {
			// a value the API or the store refuses: a payload too large to keep, say
			throw EndpointArguments.invalid(messageOf(ex, "The arguments of action " + verb + " are invalid"));
		}
	}

	private @Nullable WorkflowInstance find(String instanceId) {
		try {
			return this.orchestrator.status(instanceId).orElse(null);
		}
		catch (IllegalArgumentException ex) {
			// a store may refuse an id it could never hold (not a UUID, say): it names no
			// instance
			return null;
		}
	}

	private static String messageOf(IllegalArgumentException ex, String fallback) {
		String message = ex.getMessage();
		return (message != null && !message.isBlank()) ? message : fallback;
	}

	/**
	 * What {@code GET /actuator/orchwf} answers.
	 *
	 * @param nodeId this node's id
	 * @param activeInstances the instances this node drives
	 * @param busyWorkers the step attempts this node runs
	 * @param workflows the registered workflows, every version
	 * @param schedules the schedules in the store, by name
	 * @param counts the instances by status, of the requested workflow or of all
	 * @param instances the requested page of instances, newest first
	 */
	public record OrchwfDescriptor(String nodeId, int activeInstances, int busyWorkers,
			List<WorkflowDescriptor> workflows, List<ScheduleDescriptor> schedules, Map<WorkflowStatus, Long> counts,
			InstancesDescriptor instances) implements OperationResponseBody {
	}

	/**
	 * A schedule, without its input (which may hold business data).
	 *
	 * @param name the schedule's name
	 * @param workflowId the workflow each tick starts
	 * @param cron its cron expression, or {@code null} for an interval
	 * @param every its interval, or {@code null} for a cron expression
	 * @param zone the zone its cron expression is read in
	 * @param overlap what a tick does while the previous one runs
	 * @param nextFireAt the tick it fires at next
	 * @param lastFireAt the tick it last fired at, or {@code null}
	 * @param lastInstanceId the instance its last started tick created, or {@code null}
	 */
	public record ScheduleDescriptor(String name, String workflowId, @Nullable String cron, @Nullable Duration every,
			String zone, OverlapPolicy overlap, Instant nextFireAt, @Nullable Instant lastFireAt,
			@Nullable String lastInstanceId) {

		static ScheduleDescriptor of(ScheduleInfo info) {
			Schedule schedule = info.schedule();
			return new ScheduleDescriptor(info.name(), info.workflowId(), schedule.cronExpression().orElse(null),
					schedule.interval().orElse(null), schedule.zone().getId(), schedule.overlap(), info.nextFireAt(),
					info.lastFireAt().orElse(null), info.lastInstanceId().orElse(null));
		}

	}

	/**
	 * A registered workflow version.
	 *
	 * @param id the workflow id
	 * @param version the version
	 * @param name the display name
	 * @param description the description
	 * @param failurePolicy what a failed required step does to the others
	 * @param metadata the definition's metadata
	 * @param steps the steps, in definition order
	 */
	public record WorkflowDescriptor(String id, String version, String name, String description,
			FailurePolicy failurePolicy, Map<String, Object> metadata, List<StepDescriptor> steps) {

		static WorkflowDescriptor of(WorkflowDefinition definition) {
			return new WorkflowDescriptor(definition.id(), definition.version(), definition.name(),
					definition.description(), definition.failurePolicy(), definition.metadata(),
					definition.steps().stream().map(StepDescriptor::of).toList());
		}

	}

	/**
	 * A step of a registered workflow: what it is, and how it runs.
	 *
	 * @param id the step id
	 * @param name the display name
	 * @param description the description
	 * @param kind what the step does: {@code TASK} (runs its code), {@code AWAIT_SIGNAL}
	 * (waits for {@code signal}), {@code TIMER} (waits for {@code timer}),
	 * {@code FOR_EACH} (runs its code once per element of the list at {@code itemsKey})
	 * or {@code CHILD_WORKFLOW} (runs the workflow {@code childWorkflow})
	 * @param dependsOn the steps it waits for
	 * @param async whether it runs on the worker pool beside other steps
	 * @param required whether its failure fails the workflow
	 * @param priority its rank among steps ready at once
	 * @param maxAttempts its own retry policy's attempts, or {@code null} for the
	 * orchestrator's default
	 * @param timeout its own attempt timeout (ISO-8601), or {@code null} for the
	 * orchestrator's default; for a signal wait or a child workflow, the bound of the
	 * wait, {@code null} for none
	 * @param compensable whether it has a compensator
	 * @param signal the signal an {@code AWAIT_SIGNAL} step waits for, else {@code null}
	 * @param timer how long a {@code TIMER} step waits (ISO-8601), or {@code "until"} for
	 * one that waits until an instant computed when it starts; else {@code null}
	 * @param itemsKey the input key (or dotted path) of the list a {@code FOR_EACH} step
	 * maps over, else {@code null}
	 * @param maxConcurrency how many elements of a {@code FOR_EACH} step run at once, or
	 * {@code null} for all of them and for other kinds
	 * @param childWorkflow the workflow a {@code CHILD_WORKFLOW} step runs, else
	 * {@code null}
	 */
	public record StepDescriptor(String id, String name, String description, StepDefinition.Kind kind,
			List<String> dependsOn, boolean async, boolean required, int priority, @Nullable Integer maxAttempts,
			@Nullable String timeout, boolean compensable, @Nullable String signal, @Nullable String timer,
			@Nullable String itemsKey, @Nullable Integer maxConcurrency, @Nullable String childWorkflow) {

		/** The {@link #timer()} of a timer that waits until a computed instant. */
		public static final String UNTIL = "until";

		static StepDescriptor of(StepDefinition step) {
			String timer = null;
			if (step.kind() == StepDefinition.Kind.TIMER) {
				timer = step.delay().map(Duration::toString).orElse(UNTIL);
			}
			Integer maxConcurrency = (step.kind() == StepDefinition.Kind.FOR_EACH
					&& step.maxConcurrency() != StepDefinition.UNBOUNDED_CONCURRENCY) ? step.maxConcurrency() : null;
			return new StepDescriptor(step.id(), step.name(), step.description(), step.kind(), step.dependsOn(),
					step.async(), step.required(), step.priority(),
					step.retryPolicy().map(RetryPolicy::maxAttempts).orElse(null),
					step.timeout().map(Duration::toString).orElse(null), step.compensator().isPresent(),
					step.signalName().orElse(null), timer, step.itemsKey().orElse(null), maxConcurrency,
					step.childWorkflowId().orElse(null));
		}

	}

	/**
	 * A page of instances.
	 *
	 * @param items the instances of this page, newest first
	 * @param total how many instances match
	 * @param limit the page size
	 * @param offset how many matching instances precede this page
	 */
	public record InstancesDescriptor(List<InstanceSummary> items, long total, int limit, int offset) {
	}

	/**
	 * An instance in a listing: its identity and state, without its data.
	 *
	 * @param id the instance id
	 * @param workflowId the workflow id
	 * @param workflowVersion the workflow version it runs on
	 * @param status its state
	 * @param businessId its business id, if any
	 * @param correlationId its correlation id
	 * @param traceId its trace id
	 * @param error why it failed or was cancelled, if it was
	 * @param createdAt when it was created
	 * @param startedAt when it started running, if it has
	 * @param completedAt when it finished, if it has
	 */
	public record InstanceSummary(String id, String workflowId, String workflowVersion, WorkflowStatus status,
			@Nullable String businessId, String correlationId, String traceId, @Nullable String error,
			Instant createdAt, @Nullable Instant startedAt, @Nullable Instant completedAt) {

		static InstanceSummary of(WorkflowInstance instance) {
			return new InstanceSummary(instance.id(), instance.workflowId(), instance.workflowVersion(),
					instance.status(), instance.businessId(), instance.correlationId(), instance.traceId(),
					instance.error().orElse(null), instance.createdAt(), instance.startedAt(),
					instance.completedAt().orElse(null));
		}

	}

	/**
	 * What {@code GET /actuator/orchwf/{instanceId}} answers: one instance in full.
	 *
	 * @param instance its identity and state
	 * @param input the workflow input
	 * @param output the workflow output, empty until it completes
	 * @param metadata its metadata
	 * @param steps its steps, in definition order
	 * @param history its stored events, in order
	 */
	public record InstanceDescriptor(InstanceSummary instance, Map<String, Object> input, Map<String, Object> output,
			Map<String, Object> metadata, List<StepInstanceDescriptor> steps,
			List<EventDescriptor> history) implements OperationResponseBody {

		static InstanceDescriptor of(WorkflowInstance instance, List<WorkflowEvent> history) {
			return new InstanceDescriptor(InstanceSummary.of(instance), instance.input(), instance.output(),
					instance.metadata(), instance.steps().stream().map(StepInstanceDescriptor::of).toList(),
					history.stream().map(EventDescriptor::of).toList());
		}

	}

	/**
	 * The state of one step of an instance.
	 *
	 * @param stepId the step id
	 * @param status its state
	 * @param attempts how many attempts started
	 * @param error the last failure's message, if any
	 * @param errorType the last failure's type, if any: {@code timeout}, a
	 * {@code StepException}'s type, or the simple class name of what the step threw
	 * @param startedAt when its last attempt started, if one did: when its code began,
	 * once the attempt has reported (see {@link StepInstance#startedAt()})
	 * @param completedAt when it finished, if it did
	 * @param durationMs how long its last attempt took, {@link StepInstance#duration()}:
	 * the same figure as the {@code durationMs} of the event that ended it; 0 until it
	 * finished
	 * @param output its output, empty until it completes
	 */
	public record StepInstanceDescriptor(String stepId, StepStatus status, int attempts, @Nullable String error,
			@Nullable String errorType, @Nullable Instant startedAt, @Nullable Instant completedAt, long durationMs,
			Map<String, Object> output) {

		static StepInstanceDescriptor of(StepInstance step) {
			return new StepInstanceDescriptor(step.stepId(), step.status(), step.attempts(), step.error().orElse(null),
					step.errorType().orElse(null), step.startedAt().orElse(null), step.completedAt().orElse(null),
					step.duration().toMillis(), step.output());
		}

	}

	/**
	 * One event of an instance's history.
	 *
	 * @param type what happened
	 * @param stepId the step, or {@code null} for a workflow-level event
	 * @param attempt the step attempt, 0 for a workflow-level event
	 * @param timestamp when it happened
	 * @param data its details
	 */
	public record EventDescriptor(WorkflowEventType type, @Nullable String stepId, int attempt, Instant timestamp,
			Map<String, Object> data) {

		static EventDescriptor of(WorkflowEvent event) {
			return new EventDescriptor(event.type(), event.stepId(), event.attempt(), event.timestamp(), event.data());
		}

	}

	/**
	 * What {@code POST /actuator/orchwf/{instanceId}} answers.
	 *
	 * @param action the action taken
	 * @param done whether it has taken full effect: {@code false} while a resumption or a
	 * cancellation goes on in the background
	 * @param instance the instance's state when the answer was made
	 */
	public record ActionDescriptor(String action, boolean done,
			InstanceSummary instance) implements OperationResponseBody {
	}

}
