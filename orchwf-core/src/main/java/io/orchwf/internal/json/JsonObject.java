package io.orchwf.internal.json;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A read-only JSON object whose values are themselves normalized JSON values. Because it
 * can only be built by {@link JsonValues}, meeting one means no copy or check is needed:
 * values flow between steps, the engine and the in-memory store without being copied
 * again. Unlike {@link Map#copyOf}, it holds null values, as JSON does.
 */
public final class JsonObject extends AbstractMap<String, @Nullable Object> {

	private static final JsonObject EMPTY = new JsonObject(new LinkedHashMap<>());

	private final Map<String, @Nullable Object> entries;

	private final Set<Entry<String, @Nullable Object>> entrySet;

	private JsonObject(LinkedHashMap<String, @Nullable Object> entries) {
		this.entries = entries;
		this.entrySet = Collections.unmodifiableMap(entries).entrySet();
	}

	/**
	 * The empty object.
	 * @return the shared empty object
	 */
	public static JsonObject empty() {
		return EMPTY;
	}

	/**
	 * Take ownership of a map whose values are already normalized; the caller must not
	 * touch it afterwards.
	 * @param entries normalized entries
	 * @return the object
	 */
	static JsonObject adopt(LinkedHashMap<String, @Nullable Object> entries) {
		return entries.isEmpty() ? EMPTY : new JsonObject(entries);
	}

	@Override
	public Set<Entry<String, @Nullable Object>> entrySet() {
		return this.entrySet;
	}

	@Override
	public int size() {
		return this.entries.size();
	}

	@Override
	public boolean isEmpty() {
		return this.entries.isEmpty();
	}

	@Override
	public boolean containsKey(Object key) {
		return this.entries.containsKey(key);
	}

	@Override
	public @Nullable Object get(Object key) {
		return this.entries.get(key);
	}

}
