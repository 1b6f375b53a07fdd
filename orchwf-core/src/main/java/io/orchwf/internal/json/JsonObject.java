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

	private static final JsonObject EMPTY = new JsonObject(Map.of());

	/** The entries: a {@link LinkedHashMap} this object owns, or an immutable map. */
	private final Map<String, @Nullable Object> entries;

	/** The read-only view of the entries, made when first asked for. */
	private @Nullable Set<Entry<String, @Nullable Object>> entrySet;

	private JsonObject(Map<String, @Nullable Object> entries) {
		this.entries = entries;
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

	/**
	 * An object of one entry, the most common shape of an event's data: an immutable map
	 * of one entry costs a fraction of a hash table.
	 * @param entry an immutable map ({@code Map.of}) of one normalized entry
	 * @return the object
	 */
	static JsonObject single(Map<String, @Nullable Object> entry) {
		return new JsonObject(entry);
	}

	@Override
	public Set<Entry<String, @Nullable Object>> entrySet() {
		Set<Entry<String, @Nullable Object>> view = this.entrySet;
		if (view == null) {
			// an immutable map's own view is read-only already; a race makes two views,
			// both right
			view = (this.entries instanceof LinkedHashMap) ? Collections.unmodifiableMap(this.entries).entrySet()
					: this.entries.entrySet();
			this.entrySet = view;
		}
		return view;
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
		// an immutable map refuses to look a null key up
		return key != null && this.entries.containsKey(key);
	}

	@Override
	public @Nullable Object get(Object key) {
		return (key != null) ? this.entries.get(key) : null;
	}

}
