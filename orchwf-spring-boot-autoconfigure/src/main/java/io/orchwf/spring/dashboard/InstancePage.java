package io.orchwf.spring.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowStatus;

/**
 * The page of one instance: its identity and state, the actions it can take, its error,
 * then its steps (the DAG and a table), the timeline of its attempts, its data, the
 * signals it received and its history ({@link InstanceSections}).
 */
final class InstancePage {

	private InstancePage() {
	}

	/**
	 * Render the page.
	 * @param context the request's context
	 * @param view the instance and what goes with it
	 * @return the document
	 */
	static String render(PageContext context, InstanceView view) {
		WorkflowInstance instance = view.instance();
		WorkflowDefinition definition = view.definition();
		String name = (definition != null) ? definition.name() : instance.workflowId();
		return Layout.page(context, name + " " + instance.id(), Layout.Section.INSTANCES, (html) -> {
			Links links = context.links();
			html.open("nav", "class", "crumbs", "aria-label", "Breadcrumbs")
				.element("a", "Instances", "href", links.instances())
				.text(" / ")
				.element("a", instance.workflowId(), "href",
						links.instances(
								new ListQuery(instance.workflowId(), Set.of(), null, null, ListQuery.DEFAULT_LIMIT, 0)))
				.close("nav");
			html.open("h1", "data-instance-id", instance.id(), "data-status", instance.status().name());
			html.text(name).element("code", instance.id(), "class", "small");
			html.element("span", Statuses.label(instance.status()), "class",
					"badge badge-lg " + Statuses.styleClass(instance.status()));
			html.close("h1");
			html.element("p", summary(instance, context.now()), "class", "lede");
			instance.error().ifPresent((error) -> {
				if (instance.status() == WorkflowStatus.CANCELLED) {
					// a cancellation is an operator's decision, not a failure
					html.element("div", error, "class", "notice flash-info", "role", "note");
				}
				else {
					Fragments.error(html, null, error);
				}
			});
			if (hasActions(context, instance)) {
				html.open("div", "class", "grid stack");
				facts(html, context, view, "facts");
				actions(html, context, view);
				html.close("div");
			}
			else {
				facts(html, context, view, "facts wide");
			}
			InstanceSections.steps(html, view);
			InstanceSections.timeline(html, view, context.now());
			InstanceSections.data(html, instance);
			InstanceSections.signals(html, view.signals());
			InstanceSections.history(html, view.history());
		});
	}

	private static String summary(WorkflowInstance instance, Instant now) {
		long done = instance.steps().stream().filter((step) -> step.status().isFinished()).count();
		String steps = done + " of " + Formats.count(instance.steps().size(), "step") + " finished";
		Instant started = instance.startedAt();
		if (started == null) {
			return "Not started yet · " + steps;
		}
		Instant end = instance.completedAt().orElse(null);
		if (end == null) {
			return "Started " + Formats.duration(Duration.between(started, now)) + " ago · " + steps;
		}
		return Statuses.label(instance.status()) + " after " + Formats.duration(Duration.between(started, end)) + " · "
				+ steps;
	}

	// the forms show only where the instance can take their action
	private static boolean hasActions(PageContext context, WorkflowInstance instance) {
		return context.actionsEnabled()
				&& (!instance.status().isTerminal() || instance.status() == WorkflowStatus.FAILED);
	}

