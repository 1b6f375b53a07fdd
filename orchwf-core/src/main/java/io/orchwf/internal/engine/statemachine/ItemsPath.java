package io.orchwf.internal.engine.statemachine;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Finds the list a forEach step maps over in its input: at its items key, or, for a
 * dotted path such as {@code order.lines}, by walking the nested maps one key at a time
 * (Step Functions' {@code ItemsPath}). A key that holds dots and is itself a key of the
 * input wins, so that inputs whose keys hold dots keep working. What it finds is either
 * the list or a problem that names the path and where it broke off.
 */
final class ItemsPath {

	private ItemsPath() {
	}

	/**
	 * What the path leads to.
	 *
	 * @param items the list, or {@code null} if there is none
	 * @param problem why there is none, such as {@code 'order' has no key 'lines'}, or
	 * {@code null}
	 */
	record Found(@Nullable List<?> items, @Nullable String problem) {
	}

	/**
	 * Follow a path in a step's input.
	 * @param input the step's input
	 * @param path the items key or dotted path, with no empty segment (the definition
	 * checks it)
	 * @return the list, or what stands in the way
	 */
	static Found find(Map<String, Object> input, String path) {
		if (input.containsKey(path)) {
			return list(input.get(path), path);
		}
		Object value = input;
		int from = 0;
		while (from < path.length()) {
			int dot = path.indexOf('.', from);
			int to = (dot >= 0) ? dot : path.length();
			String key = path.substring(from, to);
			String walked = (from == 0) ? "the input" : "'" + path.substring(0, from - 1) + "'";
			if (!(value instanceof Map<?, ?> map)) {
				return new Found(null,
						walked + " is " + describe(value) + ", not a JSON object with key '" + key + "'");
			}
			if (!map.containsKey(key)) {
				return new Found(null, walked + " has no key '" + key + "'");
			}
			value = map.get(key);
			from = to + 1;
		}
		return list(value, path);
	}

	private static Found list(@Nullable Object value, String path) {
		if (value instanceof List<?> list) {
			return new Found(list, null);
		}
		return new Found(null, "'" + path + "' is " + describe(value) + ", not a list");
	}

	private static String describe(@Nullable Object value) {
		if (value == null) {
			return "null";
		}
		return (value instanceof Map) ? "a JSON object" : "a " + value.getClass().getSimpleName();
	}

}
