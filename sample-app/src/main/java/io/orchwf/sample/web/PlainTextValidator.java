package io.orchwf.sample.web;

import io.orchwf.StorableText;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import org.jspecify.annotations.Nullable;

/**
 * Checks {@link PlainText} by orchwf's own rule ({@link StorableText}): says which
 * character is wrong, so that the message tells the client what to fix rather than that
 * something is wrong.
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
		String flaw = StorableText.flawIn(value);
		return (flaw != null) ? "must not contain " + flaw : null;
	}

}
