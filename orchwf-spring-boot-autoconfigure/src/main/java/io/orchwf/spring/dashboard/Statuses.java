package io.orchwf.spring.dashboard;

import java.util.Locale;

import io.orchwf.StepStatus;
import io.orchwf.WorkflowStatus;

/**
 * How a state looks: its word and its style class. Each state has a colour (in the style
 * sheet, dark text on a light tint, at least 7:1 contrast) and always its word beside it,
 * so that nothing is told by colour alone.
 */
final class Statuses {

	private Statuses() {
	}

	static String label(WorkflowStatus status) {
		return Formats.word(status.name());
	}

	static String label(StepStatus status) {
		return Formats.word(status.name());
	}

	/**
	 * A step's state as its instance's page shows it: a step still pending in an instance
	 * that has finished never ran, and never will.
	 * @param status the step's state
	 * @param instance its instance's state
	 * @return the label
	 */
	static String label(StepStatus status, WorkflowStatus instance) {
		return (status == StepStatus.PENDING && instance.isTerminal()) ? "Not run" : label(status);
	}

	/**
	 * The style class of a state, such as {@code s-failed}.
	 * @param status the state's name
	 * @return the class
	 */
	static String styleClass(Enum<?> status) {
		return "s-" + status.name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Write a badge: the state's word on its colour.
	 * @param html the writer
	 * @param status the state
	 * @param label its word
	 */
	static void badge(Html html, Enum<?> status, String label) {
		html.element("span", label, "class", "badge " + styleClass(status), "data-status", status.name());
	}

	static void badge(Html html, WorkflowStatus status) {
		badge(html, status, label(status));
	}

	static void badge(Html html, StepStatus status) {
		badge(html, status, label(status));
	}

}
