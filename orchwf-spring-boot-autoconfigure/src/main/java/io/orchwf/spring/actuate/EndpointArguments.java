package io.orchwf.spring.actuate;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import io.orchwf.StorableText;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.json.JsonParserFactory;

/**
 * Reads the arguments of {@link OrchwfEndpoint}'s operations. They arrive as text, from a
 * query string or a request body, so that a malformed value is answered with a message
 * naming the parameter and its rule rather than with the framework's parameter mapping
 * failure or a database error. Every refusal is an
 * {@link InvalidEndpointRequestException} (400 on the web).
 */
final class EndpointArguments {

	/**
	 * The longest text a filter or a signal name may be. Workflow ids and signal names
	 * are at most this long, and the stores keep workflow and business ids in columns of
	 * this size, so a longer value can match nothing.
	 */
	static final int MAX_TEXT_LENGTH = WorkflowDefinition.MAX_ID_LENGTH;

	// a rejected value is echoed in the message; a huge one would only bloat it
	private static final int MAX_ECHO_LENGTH = 64;

	private EndpointArguments() {
	}

	/**
	 * Read the page size.
	 * @param value the {@code limit} argument
	 * @return the page size, {@link OrchwfEndpoint#DEFAULT_LIMIT} if none is given
	 */
	static int limit(@Nullable String value) {
		Long limit = wholeNumber(value);
		if (value == null || value.isBlank()) {
			return OrchwfEndpoint.DEFAULT_LIMIT;
		}
		if (limit == null || limit < 1 || limit > OrchwfEndpoint.MAX_LIMIT) {
			throw invalid("limit must be a whole number between 1 and " + OrchwfEndpoint.MAX_LIMIT + " but was "
					+ echo(value));
		}
		return limit.intValue();
	}

	/**
	 * Read how many matching instances to skip.
	 * @param value the {@code offset} argument
	 * @return the offset, 0 if none is given
	 */
	static int offset(@Nullable String value) {
		Long offset = wholeNumber(value);
		if (value == null || value.isBlank()) {
			return 0;
		}
		if (offset == null || offset > Integer.MAX_VALUE) {
			throw invalid(
					"offset must be a whole number between 0 and " + Integer.MAX_VALUE + " but was " + echo(value));
		}
		return offset.intValue();
	}

	/**
	 * Read a text argument that the stores compare or keep: a filter value or a signal
	 * name.
	 * @param name the parameter's name, for the message
	 * @param value its value
	 * @return the value trimmed, or {@code null} if it is blank
	 */
	static @Nullable String storableText(String name, @Nullable String value) {
		String text = text(name, value);
		if (text != null && text.codePointCount(0, text.length()) > MAX_TEXT_LENGTH) {
			throw invalid(name + " must be at most " + MAX_TEXT_LENGTH + " characters long but has "
					+ text.codePointCount(0, text.length()));
		}
		return text;
	}

	/**
	 * Read a text argument of any length that a store keeps, such as a reason.
	 * @param name the parameter's name, for the message
	 * @param value its value
	 * @return the value trimmed, or {@code null} if it is blank
	 */
	static @Nullable String text(String name, @Nullable String value) {
		if (value == null) {
			return null;
		}
		// checked before trimming, which would silently drop a leading or trailing U+0000
		String flaw = StorableText.flawIn(value);
		if (flaw != null) {
			throw invalid(name + " must not contain " + flaw + ", which no store can hold; remove it");
		}
		return blankToNull(value);
	}

	/**
	 * Read the states to list.
	 * @param value the {@code status} argument: state names, comma-separated, in any case
	 * @return the states; none for any
	 */
	static WorkflowStatus[] statuses(@Nullable String value) {
		String statuses = blankToNull(value);
		if (statuses == null) {
			return new WorkflowStatus[0];
		}
		return Arrays.stream(statuses.split(","))
			.map(String::trim)
			.filter((status) -> !status.isEmpty())
			.map(EndpointArguments::status)
			.toArray(WorkflowStatus[]::new);
	}

	/**
	 * Read a signal payload.
	 * @param value the {@code payload} argument: a JSON object
	 * @return the payload; empty if none is given
	 */
	static Map<String, Object> payload(@Nullable String value) {
		String json = blankToNull(value);
		if (json == null) {
			return Map.of();
		}
		try {
			return JsonParserFactory.getJsonParser().parseMap(json);
		}
		catch (IllegalArgumentException ex) {
			throw invalid("payload must be a JSON object, such as {\"approvedBy\": \"ann\"}, but was " + echo(json));
		}
	}

	static @Nullable String blankToNull(@Nullable String value) {
		return (value != null && !value.isBlank()) ? value.trim() : null;
	}

	static InvalidEndpointRequestException invalid(String message) {
		return new InvalidEndpointRequestException(message, message);
	}

	private static WorkflowStatus status(String value) {
		try {
			return WorkflowStatus.valueOf(value.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw invalid("Unknown status " + echo(value) + ": use one of " + Arrays.toString(WorkflowStatus.values()));
		}
	}

	// ASCII digits only: Integer.parseInt would also take other scripts' digits and a
	// sign
	private static @Nullable Long wholeNumber(@Nullable String value) {
		String number = blankToNull(value);
		if (number == null || number.length() > 18 || !number.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			return null;
		}
		return Long.parseLong(number);
	}

	private static String echo(String value) {
		String shown = (value.length() > MAX_ECHO_LENGTH) ? value.substring(0, MAX_ECHO_LENGTH) + "..." : value;
		return "'" + shown + "'";
	}

}
