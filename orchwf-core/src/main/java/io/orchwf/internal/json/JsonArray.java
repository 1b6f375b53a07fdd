package io.orchwf.internal.json;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.RandomAccess;

import org.jspecify.annotations.Nullable;

/**
 * A read-only JSON array of normalized JSON values; the list counterpart of
 * {@link JsonObject}.
 */
public final class JsonArray extends AbstractList<@Nullable Object> implements RandomAccess {

	private static final JsonArray EMPTY = new JsonArray(new ArrayList<>(0));

	private final ArrayList<@Nullable Object> elements;

	private JsonArray(ArrayList<@Nullable Object> elements) {
		this.elements = elements;
	}

	/**
	 * Take ownership of a list whose elements are already normalized.
	 * @param elements normalized elements
	 * @return the array
	 */
	static JsonArray adopt(ArrayList<@Nullable Object> elements) {
		return elements.isEmpty() ? EMPTY : new JsonArray(elements);
	}

	@Override
	public @Nullable Object get(int index) {
		return this.elements.get(index);
	}

	@Override
	public int size() {
		return this.elements.size();
	}

}
