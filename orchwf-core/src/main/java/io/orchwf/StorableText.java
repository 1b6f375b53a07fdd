package io.orchwf;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The rule for text that a store keeps: no character U+0000 (which PostgreSQL cannot
 * store in text or JSON) and no unpaired surrogate (half of a UTF-16 pair, which is not
 * Unicode, so that no UTF-8 column or JSON document can hold it). The API refuses keys
 * that break it at once; an application or an integration can check its own input the
 * same way before it reaches a workflow, and say what is wrong.
 */
public final class StorableText {

	private StorableText() {
	}

	/**
	 * Where a text first breaks the rule.
	 * @param text the text
	 * @return the index of its first U+0000 or unpaired surrogate, or {@code -1} if it
	 * has none
	 */
	public static int flawAt(CharSequence text) {
		for (int i = 0, length = text.length(); i < length; i++) {
			char c = text.charAt(i);
			if (c == '\0') {
				return i;
			}
			if (Character.isSurrogate(c)) {
				if (!Character.isHighSurrogate(c) || i + 1 == length || !Character.isLowSurrogate(text.charAt(i + 1))) {
					return i;
				}
				// a pair: one character outside the Basic Multilingual Plane, as an emoji
				i++;
			}
		}
		return -1;
	}

	/**
	 * What in a text breaks the rule, for a message.
	 * @param text the text
	 * @return {@code "the character U+0000"} or {@code "an unpaired surrogate (U+D800)"}
	 * (with the surrogate found), or {@code null} if the text keeps the rule
	 */
	public static @Nullable String flawIn(CharSequence text) {
		int at = flawAt(text);
		if (at < 0) {
			return null;
		}
		char c = text.charAt(at);
		return (c == '\0') ? "the character U+0000"
				: "an unpaired surrogate (U+" + Integer.toHexString(c).toUpperCase(Locale.ROOT) + ")";
	}

	/**
	 * Refuse text that breaks the rule.
	 * @param value the text, or {@code null}
	 * @param name its name, for the message
	 * @return the text
	 * @throws IllegalArgumentException if it breaks the rule
	 */
	static @Nullable String require(@Nullable String value, String name) {
		String flaw = (value != null) ? flawIn(value) : null;
		if (flaw != null) {
			throw new IllegalArgumentException(
					name + " must be valid Unicode text without the character U+0000 or unpaired surrogates, "
							+ "but it contains " + flaw);
		}
		return value;
	}

}
