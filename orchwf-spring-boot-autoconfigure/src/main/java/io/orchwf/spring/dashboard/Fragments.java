package io.orchwf.spring.dashboard;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Pieces that several pages write the same way: times, JSON blocks that fold when they
 * are long, error boxes, and the header of a page that reports a problem.
 */
final class Fragments {

	/** JSON with more lines than this is folded, behind its summary. */
	static final int FOLD_LINES = 14;

	/** JSON longer than this is folded, behind its summary. */
	static final int FOLD_CHARACTERS = 900;

	private Fragments() {
	}

	/**
	 * Write an instant as a {@code <time>} element.
	 * @param html the writer
	 * @param instant the instant, or {@code null} for a dash
	 */
	static void time(Html html, @Nullable Instant instant) {
		if (instant == null) {
			html.element("span", "—", "class", "muted");
			return;
		}
		String text = Formats.instant(instant);
		html.element("time", text, "datetime", text, "class", "time");
	}

	/**
	 * Write JSON values, indented; folded in a {@code <details>} element when long.
	 * @param html the writer
	 * @param label what the values are, such as {@code Input}
	 * @param value the values
	 */
	static void json(Html html, String label, Map<String, Object> value) {
		if (value.isEmpty()) {
			html.element("h3", label);
			html.element("p", "Empty.", "class", "muted small");
			return;
		}
		String text = Formats.prettyJson(value);
		long lines = text.lines().count();
		if (lines > FOLD_LINES || text.length() > FOLD_CHARACTERS) {
			html.element("h3", label);
			html.open("details", "class", "json");
			html.element("summary", "Show " + Formats.count(value.size(), "key") + ", " + Formats.count(lines, "line"));
			html.element("pre", text, "class", "json");
			html.close("details");
		}
		else {
			html.element("h3", label);
			html.element("pre", text, "class", "json");
		}
	}

	/**
	 * Write values inline as compact JSON, folded when long.
	 * @param html the writer
	 * @param value the values
	 */
	static void inlineJson(Html html, Map<String, Object> value) {
		if (value.isEmpty()) {
			return;
		}
		String compact = Formats.compactJson(value);
		if (compact.length() <= 120) {
			html.element("code", compact);
			return;
		}
		html.open("details");
		html.element("summary", compact.substring(0, 60) + "…");
		html.element("pre", Formats.prettyJson(value), "class", "json");
		html.close("details");
	}

	/**
	 * Write a definition list entry.
	 * @param html the writer
	 * @param term the term
	 * @param value the value; {@code null} for a dash
	 */
	static void fact(Html html, String term, @Nullable String value) {
		html.element("dt", term);
		html.open("dd");
		if (value == null) {
			html.element("span", "—", "class", "muted");
		}
		else {
			html.text(value);
		}
		html.close("dd");
	}

	/**
	 * Write a definition list entry whose value is an id, in monospace.
	 * @param html the writer
	 * @param term the term
	 * @param id the id; {@code null} for a dash
	 */
	static void idFact(Html html, String term, @Nullable String id) {
		html.element("dt", term);
		html.open("dd");
		if (id == null) {
			html.element("span", "—", "class", "muted");
		}
		else {
			html.element("code", id);
		}
		html.close("dd");
	}

	/**
	 * Write an error with its type.
	 * @param html the writer
	 * @param type the error type, or {@code null}
	 * @param message the message
	 */
	static void error(Html html, @Nullable String type, String message) {
		html.open("div", "class", "error", "role", "note");
		if (type != null) {
			html.element("span", type, "class", "type").text(": ");
		}
		html.text(message);
		html.close("div");
	}

}
