package io.orchwf.sample.web;

import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;

/**
 * Says why a request body could not be read, naming the field where Jackson stopped (its
 * exception carries the path, as {@code items[0].quantity}) and the rule the value broke,
 * in the {@code errors} a client already reads for invalid fields. Jackson's own message
 * names Java types and says how to configure Jackson: of no use to a client.
 */
final class UnreadableBody {

	private static final String SEND_AN_OBJECT = "send a JSON object as the API describes";

	private UnreadableBody() {
	}

	/**
	 * The 400 problem for a body that cannot be read.
	 * @param ex the failure
	 * @return the problem
	 */
	static ProblemDetail problem(HttpMessageNotReadableException ex) {
		JacksonException jackson = (ex.getCause() instanceof JacksonException cause) ? cause : null;
		if (jackson == null) {
			// Spring's own: no body, or not one its converters can read
			return problem("The request body is missing or cannot be read: " + SEND_AN_OBJECT, null, null);
		}
		String field = path(jackson);
		if (field.isEmpty()) {
			return problem("The request body cannot be read: " + whole(jackson), null, null);
		}
		String message = rule(jackson);
		return problem("The request body cannot be read: " + field + " " + message, field, message);
	}

	private static ProblemDetail problem(String detail, @Nullable String field, @Nullable String message) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		problem.setTitle("Unreadable request");
		if (field != null && message != null) {
			problem.setProperty("errors", List.of(Map.of("field", field, "message", message)));
		}
		return problem;
	}

	/**
	 * The path of the value Jackson failed at, written as bean validation writes the
	 * fields it rejects.
	 */
	private static String path(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				if (!path.isEmpty()) {
					path.append('.');
				}
				path.append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	/**
	 * What is wrong with the body as a whole: not JSON, or not an object.
	 */
	private static String whole(JacksonException ex) {
		String problem = syntax(ex);
		return (problem != null) ? "it " + problem : SEND_AN_OBJECT;
	}

	/**
	 * What is wrong with the JSON text itself, if that is what is wrong. Jackson's
	 * original message says it ("Unexpected end-of-input", "Invalid UTF-8 start byte",
	 * "Number value length (2000) exceeds the maximum allowed (1000...)"), without the
	 * location, which is added as line and column.
	 */
	private static @Nullable String syntax(JacksonException ex) {
		if (ex instanceof StreamConstraintsException) {
			return "passes a limit of the JSON parser: " + ex.getOriginalMessage();
		}
		if (ex instanceof StreamReadException) {
			return "is not valid JSON" + at(ex.getLocation()) + ": " + withoutSource(ex.getOriginalMessage());
		}
		return null;
	}

	/**
	 * A message of Jackson's without the "(start marker at [Source: REDACTED ...])" it
	 * adds for an unclosed array or object: the line and column say where.
	 */
	private static String withoutSource(@Nullable String message) {
		if (message == null) {
			return "";
		}
		int source = message.indexOf(" (start marker at [Source:");
		return (source >= 0) ? message.substring(0, source) : message;
	}

	private static String at(@Nullable TokenStreamLocation location) {
		if (location == null || location.getLineNr() < 0) {
			return "";
		}
		return " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
	}

	/**
	 * The rule a field's value broke, from the type it should have had.
	 */
	private static String rule(JacksonException ex) {
		if (ex instanceof InvalidNullException) {
			return "must not be null";
		}
		if (ex instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
			return "must be " + kind(mismatch.getTargetType());
		}
		if (ex instanceof InputCoercionException coercion && coercion.getTargetType() != null) {
			// a number too large for its type, as a quantity of 99999999999
			return "must be " + kind(coercion.getTargetType()) + range(coercion.getTargetType());
		}
		String problem = syntax(ex);
		return (problem != null) ? problem : "cannot be read";
	}

	private static String range(Class<?> type) {
		if (type == Integer.class || type == int.class) {
			return " from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
		}
		if (type == Long.class || type == long.class) {
			return " from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
		}
		return " in range";
	}

	private static String kind(Class<?> type) {
		if (type == Integer.class || type == int.class || type == Long.class || type == long.class
				|| type == Short.class || type == short.class || type == BigInteger.class) {
			return "a whole number";
		}
		if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
			return "a number";
		}
		if (CharSequence.class.isAssignableFrom(type)) {
			return "a string";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (type.isArray() || Collection.class.isAssignableFrom(type)) {
			return "an array";
		}
		return "an object";
	}

}
