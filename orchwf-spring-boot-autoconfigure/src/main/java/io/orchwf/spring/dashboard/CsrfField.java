package io.orchwf.spring.dashboard;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.function.ServerRequest;

/**
 * The hidden form field that carries Spring Security's CSRF token, when the application
 * uses Spring Security. Its filter puts the request's token in a request attribute; it is
 * read here by its interface's accessors, reflectively, so that the dashboard needs no
 * Spring Security on the classpath. Without the attribute there is no field, and the
 * forms work as they are.
 *
 * @param parameterName the name of the form field
 * @param token the token
 */
record CsrfField(String parameterName, String token) {

	private static final Logger logger = LoggerFactory.getLogger(CsrfField.class);

	/** Where Spring Security's {@code CsrfFilter} puts the token. */
	static final String TOKEN_ATTRIBUTE = "org.springframework.security.web.csrf.CsrfToken";

	/** The attribute name views read the token from, Spring Security's default. */
	static final String VIEW_ATTRIBUTE = "_csrf";

	/**
	 * Read the request's token, if it has one.
	 * @param request the request
	 * @return the field, or {@code null} without a token
	 */
	static @Nullable CsrfField of(ServerRequest request) {
		Optional<Object> token = request.attribute(TOKEN_ATTRIBUTE).or(() -> request.attribute(VIEW_ATTRIBUTE));
		return token.map(CsrfField::of).orElse(null);
	}

	static @Nullable CsrfField of(Object token) {
		String parameterName = read(token, "getParameterName");
		String value = read(token, "getToken");
		return (parameterName != null && value != null) ? new CsrfField(parameterName, value) : null;
	}

	/**
	 * Write the field.
	 * @param html the writer
	 * @param field the field, or {@code null} to write nothing
	 */
	static void write(Html html, @Nullable CsrfField field) {
		if (field != null) {
			html.empty("input", "type", "hidden", "name", field.parameterName(), "value", field.token());
		}
	}

	// the token's class may be private (Spring Security's deferred token is); its public
	// interface's method can be called all the same
	private static @Nullable String read(Object token, String accessor) {
		Set<Class<?>> types = new LinkedHashSet<>();
		types.add(token.getClass());
		types.addAll(ClassUtils.getAllInterfacesForClassAsSet(token.getClass()));
		for (Class<?> type : types) {
			if (!Modifier.isPublic(type.getModifiers())) {
				continue;
			}
			try {
				Method method = type.getMethod(accessor);
				Object value = method.invoke(token);
				return (value != null) ? value.toString() : null;
			}
			catch (NoSuchMethodException ex) {
				// not on this type
			}
			catch (ReflectiveOperationException | RuntimeException ex) {
				logger.debug("Could not read the CSRF token's {}", accessor, ex);
				return null;
			}
		}
		return null;
	}

}
