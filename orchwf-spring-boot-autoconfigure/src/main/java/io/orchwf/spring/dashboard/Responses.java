package io.orchwf.spring.dashboard;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Function;

import io.orchwf.Orchestrator;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.servlet.support.RequestContextUtils;

/**
 * Builds the dashboard's answers: pages with their security headers (no caching of
 * business data, no sniffing, the {@link Styles#CONTENT_SECURITY_POLICY policy}), error
 * pages, and the redirects that end an action with a message for the page they lead to.
 */
final class Responses {

	private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8);

	private final Orchestrator orchestrator;

	private final String path;

	private final boolean actionsEnabled;

	private final Clock clock;

	Responses(Orchestrator orchestrator, String path, boolean actionsEnabled, Clock clock) {
		this.orchestrator = orchestrator;
		this.path = path;
		this.actionsEnabled = actionsEnabled;
		this.clock = clock;
	}

	/**
	 * The links of a request: under its context path (and servlet path) and the
	 * dashboard's path.
	 * @param request the request
	 * @return the links
	 */
	Links links(ServerRequest request) {
		return new Links(request.requestPath().contextPath().value() + this.path);
	}

	PageContext context(ServerRequest request) {
		return new PageContext(links(request), CsrfField.of(request), Flash.of(request), this.orchestrator.nodeId(),
				this.actionsEnabled, this.clock.instant());
	}

	/**
	 * Answer with a page.
	 * @param request the request
	 * @param status the status
	 * @param page renders the page in the request's context
	 * @return the answer
	 */
	ServerResponse page(ServerRequest request, HttpStatus status, Function<PageContext, String> page) {
		String document = page.apply(context(request));
		return ServerResponse.status(status)
			.contentType(HTML)
			.cacheControl(CacheControl.noStore())
			.header("X-Content-Type-Options", "nosniff")
			.header("Referrer-Policy", "same-origin")
			.header("Content-Security-Policy", Styles.CONTENT_SECURITY_POLICY)
			.body(document);
	}

	ServerResponse error(ServerRequest request, HttpStatus status, String message) {
		return page(request, status, (context) -> ErrorPage.render(context, status, message));
	}

	/**
	 * Redirect to a page (303, so that the browser gets it), leaving a message for it.
	 * @param location the page
	 * @param flash the message
	 * @return the answer
	 */
	ServerResponse redirect(String location, Flash flash) {
		return ServerResponse.seeOther(URI.create(location))
			.cacheControl(CacheControl.noStore())
			.build((servletRequest, servletResponse) -> {
				flash.put(servletRequest);
				RequestContextUtils.saveOutputFlashMap(location, servletRequest, servletResponse);
				return null;
			});
	}

}
