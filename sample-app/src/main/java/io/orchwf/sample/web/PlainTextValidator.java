package io.orchwf.sample.web;

import java.util.Locale;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import org.jspecify.annotations.Nullable;

/**
 * Checks {@link PlainText}: finds the first U+0000 or unpaired surrogate and says which
 * it is, so that the message tells the client what to fix rather than that something is
 * wrong.
 */
public class PlainTextValidator implements ConstraintValidator<PlainText, CharSequence> {

	@Override
	public boolean isValid(@Nullable CharSequence value, ConstraintValidatorContext context) {
		if (value == null) {
			return true;
		}
		String problem = problemIn(value);
		if (problem == null) {
			return true;
		}
		context.disableDefaultConstraintViolation();
		// the message is ours, with no '{' or '$', so it is safe as a template
		context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
		return false;
	}

	/**
	 * What is wrong with a text.
	 * @param value the text
	 * @return the message naming its first offending character, or {@code null} if there
	 * is none
	 */
	static @Nullable String problemIn(CharSequence value) {
		int length = value.length();
		for (int i = 0; i < length; i++) {
			char c = value.charAt(i);
			if (c == '\u0000') {
				return "must not contain the character U+0000";
			}
			if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
				// a pair: one character outside the Basic Multilingual Plane, as an emoji
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return "must not contain an unpaired surrogate (U+" + Integer.toHexString(c).toUpperCase(Locale.ROOT)
						+ ")";
			}
		}
		return null;
	}

}
