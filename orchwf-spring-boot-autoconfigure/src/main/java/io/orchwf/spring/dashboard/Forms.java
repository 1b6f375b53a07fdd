package io.orchwf.spring.dashboard;

import java.util.Map;

import io.orchwf.StorableText;
import io.orchwf.WorkflowDefinition;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;

/**
 * Reads the values of the dashboard's query strings and forms, refusing a bad one with a
 * {@link DashboardException} (400) that names the field and its rule.
 */
final class Forms {

	/**
	 * The longest filter value or signal name: the stores keep workflow ids, business
	 * ids, idempotency keys and signal names in columns of this size.
	 */
	static final int MAX_TEXT_LENGTH = WorkflowDefinition.MAX_ID_LENGTH;

	// a rejected value is echoed in the message; a huge one would only bloat it
	private static final int MAX_ECHO_LENGTH = 64;

	private static final JsonMapper JSON = JsonMapper.builder()
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	private Forms() {
	}

	/**
	 * Read a text value that a store compares or keeps as a key.
	 * @param name the field, for the message
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
	 * Read a text value of any length that a store keeps, such as a reason.
	 * @param name the field, for the message
	 * @param value its value
	 * @return the value trimmed, or {@code null} if it is blank
	 */
	static @Nullable String text(String name, @Nullable String value) {
		if (value == null) {
			return null;
		}
		String flaw = StorableText.flawIn(value);
		if (flaw != null) {
			throw invalid(name + " must not contain " + flaw + ", which no store can hold; remove it");
		}
		return value.isBlank() ? null : value.trim();
	}

	/**
	 * Read a signal payload: a JSON object, or nothing for an empty one.
	 * @param value the field's value
	 * @return the payload
	 */
	static Map<String, Object> jsonObject(@Nullable String value) {
		if (value == null || value.isBlank()) {
			return Map.of();
		}
		JsonNode node;
		try {
			node = JSON.readTree(value);
		}
		catch (JacksonException ex) {
			throw invalid("payload must be a JSON object, such as {\"approvedBy\": \"ann\"}, but is not valid JSON: "
					+ ex.getOriginalMessage());
		}
		if (node == null || !node.isObject()) {
			throw invalid(
					"payload must be a JSON object, such as {\"approvedBy\": \"ann\"}, but was " + echo(value.trim()));
		}
		@SuppressWarnings("unchecked")
		Map<String, Object> payload = JSON.convertValue(node, Map.class);
		return payload;
	}

	/**
	 * Read a whole number written in ASCII digits.
	 * @param value the text
	 * @return the number, or {@code null} if it is none or exceeds an {@code int}
	 */
	static @Nullable Integer wholeNumber(String value) {
		String number = value.trim();
		if (number.isEmpty() || number.length() > 10 || !number.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			return null;
		}
		long parsed = Long.parseLong(number);
		return (parsed <= Integer.MAX_VALUE) ? (int) parsed : null;
	}

	/**
	 * Quote a value for a message, shortened if it is long.
	 * @param value the value
	 * @return the quoted value
	 */
	static String echo(String value) {
		String shown = (value.length() > MAX_ECHO_LENGTH) ? value.substring(0, MAX_ECHO_LENGTH) + "..." : value;
		return "'" + shown + "'";
	}

	static String messageOf(RuntimeException ex, String fallback) {
		String message = ex.getMessage();
		return (message != null && !message.isBlank()) ? message : fallback;
	}

	static DashboardException invalid(String message) {
		return new DashboardException(HttpStatus.BAD_REQUEST, message);
	}

}
