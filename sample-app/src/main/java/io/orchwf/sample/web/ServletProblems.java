package io.orchwf.sample.web;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Writes a problem detail from a servlet filter, where Spring MVC's message converters do
 * not reach, in the JSON they would write (the application's {@link JsonMapper} knows how
 * to flatten a problem's properties).
 */
final class ServletProblems {

	private ServletProblems() {
	}

	/**
	 * Answer a request with a problem.
	 * @param request the request
	 * @param response its response, not committed
	 * @param problem the problem
	 * @param jsonMapper the application's mapper
	 * @throws IOException if the answer cannot be written
	 */
	static void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem,
			JsonMapper jsonMapper) throws IOException {
		if (problem.getInstance() == null) {
			try {
				problem.setInstance(URI.create(request.getRequestURI()));
			}
			catch (IllegalArgumentException ex) {
				// Tomcat let through a path that is no URI: the problem goes without it
			}
		}
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8);
		jsonMapper.writeValue(response.getOutputStream(), problem);
	}

}
