package io.orchwf.internal.json;

import java.io.OutputStream;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * Writes normalized JSON values as JSON text and reads them back, for stores that keep
 * JSON columns.
 */
public final class JsonCodec {

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
		return JsonValues.mapper().writeValueAsString(value);
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
