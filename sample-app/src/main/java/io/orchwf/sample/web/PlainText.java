package io.orchwf.sample.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;

/**
 * The annotated text must be text a database can store as it is: without the character
 * U+0000 and without an unpaired surrogate. JSON can carry both ({@code "\u0000"},
 * {@code "\ud800"}), but PostgreSQL refuses U+0000 in text and turns a lone surrogate
 * into {@code ?}, and H2 and the workflow's JSON refuse them too, so they are rejected at
 * the door, naming the field, instead of failing (or being changed) further in.
 * {@code null} is valid: say {@code @NotNull} where a value is required.
 */
@Documented
@Constraint(validatedBy = PlainTextValidator.class)
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT,
		ElementType.TYPE_USE })
@Retention(RetentionPolicy.RUNTIME)
public @interface PlainText {

	/**
	 * The message when the validator cannot say more; it names the first offending
	 * character otherwise.
	 * @return the message
	 */
	String message() default "must not contain the character U+0000 or an unpaired surrogate";

	/**
	 * The validation groups.
	 * @return the groups
	 */
	Class<?>[] groups() default {};

	/**
	 * The payload.
	 * @return the payload
	 */
	Class<? extends Payload>[] payload() default {};

}
