package io.orchwf.spring.dashboard;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

/**
 * A browser without JavaScript, for the dashboard's web tests: it follows no redirect by
 * itself (so that a test sees the 303 of an action), keeps cookies (so that the message
 * an action leaves in the session shows on the page it redirects to) and posts forms as a
 * browser does.
 */
final class DashboardClient {

	private final HttpClient client = HttpClient.newBuilder()
		.followRedirects(HttpClient.Redirect.NEVER)
		.cookieHandler(new CookieManager())
		.build();

	private final String origin;

	DashboardClient(int port) {
		this.origin = "http://localhost:" + port;
	}

	/**
	 * Get a page.
	 * @param path the path and query, already encoded
	 * @return the answer
	 */
	Answer get(String path) {
		return send(HttpRequest.newBuilder(URI.create(this.origin + path)).GET().build());
	}

	/**
	 * Post a form.
	 * @param path the form's action
	 * @param fields its fields, in order; a name may come more than once
	 * @return the answer
	 */
	Answer post(String path, List<Map.Entry<String, String>> fields) {
		String body = fields.stream()
			.map((field) -> encode(field.getKey()) + "=" + encode(field.getValue()))
			.collect(Collectors.joining("&"));
		return send(HttpRequest.newBuilder(URI.create(this.origin + path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	/**
	 * Post a form and follow its redirect, as a browser does.
	 * @param path the form's action
	 * @param fields its fields
	 * @return the page it leads to
	 */
	Answer submit(String path, List<Map.Entry<String, String>> fields) {
		Answer answer = post(path, fields);
		if (answer.status() != 303) {
			throw new AssertionError("Expected a redirect (303) from POST " + path + " but got " + answer.status()
					+ ": " + answer.document().select("main").text());
		}
		return get(answer.location());
	}

	static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private Answer send(HttpRequest request) {
		try {
			HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.headers().map(), response.body());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Request " + request + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * An answer.
	 *
	 * @param status its status
	 * @param headers its headers, names in lower case
	 * @param body its body
	 */
	record Answer(int status, Map<String, List<String>> headers, String body) {

		String header(String name) {
			List<String> values = this.headers.get(name.toLowerCase(java.util.Locale.ROOT));
			return (values != null && !values.isEmpty()) ? values.get(0) : null;
		}

		String location() {
			String location = header("location");
			if (location == null) {
				throw new AssertionError("No Location header in an answer " + this.status);
			}
			return location.startsWith("http") ? URI.create(location).getRawPath()
					+ ((URI.create(location).getRawQuery() != null) ? "?" + URI.create(location).getRawQuery() : "")
					: location;
		}

		Document document() {
			return Jsoup.parse(this.body);
		}

	}

}
