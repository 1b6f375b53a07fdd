package io.orchwf.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import io.orchwf.StepDefinition;
import io.orchwf.StepExecutor;
import io.orchwf.WorkflowDefinition;

/**
 * The stubs of a test environment, and the definitions that consult them: every step that
 * runs code is registered with an executor that, at each attempt, runs the stub of its
 * workflow and step if there is one, and the step's own code otherwise.
 */
final class StepStubs {

	private final Map<String, StepExecutor> stubs = new ConcurrentHashMap<>();

	/**
	 * Stub a step from now on.
	 * @param workflowId the workflow
	 * @param stepId the step
	 * @param executor what its attempts run instead
	 */
	void put(String workflowId, String stepId, StepExecutor executor) {
		this.stubs.put(key(workflowId, stepId), executor);
	}

	void clear() {
		this.stubs.clear();
	}

	/**
	 * A definition whose code-running steps consult the stubs.
	 * @param definition the definition as written
	 * @return the definition to register
	 */
	WorkflowDefinition stubbable(WorkflowDefinition definition) {
		List<StepDefinition> steps = new ArrayList<>();
		for (StepDefinition step : definition.steps()) {
			steps.add(runsCode(step) ? step.withExecutor(consulting(definition.id(), step)) : step);
		}
		WorkflowDefinition.Builder copy = WorkflowDefinition.builder(definition.id(), definition.name())
			.description(definition.description())
			.version(definition.version())
			.failurePolicy(definition.failurePolicy())
			.steps(steps);
		definition.metadata().forEach(copy::metadata);
		return copy.build();
	}

	static boolean runsCode(StepDefinition step) {
		return step.kind() == StepDefinition.Kind.TASK || step.kind() == StepDefinition.Kind.FOR_EACH;
	}

	private StepExecutor consulting(String workflowId, StepDefinition step) {
		String key = key(workflowId, step.id());
		StepExecutor own = Objects.requireNonNull(step.executor(), "executor");
		return (context) -> this.stubs.getOrDefault(key, own).execute(context);
	}

	private static String key(String workflowId, String stepId) {
		// ids cannot hold a line feed, so no two pairs share a key
		return workflowId + "\n" + stepId;
	}

}