	private static void facts(Html html, PageContext context, InstanceView view, String layout) {
		WorkflowInstance instance = view.instance();
		html.open("section", "class", "card stack", "aria-label", "Instance");
		html.open("dl", "class", layout);
		Fragments.idFact(html, "Workflow", instance.workflowId());
		Fragments.fact(html, "Version",
				instance.workflowVersion() + ((view.definition() == null) ? " (not registered on this node)" : ""));
		Fragments.idFact(html, "Business id", instance.businessId());
		Fragments.idFact(html, "Idempotency key", view.idempotencyKey());
		Fragments.idFact(html, "Correlation id", instance.correlationId());
		Fragments.idFact(html, "Trace id", instance.traceId());
		html.element("dt", "Created").open("dd");
		Fragments.time(html, instance.createdAt());
		html.close("dd").element("dt", "Started").open("dd");
		Fragments.time(html, instance.startedAt());
		html.close("dd").element("dt", "Completed").open("dd");
		Fragments.time(html, instance.completedAt().orElse(null));
		html.close("dd").element("dt", "Duration").open("dd");
		html.text(duration(instance, context.now()));
		html.close("dd");
		html.close("dl");
		if (!context.actionsEnabled()) {
			html.open("p", "class", "muted small")
				.text("Actions are off: set ")
				.element("code", "orchwf.dashboard.actions-enabled=true")
				.text(" to cancel, resume and signal instances from here.")
				.close("p");
		}
		html.close("section");
	}

	private static String duration(WorkflowInstance instance, Instant now) {
		Instant started = instance.startedAt();
		if (started == null) {
			return "—";
		}
		Instant end = instance.completedAt().orElse(null);
		return (end != null) ? Formats.duration(Duration.between(started, end))
				: Formats.duration(Duration.between(started, now)) + " so far";
	}

	private static void actions(Html html, PageContext context, InstanceView view) {
		WorkflowInstance instance = view.instance();
		Links links = context.links();
		html.open("section", "class", "card actions", "aria-labelledby", "instance-actions");
		html.element("h2", "Actions", "id", "instance-actions");
		if (instance.status() == WorkflowStatus.FAILED) {
			html.open("form", "method", "post", "action", links.instanceAction(instance.id(), "resume"));
			CsrfField.write(html, context.csrf());
			html.open("div", "class", "row");
			html.element("p",
					"Run it again: the steps that did not complete run anew, completed ones keep " + "their output.",
					"class", "muted small");
			html.element("button", "Resume", "type", "submit");
			html.close("div").close("form");
		}
		else {
			html.open("form", "method", "post", "action", links.instanceAction(instance.id(), "cancel"));
			CsrfField.write(html, context.csrf());
			html.open("div", "class", "row");
			html.open("label", "class", "field").text("Reason");
			html.empty("input", "type", "text", "name", "reason", "required", "", "maxlength", "2000", "placeholder",
					"why it is cancelled");
			html.close("label");
			html.element("button", "Cancel instance", "type", "submit", "class", "danger");
			html.close("div").close("form");
			signalForm(html, context, view);
		}
		html.close("section");
	}

	private static void signalForm(Html html, PageContext context, InstanceView view) {
		WorkflowInstance instance = view.instance();
		html.open("form", "method", "post", "action", context.links().instanceAction(instance.id(), "signal"));
		CsrfField.write(html, context.csrf());
		Set<String> awaited = new LinkedHashSet<>();
		if (view.definition() != null) {
			view.definition()
				.steps()
				.stream()
				.map(StepDefinition::signalName)
				.forEach((signal) -> signal.ifPresent(awaited::add));
		}
		html.open("label", "class", "field").text("Signal name");
		html.empty("input", "type", "text", "name", "name", "required", "", "maxlength", "255", "list",
				awaited.isEmpty() ? null : "orchwf-signals", "spellcheck", "false");
		html.close("label");
		if (!awaited.isEmpty()) {
			html.open("datalist", "id", "orchwf-signals");
			awaited.forEach((signal) -> html.element("option", signal, "value", signal));
			html.close("datalist");
		}
		html.open("label", "class", "field").text("Payload, a JSON object");
		html.element("textarea", "", "name", "payload", "rows", "3", "placeholder", "{\"approvedBy\": \"ann\"}",
				"spellcheck", "false");
		html.close("label");
		html.open("div", "class", "row").element("button", "Send signal", "type", "submit", "class", "secondary");
		html.close("div").close("form");
	}

}
