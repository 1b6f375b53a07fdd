package io.orchwf.spring.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * How the dashboard writes values: instants as UTC ISO-8601 to the millisecond, durations
 * for people ({@code 850 ms}, {@code 12.4 s}, {@code 3 min 05 s}), JSON indented.
 */
final class Formats {

	private static final JsonMapper PRETTY = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private static final JsonMapper COMPACT = JsonMapper.builder().build();

	private Formats() {
	}

	/**
	 * An instant in UTC, ISO-8601, to the millisecond.
	 * @param instant the instant, or {@code null}
	 * @return its text, or a dash
	 */
	static String instant(@Nullable Instant instant) {
		return (instant != null) ? instant.truncatedTo(ChronoUnit.MILLIS).toString() : "—";
	}

	/**
	 * A duration, rounded to what a person reads.
	 * @param duration the duration
	 * @return its text
	 */
	static String duration(Duration duration) {
		if (duration.isNegative()) {
			return "0 ms";
		}
		long millis = duration.toMillis();
		if (millis < 1000) {
			return millis + " ms";
		}
		if (millis < 60_000) {
			return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
		}
		long seconds = duration.toSeconds();
		if (seconds < 3600) {
			return String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
		}
		if (seconds < 86_400) {
			return String.format(Locale.ROOT, "%d h %02d min", seconds / 3600, (seconds % 3600) / 60);
		}
		return String.format(Locale.ROOT, "%d d %d h", seconds / 86_400, (seconds % 86_400) / 3600);
	}

	/**
	 * A value as indented JSON.
	 * @param value JSON-compatible values
	 * @return the JSON text
	 */
	static String prettyJson(@Nullable Object value) {
		return json(PRETTY, value);
	}

	/**
	 * A value as JSON on one line.
	 * @param value JSON-compatible values
	 * @return the JSON text
	 */
	static String compactJson(@Nullable Object value) {
		return json(COMPACT, value);
	}

	/**
	 * A whole number with thousands separators.
	 * @param value the number
	 * @return such as {@code 12,345}
	 */
	static String number(long value) {
		return String.format(Locale.ROOT, "%,d", value);
	}

	/**
	 * A count with its noun, singular or plural.
	 * @param count the count
	 * @param singular the noun for one
	 * @return such as {@code 1 attempt}, {@code 3 attempts}
	 */
	static String count(long count, String singular) {
		return number(count) + " " + ((count == 1) ? singular : singular + "s");
	}

	/**
	 * A state's name as a word: {@code COMPENSATING} becomes {@code Compensating}.
	 * @param name the enum constant's name
	 * @return the word
	 */
	static String word(String name) {
		String lower = name.toLowerCase(Locale.ROOT).replace('_', ' ');
		return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
	}

	private static String json(JsonMapper mapper, @Nullable Object value) {
		try {
			return mapper.writeValueAsString(value);
		}
		catch (JacksonException ex) {
			// stored values are JSON already; this is only a fallback
			return String.valueOf(value);
		}
	}

}
