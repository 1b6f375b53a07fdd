package io.orchwf.spring.dashboard;

import org.springframework.http.HttpStatus;

/**
 * The page that answers a request the dashboard refuses or cannot answer: the status, the
 * message saying why and what to do, and the way back. Never a stack trace.
 */
final class ErrorPage {

	private ErrorPage() {
	}

	/**
	 * Render the page.
	 * @param context the request's context
	 * @param status the status
	 * @param message what went wrong
	 * @return the document
	 */
	static String render(PageContext context, HttpStatus status, String message) {
		return Layout.page(context, status.getReasonPhrase(), null, (html) -> {
			html.open("section", "class", "card problem", "data-status-code", status.value());
			html.element("p", status.value(), "class", "status");
			html.element("h1", status.getReasonPhrase());
			html.element("p", message, "class", "message");
			html.open("p")
				.element("a", "Back to the overview", "href", context.links().overview())
				.text(" · ")
				.element("a", "All instances", "href", context.links().instances())
				.close("p");
			html.close("section");
		});
	}

}
