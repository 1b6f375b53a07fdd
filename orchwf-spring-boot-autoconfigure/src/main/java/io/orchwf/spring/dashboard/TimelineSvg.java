package io.orchwf.spring.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.orchwf.spring.dashboard.Attempts.Attempt;
import io.orchwf.spring.dashboard.Attempts.Outcome;

/**
 * Draws the attempts of an instance as inline SVG on one time axis: a row per step, a bar
 * per attempt (and per compensation) coloured by how it ended, a dashed line for the wait
 * before a retry. Every bar has a title with its step, number, outcome, duration and
 * error type; the table below the drawing says the same in words.
 */
final class TimelineSvg {

	private static final int LABEL_WIDTH = 196;

	private static final int CHART_WIDTH = 800;

	private static final int AXIS_HEIGHT = 24;

	private static final int ROW_HEIGHT = 26;

	private static final int BAR_HEIGHT = 14;

	/** About how many intervals the axis is cut into. */
	private static final int TICKS = 4;

	/**
	 * The steps the axis may be cut by, in milliseconds: round numbers of the units
	 * people read durations in, so that the ticks read +0, +15 s, +30 s rather than
	 * quarters of whatever the span was.
	 */
	private static final long[] STEPS = { 1, 2, 5, 10, 20, 50, 100, 200, 250, 500, 1_000, 2_000, 5_000, 10_000, 15_000,
			30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000,
			43_200_000, 86_400_000, 172_800_000, 604_800_000 };

	private static final int MAX_LABEL = 24;

	private TimelineSvg() {
	}

	/**
	 * Draw a timeline.
	 * @param html the writer
	 * @param stepIds the steps in definition order; those without attempts get no row
	 * @param attempts the attempts, in the order they started
	 */
	static void write(Html html, List<String> stepIds, List<Attempt> attempts) {
		Map<String, List<Attempt>> rows = new LinkedHashMap<>();
		stepIds.forEach((stepId) -> rows.put(stepId, new ArrayList<>()));
		attempts.forEach((attempt) -> rows.computeIfAbsent(attempt.stepId(), (key) -> new ArrayList<>()).add(attempt));
		rows.values().removeIf(List::isEmpty);
		Instant first = attempts.stream().map(Attempt::start).min(Instant::compareTo).orElseThrow();
		Instant last = attempts.stream().map(Attempt::end).max(Instant::compareTo).orElseThrow();
		long step = tickStep(Math.max(1, Duration.between(first, last).toMillis()));
		// the axis ends on the first tick at or after the last attempt's end
		long span = step * Math.max(1, (Duration.between(first, last).toMillis() + step - 1) / step);
		int ticks = (int) (span / step);
		double width = LABEL_WIDTH + CHART_WIDTH + 16;
		double height = AXIS_HEIGHT + rows.size() * ROW_HEIGHT + 4;
		html.open("div", "class", "dag-scroll");
		html.open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", "timeline", "role", "img", "aria-label",
				"Timeline of the step attempts, from " + Formats.instant(first) + " over "
						+ Formats.duration(Duration.between(first, last)),
				"width", width, "height", height, "viewBox", "0 0 " + Html.number(width) + " " + Html.number(height));
		for (int tick = 0; tick <= ticks; tick++) {
			double x = LABEL_WIDTH + CHART_WIDTH * tick / (double) ticks;
			html.empty("line", "class", "tl-grid", "x1", x, "y1", (double) AXIS_HEIGHT - 4, "x2", x, "y2", height);
			String label = "+" + Formats.duration(Duration.ofMillis(step * tick));
			html.element("text", label, "class", "tl-tick", "x", x, "y", "14", "text-anchor",
					(tick == 0) ? "start" : (tick == ticks) ? "end" : "middle");
		}
		int row = 0;
		for (Map.Entry<String, List<Attempt>> entry : rows.entrySet()) {
			double y = AXIS_HEIGHT + row * ROW_HEIGHT;
			if (row % 2 == 1) {
				html.empty("rect", "class", "tl-band", "x", "0", "y", y, "width", width, "height", ROW_HEIGHT);
			}
			html.element("text", shorten(entry.getKey()), "class", "tl-label", "x", "8", "y", y + ROW_HEIGHT / 2.0 + 4);
			Attempt previous = null;
			for (Attempt attempt : entry.getValue()) {
				double x = LABEL_WIDTH + offset(first, attempt.start(), span);
				double barWidth = Math.max(3, offset(attempt.start(), attempt.end(), span));
				double barTop = y + (ROW_HEIGHT - BAR_HEIGHT) / 2.0;
				if (previous != null && previous.outcome() == Outcome.RETRYING) {
					double from = LABEL_WIDTH + offset(first, previous.end(), span);
					html.empty("line", "class", "tl-wait", "x1", from, "y1", barTop + BAR_HEIGHT / 2.0, "x2", x, "y2",
							barTop + BAR_HEIGHT / 2.0);
				}
				html.open("rect", "class",
						"tl-bar o-" + attempt.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-'), "x", x, "y",
						barTop, "width", barWidth, "height", BAR_HEIGHT, "rx", "3", "data-step-id", attempt.stepId(),
						"data-attempt", attempt.number(), "data-outcome", attempt.outcome().name());
				html.element("title", title(attempt));
				html.close("rect");
				previous = attempt;
			}
			row++;
		}
		html.close("svg").close("div");
	}

	static String title(Attempt attempt) {
		StringBuilder title = new StringBuilder(attempt.stepId());
		boolean compensation = attempt.outcome() == Outcome.COMPENSATED
				|| attempt.outcome() == Outcome.COMPENSATION_FAILED;
		title.append(compensation ? ", compensation: " : ", attempt " + attempt.number() + ": ")
			.append(attempt.outcome().label())
			.append(attempt.outcome().finished() ? " after " : " for ")
			.append(Formats.duration(attempt.duration()));
		if (attempt.errorType() != null) {
			title.append(" (").append(attempt.errorType()).append(')');
		}
		return title.toString();
	}

	/**
	 * The round step that cuts a span into at most about {@link #TICKS} intervals.
	 * @param span the span, in milliseconds, at least 1
	 * @return the step, in milliseconds
	 */
	static long tickStep(long span) {
		for (long step : STEPS) {
			if (step * TICKS >= span) {
				return step;
			}
		}
		long week = STEPS[STEPS.length - 1];
		return week * ((span / TICKS + week - 1) / week);
	}

	private static double offset(Instant from, Instant to, long span) {
		return Math.max(0, Duration.between(from, to).toMillis()) * (double) CHART_WIDTH / span;
	}

	private static String shorten(String text) {
		return (text.codePointCount(0, text.length()) > MAX_LABEL)
				? text.substring(0, text.offsetByCodePoints(0, MAX_LABEL - 1)) + "…" : text;
	}

}
