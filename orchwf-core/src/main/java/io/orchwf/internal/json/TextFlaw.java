package io.orchwf.internal.json;

import java.util.List;
import java.util.Map;

import io.orchwf.StorableText;
import org.jspecify.annotations.Nullable;

/**
 * What makes text unfit for a store: the character U+0000, which PostgreSQL cannot keep
 * in text or JSON, and an unpaired surrogate (half of a UTF-16 pair), which is not
 * Unicode at all, so that no UTF-8 column or JSON document can hold it (PostgreSQL's
 * driver silently turns it into {@code ?}, H2's JSON refuses it). Stores refuse such
 * values before they are used, with a message from {@link #describe}, and replace the
 * flaws of free text (an error message) by U+FFFD.
 */
public enum TextFlaw {

	/** The character U+0000. */
	NUL("the character U+0000"),

	/**
	 * A high surrogate not followed by a low one, or a low one not preceded by a high.
	 */
	UNPAIRED_SURROGATE("an unpaired surrogate (half of a UTF-16 pair, such as \\ud800), which is not valid Unicode");

	private final String description;

	TextFlaw(String description) {
		this.description = description;
	}

	/**
	 * The message of a value refused for this flaw.
	 * @param what what the value is, such as {@code "input"}
	 * @return the message
	 */
	public String describe(String what) {
		return what + " contains " + this.description + "; send valid Unicode text without U+0000 "
				+ "(encode binary data, with Base64 say)";
	}

	/**
	 * The first flaw of a string.
	 * @param text the string
	 * @return the flaw, or {@code null} if it has none
	 */
	public static @Nullable TextFlaw of(String text) {
		int at = StorableText.flawAt(text);
		if (at < 0) {
			return null;
		}
		return (text.charAt(at) == '\0') ? NUL : UNPAIRED_SURROGATE;
	}

	/**
	 * The first flaw in the strings and keys of JSON values.
	 * @param value normalized JSON values
	 * @return the flaw, or {@code null} if there is none
	 */
	public static @Nullable TextFlaw in(@Nullable Object value) {
		if (value instanceof String string) {
			return of(string);
		}
		if (value instanceof Map<?, ?> map) {
			if (map.isEmpty()) {
				// most outputs: no iterator needed
				return null;
			}
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				TextFlaw flaw = in(entry.getKey());
				if (flaw == null) {
					flaw = in(entry.getValue());
				}
				if (flaw != null) {
					return flaw;
				}
			}
		}
		else if (value instanceof List<?> list) {
			for (Object element : list) {
				TextFlaw flaw = in(element);
				if (flaw != null) {
					return flaw;
				}
			}
		}
		return null;
	}

	/**
	 * Free text as a store can keep it: every flaw replaced by U+FFFD.
	 * @param text the text
	 * @return the text, or a repaired copy
	 */
	public static String repaired(String text) {
		if (of(text) == null) {
			return text;
		}
		StringBuilder repaired = new StringBuilder(text.length());
		for (int i = 0, length = text.length(); i < length; i++) {
			char c = text.charAt(i);
			if (c == '\0') {
				repaired.append('\uFFFD');
			}
			else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
				repaired.append(c).append(text.charAt(++i));
			}
			else {
				repaired.append(Character.isSurrogate(c) ? '\uFFFD' : c);
			}
		}
		return repaired.toString();
	}

}
