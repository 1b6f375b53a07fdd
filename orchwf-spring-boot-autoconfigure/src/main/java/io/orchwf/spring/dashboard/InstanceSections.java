package io.orchwf.spring.dashboard;

import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.orchwf.StepDefinition;
import io.orchwf.StepInstance;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowInstance;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.spring.dashboard.Attempts.Attempt;
import io.orchwf.spring.dashboard.Attempts.Outcome;
import io.orchwf.spring.dashboard.DagSvg.NodeView;
import io.orchwf.store.SignalRecord;

/**
 * The sections of the instance page below its header: steps, timeline, data, signals and
 * history.
 */
final class InstanceSections {

	private InstanceSections() {
	}

	static void steps(Html html, InstanceView view) {
		WorkflowInstance instance = view.instance();
		WorkflowDefinition definition = view.definition();
		html.open("section", "class", "card", "aria-labelledby", "steps");
		html.element("h2", "Steps", "id", "steps");
		DagLayout layout = (definition != null) ? Workflows.layout(definition) : DagLayout
			.of(instance.steps().stream().map((step) -> new DagLayout.Node(step.stepId(), List.of())).toList());
		if (definition == null) {
			html.element("p", "This node has not registered version " + instance.workflowVersion()
					+ ", so the steps' dependencies are unknown.", "class", "muted small");
		}
		DagSvg.write(html, layout, nodes(view), "Steps of instance " + instance.id(), "instance-arrow");
		Set<StepStatus> present = EnumSet.noneOf(StepStatus.class);
		instance.steps().forEach((step) -> present.add(step.status()));
		html.open("div", "class", "legend", "aria-label", "States of the steps");
		present.forEach((status) -> Statuses.badge(html, status, Statuses.label(status, instance.status()) + " "
				+ instance.steps().stream().filter((s) -> s.status() == status).count()));
		html.close("div");
		html.open("div", "class", "table-scroll").open("table", "class", "steps");
		header(html, "Step", "Status", "Attempts", "Started", "Completed", "Duration", "Error", "Output");
		html.open("tbody");
		for (StepInstance step : instance.steps()) {
			html.open("tr", "id", Links.stepAnchorId(step.stepId()), "data-step-id", step.stepId(), "data-status",
					step.status().name());
			html.open("td").element("code", step.stepId());
			if (definition != null) {
				definition.step(step.stepId())
					.filter((known) -> !known.name().equals(step.stepId()))
					.ifPresent((known) -> html.element("div", known.name(), "class", "muted small"));
			}
			html.close("td");
			html.open("td");
			Statuses.badge(html, step.status(), Statuses.label(step.status(), instance.status()));
			html.close("td");
			html.element("td", step.attempts(), "class", "num");
			html.open("td");
			Fragments.time(html, step.startedAt().orElse(null));
			html.close("td").open("td");
			Fragments.time(html, step.completedAt().orElse(null));
			html.close("td");
			html.element("td", step.completedAt().isPresent() ? Formats.duration(step.duration()) : "—", "class",
					"num");
			html.open("td");
			step.error().ifPresent((error) -> Fragments.error(html, step.errorType().orElse(null), error));
			html.close("td");
			html.open("td");
			Fragments.inlineJson(html, step.output());
			html.close("td");
			html.close("tr");
		}
		html.close("tbody").close("table").close("div");
		html.close("section");
	}

	static void timeline(Html html, InstanceView view, Instant now) {
		WorkflowInstance instance = view.instance();
		List<Attempt> attempts = Attempts.of(instance, view.history(), now);
		html.open("section", "class", "card", "aria-labelledby", "timeline");
		html.element("h2", "Timeline of the attempts", "id", "timeline");
		if (attempts.isEmpty()) {
			html.element("p", "No step attempt has started yet.", "class", "empty");
			html.close("section");
			return;
		}
		TimelineSvg.write(html, instance.steps().stream().map(StepInstance::stepId).toList(), attempts);
		html.open("div", "class", "legend");
		Set<Outcome> outcomes = EnumSet.noneOf(Outcome.class);
		attempts.forEach((attempt) -> outcomes.add(attempt.outcome()));
		for (Outcome outcome : outcomes) {
			html.open("span", "class", "key")
				.element("span", "", "class", "swatch o-" + outcome.name().toLowerCase(Locale.ROOT).replace('_', '-'))
				.text(outcome.label())
				.close("span");
		}
		html.close("div");
		html.open("details", "open", (attempts.size() <= 12) ? "" : null);
		html.element("summary", "The " + Formats.count(attempts.size(), "attempt") + " in words");
		html.open("div", "class", "table-scroll").open("table", "class", "attempts");
		header(html, "Step", "Attempt", "Outcome", "Started", "Ended", "Duration", "Error");
		html.open("tbody");
		for (Attempt attempt : attempts) {
			html.open("tr", "data-step-id", attempt.stepId(), "data-attempt", attempt.number(), "data-outcome",
					attempt.outcome().name());
			html.open("td").element("code", attempt.stepId()).close("td");
			html.element("td", attempt.number(), "class", "num");
			html.element("td", attempt.outcome().label());
			html.open("td");
			Fragments.time(html, attempt.start());
			html.close("td").open("td");
			Fragments.time(html, attempt.outcome().finished() ? attempt.end() : null);
			html.close("td");
			html.element("td", Formats.duration(attempt.duration()) + (attempt.outcome().finished() ? "" : " so far"),
					"class", "num");
			html.open("td");
			if (attempt.error() != null) {
				Fragments.error(html, attempt.errorType(), attempt.error());
			}
			html.close("td");
			html.close("tr");
		}
		html.close("tbody").close("table").close("div").close("details");
		html.close("section");
	}

