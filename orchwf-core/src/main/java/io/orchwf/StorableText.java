package io.orchwf;

import org.jspecify.annotations.Nullable;

/**
 * The rule for text the API takes as a key (an idempotency key, a filter criterion): it
 * must be text every store can hold, so that a bad value fails at once with a message,
 * not later in a database.
 */
final class StorableText {

	private StorableText() {
	}

	/**
	 * Refuse text with the character U+0000 (which PostgreSQL cannot store) or an
	 * unpaired surrogate (which is not Unicode).
	 * @param value the text, or {@code null}
	 * @param name its name, for the message
	 * @return the text
	 * @throws IllegalArgumentException if it has either
	 */
	static @Nullable String require(@Nullable String value, String name) {
		if (value != null && value.codePoints()
			.anyMatch((c) -> c == 0 || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE))) {
			throw new IllegalArgumentException(
					name + " must be valid Unicode text without the character U+0000 or unpaired surrogates");
		}
		return value;
	}

}
