package io.orchwf.spring.dashboard;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.web.servlet.FlashMap;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.support.RequestContextUtils;

/**
 * The message an action leaves for the page it redirects to (Post/Redirect/Get), kept in
 * Spring MVC's flash attributes, so that it shows once, on that page.
 *
 * @param kind how it looks
 * @param text what happened
 */
record Flash(Kind kind, String text) {

	private static final String KIND = "orchwf.dashboard.flash.kind";

	private static final String TEXT = "orchwf.dashboard.flash.text";

	/**
	 * The message left for this request, if any.
	 * @param request the request
	 * @return the message, or {@code null}
	 */
	static @Nullable Flash of(ServerRequest request) {
		Map<String, ?> input = RequestContextUtils.getInputFlashMap(request.servletRequest());
		if (input == null || !(input.get(KIND) instanceof String kind) || !(input.get(TEXT) instanceof String text)) {
			return null;
		}
		try {
			return new Flash(Kind.valueOf(kind), text);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * Leave this message for the next request to a location.
	 * @param request the current request
	 */
	void put(HttpServletRequest request) {
		FlashMap output = RequestContextUtils.getOutputFlashMap(request);
		if (output == null) {
			// not served by a DispatcherServlet: the redirect goes without a message
			return;
		}
		// plain strings: a session may be serialized
		output.put(KIND, this.kind.name());
		output.put(TEXT, this.text);
	}

	/**
	 * How a message looks.
	 */
	enum Kind {

		/** The action took full effect. */
		SUCCESS,

		/** The action was taken and goes on. */
		INFO

	}

}