	static void data(Html html, WorkflowInstance instance) {
		html.open("section", "class", "card", "aria-labelledby", "data");
		html.element("h2", "Data", "id", "data");
		Fragments.json(html, "Input", instance.input());
		Fragments.json(html, "Output", instance.output());
		Fragments.json(html, "Metadata", instance.metadata());
		html.close("section");
	}

	static void signals(Html html, List<SignalRecord> signals) {
		html.open("section", "class", "card", "aria-labelledby", "signals");
		html.element("h2", "Signals received", "id", "signals");
		if (signals.isEmpty()) {
			html.element("p", "None.", "class", "muted small");
			html.close("section");
			return;
		}
		html.open("div", "class", "table-scroll").open("table", "class", "signals");
		header(html, "#", "Name", "Received", "Payload");
		html.open("tbody");
		for (SignalRecord signal : signals) {
			html.open("tr", "data-signal", signal.name());
			html.element("td", signal.sequence(), "class", "num");
			html.open("td").element("code", signal.name()).close("td");
			html.open("td");
			Fragments.time(html, signal.receivedAt());
			html.close("td");
			html.open("td");
			Fragments.inlineJson(html, signal.payload());
			html.close("td");
			html.close("tr");
		}
		html.close("tbody").close("table").close("div");
		html.close("section");
	}

	static void history(Html html, List<WorkflowEvent> history) {
		html.open("section", "class", "card", "aria-labelledby", "history");
		html.element("h2", "History", "id", "history");
		if (history.isEmpty()) {
			html.element("p", "No event is stored for this instance.", "class", "muted small");
			html.close("section");
			return;
		}
		html.open("details", "open", (history.size() <= 60) ? "" : null);
		html.element("summary", Formats.count(history.size(), "event") + ", oldest first");
		html.open("div", "class", "table-scroll").open("table", "class", "history");
		header(html, "Time", "Event", "Step", "Attempt", "Details");
		html.open("tbody");
		for (WorkflowEvent event : history) {
			html.open("tr", "data-event", event.type().name());
			html.open("td");
			Fragments.time(html, event.timestamp());
			html.close("td");
			html.element("td", Formats.word(event.type().name()));
			html.open("td");
			if (event.stepId() != null) {
				html.element("code", event.stepId());
			}
			html.close("td");
			html.element("td", (event.attempt() > 0) ? Integer.toString(event.attempt()) : "", "class", "num");
			html.open("td");
			Fragments.inlineJson(html, event.data());
			html.close("td");
			html.close("tr");
		}
		html.close("tbody").close("table").close("div").close("details");
		html.close("section");
	}

	private static Map<String, NodeView> nodes(InstanceView view) {
		Map<String, NodeView> nodes = new LinkedHashMap<>();
		for (StepInstance step : view.instance().steps()) {
			String label = Statuses.label(step.status(), view.instance().status());
			StringBuilder detail = new StringBuilder(label);
			Optional<StepDefinition> known = (view.definition() != null) ? view.definition().step(step.stepId())
					: Optional.empty();
			if (step.status() == StepStatus.WAITING && known.isPresent()) {
				detail.append(waitingFor(known.get()));
			}
			else if (step.attempts() > 1) {
				detail.append(" · ").append(Formats.count(step.attempts(), "attempt"));
			}
			else if (step.completedAt().isPresent() && step.status() != StepStatus.SKIPPED) {
				detail.append(" · ").append(Formats.duration(step.duration()));
			}
			String name = known.map(StepDefinition::name).orElse(step.stepId());
			StringBuilder tooltip = new StringBuilder(name).append(" (")
				.append(step.stepId())
				.append("): ")
				.append(label)
				.append(", ")
				.append(Formats.count(step.attempts(), "attempt"));
			step.errorType().ifPresent((type) -> tooltip.append(", error ").append(type));
			nodes.put(step.stepId(), new NodeView(step.stepId(), detail.toString(), step.status(),
					Links.stepAnchor(step.stepId()), tooltip.toString()));
		}
		return nodes;
	}

	private static String waitingFor(StepDefinition step) {
		return switch (step.kind()) {
			case AWAIT_SIGNAL -> " for " + step.signalName().orElse("a signal");
			case TIMER -> " for its timer";
			case CHILD_WORKFLOW -> " for its child";
			default -> " to retry";
		};
	}

	private static void header(Html html, String... headings) {
		html.open("thead").open("tr");
		for (String heading : headings) {
			html.element("th", heading, "scope", "col");
		}
		html.close("tr").close("thead");
	}

}
