package io.orchwf.spring.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.orchwf.RetryPolicy;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;
import io.orchwf.spring.dashboard.DagSvg.NodeView;

/**
 * The registered workflows as the pages show them: by id, each with its versions, highest
 * first ({@link WorkflowDefinition#versionOrder()}, the order new starts use), and the
 * DAG of a definition.
 */
final class Workflows {

	private Workflows() {
	}

	/**
	 * Group definitions by workflow id.
	 * @param definitions every registered version of every workflow
	 * @return the versions of each workflow, highest first, by workflow id in
	 * alphabetical order
	 */
	static Map<String, List<WorkflowDefinition>> byId(List<WorkflowDefinition> definitions) {
		Map<String, List<WorkflowDefinition>> byId = new TreeMap<>();
		definitions
			.forEach((definition) -> byId.computeIfAbsent(definition.id(), (id) -> new ArrayList<>()).add(definition));
		Map<String, List<WorkflowDefinition>> sorted = new LinkedHashMap<>();
		byId.forEach((id, versions) -> sorted.put(id, versions.stream()
			.sorted(Comparator.comparing(WorkflowDefinition::version, WorkflowDefinition.versionOrder()).reversed())
			.toList()));
		return sorted;
	}

	/**
	 * Find a registered definition.
	 * @param definitions every registered definition
	 * @param workflowId the workflow
	 * @param version the version
	 * @return the definition, or empty if this node has not registered it
	 */
	static Optional<WorkflowDefinition> find(List<WorkflowDefinition> definitions, String workflowId, String version) {
		return definitions.stream()
			.filter((definition) -> definition.id().equals(workflowId) && definition.version().equals(version))
			.findFirst();
	}

	/**
	 * Lay out a definition's DAG.
	 * @param definition the definition
	 * @return the layout
	 */
	static DagLayout layout(WorkflowDefinition definition) {
		return DagLayout
			.of(definition.steps().stream().map((step) -> new DagLayout.Node(step.id(), step.dependsOn())).toList());
	}

	/**
	 * What the boxes of a definition's DAG show: each step's kind and options.
	 * @param definition the definition
	 * @return the views by step id
	 */
	static Map<String, NodeView> definitionNodes(WorkflowDefinition definition) {
		Map<String, NodeView> nodes = new LinkedHashMap<>();
		for (StepDefinition step : definition.steps()) {
			String kind = kind(step);
			String tooltip = step.name() + " (" + step.id() + "): " + kind
					+ (step.description().isBlank() ? "" : ". " + step.description());
			nodes.put(step.id(), new NodeView(step.id(), kind, null, null, tooltip));
		}
		return nodes;
	}

	/**
	 * Say what kind of step a step is, with its notable options.
	 * @param step the step
	 * @return such as {@code task · async · optional}
	 */
	static String kind(StepDefinition step) {
		List<String> parts = new ArrayList<>();
		switch (step.kind()) {
			case AWAIT_SIGNAL -> parts.add("signal " + step.signalName().orElse(""));
			case TIMER -> parts.add(step.delay().map((delay) -> "timer " + Formats.duration(delay)).orElse("timer"));
			case FOR_EACH -> parts.add("for each " + step.itemsKey().orElse(""));
			case CHILD_WORKFLOW -> parts.add("child " + step.childWorkflowId().orElse(""));
			default -> parts.add("task");
		}
		if (step.async()) {
			parts.add("async");
		}
		if (!step.required()) {
			parts.add("optional");
		}
		int attempts = step.retryPolicy().map(RetryPolicy::maxAttempts).orElse(1);
		if (attempts > 1) {
			parts.add("×" + attempts);
		}
		if (step.compensator().isPresent()) {
			parts.add("undo");
		}
		return String.join(" · ", parts);
	}

}
