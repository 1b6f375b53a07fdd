package io.orchwf.test;

import java.util.StringJoiner;

import io.orchwf.StepInstance;
import io.orchwf.WorkflowInstance;

/**
 * An instance in one paragraph, for failure messages: its status and error, and each
 * step's status, attempts and error.
 */
final class InstanceDescription {

	private InstanceDescription() {
	}

	static String of(WorkflowInstance instance) {
		StringBuilder text = new StringBuilder().append("instance ")
			.append(instance.id())
			.append(" of workflow '")
			.append(instance.workflowId())
			.append("' ")
			.append(instance.workflowVersion())
			.append(" is ")
			.append(instance.status());
		instance.error().ifPresent((error) -> text.append(" (").append(error).append(')'));
		StringJoiner steps = new StringJoiner(", ", "; its steps: ", "");
		for (StepInstance step : instance.steps()) {
			steps.add(step(step));
		}
		return text.append(steps).toString();
	}

	private static String step(StepInstance step) {
		StringBuilder text = new StringBuilder(step.stepId()).append(' ').append(step.status());
		if (step.attempts() > 0) {
			text.append(" after ").append(step.attempts()).append((step.attempts() == 1) ? " attempt" : " attempts");
		}
		step.error().ifPresent((error) -> text.append(" (").append(error).append(')'));
		return text.toString();
	}

}
