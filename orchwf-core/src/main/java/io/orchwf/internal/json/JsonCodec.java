package io.orchwf.internal.json;

import java.io.OutputStream;
import java.math.BigInteger;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * Writes normalized JSON values as JSON text and reads them back, for stores that keep
 * JSON columns.
 */
public final class JsonCodec {

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private JsonCodec() {
	}

	/**
	 * Write a map as JSON text.
	 * @param value normalized values (see {@link JsonValues})
	 * @return the JSON text
	 */
	public static String write(Map<String, ?> value) {
		if (value.isEmpty()) {
			return "{}";
		}
		if (value instanceof JsonObject object) {
			// normalized values hold only a few types, which this writes several times
			// faster than the general path of the JSON library, and it runs for every
			// step's output and event stored
			StringBuilder json = new StringBuilder(64);
			if (appendValue(json, object)) {
				return json.toString();
			}
		}
		return JsonValues.mapper().writeValueAsString(value);
	}

	/**
	 * Append a normalized value as JSON.
	 * @return {@code false} if the value holds a type normalization does not produce
	 */
	private static boolean appendValue(StringBuilder json, @Nullable Object value) {
		if (value == null) {
			json.append("null");
		}
		else if (value instanceof String string) {
			appendString(json, string);
		}
		else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
				|| value instanceof BigInteger || value instanceof Double) {
			// a normalized double is finite, and its Java form is a JSON number
			json.append(value);
		}
		else if (value instanceof JsonObject object) {
			json.append('{');
			boolean first = true;
			for (Map.Entry<String, @Nullable Object> entry : object.entrySet()) {
				if (!first) {
					json.append(',');
				}
				first = false;
				appendString(json, entry.getKey());
				json.append(':');
				if (!appendValue(json, entry.getValue())) {
					return false;
				}
			}
			json.append('}');
		}
		else if (value instanceof JsonArray array) {
			json.append('[');
			for (int i = 0; i < array.size(); i++) {
				if (i > 0) {
					json.append(',');
				}
				if (!appendValue(json, array.get(i))) {
					return false;
				}
			}
			json.append(']');
		}
		else {
			return false;
		}
		return true;
	}

	/**
	 * Append a string as a JSON string.
	 * @param json where to append
	 * @param value the string
	 */
	public static void appendString(StringBuilder json, String value) {
		json.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20) {
				json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
			}
			else {
				json.append(c);
			}
		}
		json.append('"');
	}

	/**
	 * Read JSON object text back into normalized values.
	 * @param json the JSON text, or {@code null} for empty
	 * @return the values
	 * @throws IllegalStateException if the text is not a JSON object
	 */
	public static JsonObject read(@Nullable String json) {
		if (json == null || json.equals("{}")) {
			return JsonObject.empty();
		}
		try {
			Object value = JsonValues.mapper().readValue(json, Object.class);
			if (!(value instanceof Map<?, ?> map)) {
				throw new IllegalStateException("Stored JSON is not an object: " + abbreviate(json));
			}
			@SuppressWarnings("unchecked")
			Map<String, ?> object = (Map<String, ?>) map;
			return JsonValues.object(object, "stored JSON");
		}
		catch (JacksonException ex) {
			throw new IllegalStateException("Stored JSON cannot be read: " + abbreviate(json), ex);
		}
	}

	/**
	 * How many bytes a map takes as UTF-8 JSON text, counted without keeping the text.
	 * @param value normalized values
	 * @return the size in bytes
	 */
	public static long size(Map<String, ?> value) {
		if (value.isEmpty()) {
			return 2;
		}
		CountingStream counter = new CountingStream();
		JsonValues.mapper().writeValue(counter, value);
		return counter.count;
	}

	private static String abbreviate(String json) {
		return (json.length() > 200) ? json.substring(0, 200) + "..." : json;
	}

	private static final class CountingStream extends OutputStream {

		private long count;

		@Override
		public void write(int b) {
			this.count++;
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			this.count += length;
		}

	}

}
