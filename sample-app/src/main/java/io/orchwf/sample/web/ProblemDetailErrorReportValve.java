package io.orchwf.sample.web;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Tomcat's error report as an RFC 9457 problem detail instead of an HTML page. Tomcat
 * answers some requests itself, before Spring MVC sees them: its connector refuses a URL
 * with an encoded NUL ({@code /orders/a%00b}), an encoded slash or a malformed
 * percent-encoding with a 400, and the page comes from the host's
 * {@link ErrorReportValve}. Everything else the API answers as
 * {@code application/problem+json}, so this does too; the detail says what is wrong with
 * the URL (or that the request line or a header is), never quoting the request. What
 * Spring answers (with its {@code /error} page or a problem) has a body already, and is
 * left as it is.
 */
class ProblemDetailErrorReportValve extends ErrorReportValve {

	private static final String INVALID_URI = "Invalid URI";

	@Override
	protected void report(Request request, Response response, @Nullable Throwable throwable) {
		int status = response.getStatus();
		// as Tomcat's valve: an error that nobody has answered, once
		if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
			return;
		}
		AtomicBoolean ioAllowed = new AtomicBoolean(true);
		response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
		if (!ioAllowed.get()) {
			// the connection is broken: nobody would read the problem
			return;
		}
		try {
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setCharacterEncoding("UTF-8");
			PrintWriter writer = response.getReporter();
			if (writer != null) {
				writer.write(problem(status, response.getMessage(), throwable));
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// the client went away, or the response was taken meanwhile: nothing to tell
		}
	}

	/**
	 * The problem Tomcat's answer stands for.
	 * @param status the status Tomcat answers with
	 * @param message the message Tomcat sent the error with ("Invalid URI: [The encoded
	 * slash character is not allowed]"), if any
	 * @param throwable what failed when Tomcat read the request line or a header, if
	 * anything: its message quotes the request, so it stays out of the answer
	 * @return the problem as JSON
	 */
	static String problem(int status, @Nullable String message, @Nullable Throwable throwable) {
		HttpStatus known = HttpStatus.resolve(status);
		String title = (known != null) ? known.getReasonPhrase() : "Error";
		String detail;
		if (message != null && message.startsWith(INVALID_URI)) {
			// "Invalid URI" or "Invalid URI: [The hexadecimal encoding is invalid]":
			// Tomcat's
			// own sentences
			String reason = message.substring(INVALID_URI.length()).replaceAll("^[:\\s\\[]+|[\\]\\s]+$", "");
			detail = "The request URL is invalid: "
					+ (!reason.isEmpty() ? Character.toLowerCase(reason.charAt(0)) + reason.substring(1)
							: "it has an encoded NUL (%00) or another character the server refuses in a path");
		}
		else if (throwable != null && status == HttpStatus.BAD_REQUEST.value()) {
			detail = "The request line or a header is invalid: too large, or not well-formed";
		}
		else {
			detail = (message != null && !message.isBlank()) ? message : title;
		}
		return "{\"type\":\"about:blank\",\"title\":" + quote(title) + ",\"status\":" + status + ",\"detail\":"
				+ quote(detail) + "}";
	}

	private static String quote(String text) {
		StringBuilder json = new StringBuilder("\"");
		for (char c : text.toCharArray()) {
			if (c == '"' || c == '\\') {
				json.append('\\').append(c);
			}
			else if (c < 0x20) {
				json.append(String.format("\\u%04x", (int) c));
			}
			else {
				json.append(c);
			}
		}
		return json.append('"').toString();
	}

}
