package io.orchwf.internal.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns caller values into normalized JSON values: what a JSON column would give back.
 *
 * <p>
 * Maps become {@link JsonObject}s with string keys, collections and arrays become
 * {@link JsonArray}s, whole numbers become {@code Integer}, {@code Long} or
 * {@code BigInteger} (the smallest that holds them), other numbers {@code Double},
 * characters and enums strings, byte arrays base64 strings; strings, booleans and nulls
 * stay. Other objects (records, beans, {@code java.time} values) go through Jackson. What
 * JSON cannot hold (NaN, infinities, self-referencing structures, beans without
 * properties) is rejected with an {@link IllegalArgumentException} that names the path of
 * the bad value. The results are deeply immutable, so they are shared, never copied.
 *
 * <p>
 * This is what gives the in-memory store the semantics of the JDBC one.
 */
public final class JsonValues {

	/** The class of {@code Map.of(k, v)}, immutable and without nulls. */
	private static final Class<?> IMMUTABLE_SINGLE = Map.of("", "").getClass();

	private static final int MAX_DEPTH = 256;

	private static final JsonMapper MAPPER = JsonMapper.builder()
		.enable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
		.build();

	private JsonValues() {
	}

	/**
	 * The shared Jackson mapper, configured for orchwf's JSON values.
	 * @return the mapper
	 */
	public static JsonMapper mapper() {
		return MAPPER;
	}

	/**
	 * Normalize a map of values, such as a workflow input or a step output.
	 * @param map the caller's map; {@code null} means empty
	 * @param what what the map is, for error messages (such as {@code "input"})
	 * @return a normalized, immutable map
	 * @throws IllegalArgumentException if a value cannot be stored as JSON
	 */
	public static JsonObject object(@Nullable Map<String, ?> map, String what) {
		if (map == null) {
			return JsonObject.empty();
		}
		return toObject(map, what, 0);
	}

	/**
	 * An object of one entry whose value is a string, a boolean or a whole number, built
	 * without the copy {@link #object} makes of a map.
	 * @param key the key
	 * @param value the value
	 * @return the object
	 */
	public static JsonObject single(String key, Object value) {
		Object normalized = (value instanceof Number number) ? number(number, key) : value;
		if (!(normalized instanceof String || normalized instanceof Boolean || normalized instanceof Integer
				|| normalized instanceof Long)) {
			throw new IllegalArgumentException(key + " must be a string, a boolean or a whole number");
		}
		return JsonObject.single(Map.of(key, normalized));
	}

	/**
	 * Normalize one value.
	 * @param value the caller's value
	 * @param what the value's path, for error messages
	 * @return the normalized value
	 * @throws IllegalArgumentException if the value cannot be stored as JSON
	 */
	public static @Nullable Object value(@Nullable Object value, String what) {
		return normalize(value, what, 0);
	}

	/**
	 * Overlay maps in order, later keys winning; the inputs are normalized already.
	 * @param base the first map
	 * @param overlays the maps laid over it, in order
	 * @return the merged map
	 */
	public static JsonObject merge(JsonObject base, Iterable<JsonObject> overlays) {
		LinkedHashMap<String, @Nullable Object> merged = null;
		for (JsonObject overlay : overlays) {
			if (overlay.isEmpty()) {
				continue;
			}
			if (merged == null) {
				merged = new LinkedHashMap<>(base);
			}
			merged.putAll(overlay);
		}
		return (merged != null) ? JsonObject.adopt(merged) : base;
	}

	/**
	 * Convert a normalized value to a type, as Jackson binds JSON.
	 * @param <T> the target type
	 * @param value the value
	 * @param type the target type
	 * @param what the value's path, for error messages
	 * @return the converted value, or {@code null} if the value is null
	 * @throws IllegalArgumentException if the value cannot be converted
	 */
	public static <T> @Nullable T convert(@Nullable Object value, Class<T> type, String what) {
		if (value == null) {
			return null;
		}
		if (type.isInstance(value)) {
			return type.cast(value);
		}
		try {
			return MAPPER.convertValue(value, type);
		}
		catch (JacksonException ex) {
			throw new IllegalArgumentException(
					what + " cannot be converted to " + type.getName() + ": " + ex.getOriginalMessage(), ex);
		}
	}

