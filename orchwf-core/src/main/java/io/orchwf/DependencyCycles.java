package io.orchwf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds a dependency cycle in a list of steps, for the message of a
 * {@link WorkflowDefinitionException}. Package-private: validation detail of
 * {@link WorkflowDefinition}.
 */
final class DependencyCycles {

	private enum Mark {

		VISITING, DONE

	}

	private DependencyCycles() {
	}

	/**
	 * Find the first cycle, searching from steps in definition order.
	 * @param steps the steps; every dependency must name one of them
	 * @return the cycle in execution order, first step repeated at the end (such as
	 * {@code [a, b, a]} when {@code b} depends on {@code a} and {@code a} on {@code b}),
	 * or an empty list if there is none
	 */
	static List<String> find(List<StepDefinition> steps) {
		Map<String, List<String>> dependents = new HashMap<>();
		for (StepDefinition step : steps) {
			dependents.putIfAbsent(step.id(), new ArrayList<>());
			for (String dependency : step.dependsOn()) {
				dependents.computeIfAbsent(dependency, (id) -> new ArrayList<>()).add(step.id());
			}
		}
		Map<String, Mark> marks = new HashMap<>();
		List<String> path = new ArrayList<>();
		for (StepDefinition step : steps) {
			List<String> cycle = visit(step.id(), dependents, marks, path);
			if (!cycle.isEmpty()) {
				return cycle;
			}
		}
		return List.of();
	}

	private static List<String> visit(String stepId, Map<String, List<String>> dependents, Map<String, Mark> marks,
			List<String> path) {
		Mark mark = marks.get(stepId);
		if (mark == Mark.DONE) {
			return List.of();
		}
		if (mark == Mark.VISITING) {
			List<String> cycle = new ArrayList<>(path.subList(path.indexOf(stepId), path.size()));
			cycle.add(stepId);
			return cycle;
		}
		marks.put(stepId, Mark.VISITING);
		path.add(stepId);
		for (String dependent : dependents.get(stepId)) {
			List<String> cycle = visit(dependent, dependents, marks, path);
			if (!cycle.isEmpty()) {
				return cycle;
			}
		}
		path.remove(path.size() - 1);
		marks.put(stepId, Mark.DONE);
		return List.of();
	}

}
