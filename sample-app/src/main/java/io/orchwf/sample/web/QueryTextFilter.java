package io.orchwf.sample.web;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Holds query parameters to the rule of {@link PlainText}: a parameter with U+0000 (sent
 * as {@code %00}, which Tomcat refuses in a path but decodes in a query) is a 400 naming
 * the parameter, for every endpoint, the actuator's among them, instead of a failure
 * wherever the text reaches a database (PostgreSQL refuses U+0000) or a check that
 * throws.
 */
@Component
class QueryTextFilter extends OncePerRequestFilter implements Ordered {

	private final JsonMapper jsonMapper;

	QueryTextFilter(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	@Override
	public int getOrder() {
		return RequestSizeLimitFilter.ORDER + 1;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		List<Map<String, Object>> errors = errors(request.getQueryString());
		if (errors.isEmpty()) {
			chain.doFilter(request, response);
			return;
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"The request has " + errors.size() + " invalid query parameter(s)");
		problem.setTitle("Invalid request");
		problem.setProperty("errors", errors);
		ServletProblems.write(request, response, problem, this.jsonMapper);
	}

	/**
	 * The parameters of a query string that are not plain text, as the {@code errors} of
	 * a problem.
	 * @param query the raw query string
	 * @return the field and message of each, none if all are plain text
	 */
	static List<Map<String, Object>> errors(@Nullable String query) {
		List<Map<String, Object>> errors = new ArrayList<>();
		if (query == null || query.isEmpty()) {
			return errors;
		}
		for (String pair : query.split("&")) {
			int equals = pair.indexOf('=');
			String name = decode((equals >= 0) ? pair.substring(0, equals) : pair);
			String value = (equals >= 0) ? decode(pair.substring(equals + 1)) : "";
			if (name == null || value == null) {
				continue;
			}
			String problem = PlainTextValidator.problemIn(name + value);
			if (problem != null) {
				errors.add(Map.of("field", name, "message", problem));
			}
		}
		return errors;
	}

	private static @Nullable String decode(String text) {
		try {
			return URLDecoder.decode(text, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			// a malformed escape: Tomcat refuses it with a 400 when the parameters are
			// read
			return null;
		}
	}

}