	private static JsonObject toObject(Map<?, ?> map, String what, int depth) {
		if (map instanceof JsonObject json) {
			return json;
		}
		checkDepth(what, depth);
		if (map.isEmpty()) {
			return JsonObject.empty();
		}
		if (map.size() == 1) {
			Map.Entry<?, ?> entry = map.entrySet().iterator().next();
			Object key = entry.getKey();
			Object value = entry.getValue();
			if (key != null && value != null) {
				String name = (key instanceof String string) ? string : String.valueOf(key);
				Object normalized = isSimple(value) ? simple(value) : normalize(value, what + "." + name, depth + 1);
				if (normalized == value && key instanceof String && map.getClass() == IMMUTABLE_SINGLE) {
					// the Map.of of an event's data, say: immutable already, no copy
					// needed
					@SuppressWarnings("unchecked")
					Map<String, @Nullable Object> immutable = (Map<String, @Nullable Object>) map;
					return JsonObject.single(immutable);
				}
				if (normalized != null) {
					return JsonObject.single(Map.of(name, normalized));
				}
			}
		}
		LinkedHashMap<String, @Nullable Object> copy = new LinkedHashMap<>(Math.max(4, (int) (map.size() / 0.75f) + 1));
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			Object key = entry.getKey();
			if (key == null) {
				throw new IllegalArgumentException(what + " has a null key; JSON object keys must be strings");
			}
			String name = (key instanceof String string) ? string : String.valueOf(key);
			Object value = entry.getValue();
			// a value that cannot fail to normalize needs no path: spare joining it
			copy.put(name, isSimple(value) ? simple(value) : normalize(value, what + "." + name, depth + 1));
		}
		return JsonObject.adopt(copy);
	}

	private static JsonArray toArray(Collection<?> collection, String what, int depth) {
		checkDepth(what, depth);
		ArrayList<@Nullable Object> copy = new ArrayList<>(collection.size());
		int index = 0;
		for (Object element : collection) {
			copy.add(isSimple(element) ? simple(element) : normalize(element, what + "[" + index + "]", depth + 1));
			index++;
		}
		return JsonArray.adopt(copy);
	}

	/**
	 * Whether a value normalizes without a check that could fail, so that its path is
	 * never needed.
	 */
	private static boolean isSimple(@Nullable Object value) {
		return value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
				|| value instanceof Long || value instanceof JsonObject || value instanceof JsonArray;
	}

	private static @Nullable Object simple(@Nullable Object value) {
		return (value instanceof Long number) ? number(number, "a long") : value;
	}

	private static @Nullable Object normalize(@Nullable Object value, String what, int depth) {
		if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
				|| value instanceof JsonObject || value instanceof JsonArray) {
			return value;
		}
		if (value instanceof Number number) {
			return number(number, what);
		}
		if (value instanceof Map<?, ?> map) {
			return toObject(map, what, depth);
		}
		if (value instanceof Collection<?> collection) {
			return toArray(collection, what, depth);
		}
		if (value instanceof Character || value instanceof Enum<?>) {
			return (value instanceof Enum<?> constant) ? constant.name() : value.toString();
		}
		if (value instanceof byte[] bytes) {
			return Base64.getEncoder().encodeToString(bytes);
		}
		if (value instanceof Object[] array) {
			return toArray(Arrays.asList(array), what, depth);
		}
		return viaJackson(value, what, depth);
	}

	private static Object number(Number number, String what) {
		if (number instanceof Long || number instanceof Short || number instanceof Byte
				|| number instanceof AtomicInteger || number instanceof AtomicLong) {
			long value = number.longValue();
			return (value == (int) value) ? (Object) (int) value : (Object) value;
		}
		if (number instanceof BigInteger value) {
			if (value.bitLength() < 32) {
				return value.intValue();
			}
			return (value.bitLength() < 64) ? (Object) value.longValue() : value;
		}
		double value;
		if (number instanceof Double || number instanceof BigDecimal) {
			value = number.doubleValue();
		}
		else if (number instanceof Float) {
			// JSON holds the float's shortest decimal form, which reads back as this
			// double
			value = Double.parseDouble(number.toString());
		}
		else {
			throw new IllegalArgumentException(
					what + " is a " + number.getClass().getName() + ", which orchwf cannot store as JSON");
		}
		if (Double.isNaN(value) || Double.isInfinite(value)) {
			throw new IllegalArgumentException(what + " is " + number + ", which JSON cannot hold");
		}
		return value;
	}

	private static @Nullable Object viaJackson(Object value, String what, int depth) {
		Object plain;
		try {
			plain = MAPPER.convertValue(value, Object.class);
		}
		catch (JacksonException | IllegalArgumentException ex) {
			throw new IllegalArgumentException(what + " (a " + value.getClass().getName()
					+ ") cannot be stored as JSON: " + ex.getMessage() + ". Use maps, lists, strings, numbers, "
					+ "booleans, or a record or bean Jackson can serialize", ex);
		}
		if (plain != null && plain.getClass() == value.getClass()) {
			throw new IllegalArgumentException(
					what + " (a " + value.getClass().getName() + ") cannot be stored as JSON");
		}
		return normalize(plain, what, depth);
	}

	private static void checkDepth(String what, int depth) {
		if (depth > MAX_DEPTH) {
			throw new IllegalArgumentException(what + " is nested more than " + MAX_DEPTH
					+ " levels deep; it is probably a self-referencing structure, which JSON cannot hold");
		}
	}

}
