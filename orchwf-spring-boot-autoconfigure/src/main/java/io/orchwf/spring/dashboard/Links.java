package io.orchwf.spring.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.web.util.UriUtils;

/**
 * The dashboard's URLs, from the base under which it is served (the servlet context path
 * and the dashboard path). Every id in a path and every value in a query string is
 * percent-encoded here; the page writer escapes the result once more as an attribute
 * value.
 */
final class Links {

	private final String base;

	Links(String base) {
		this.base = base;
	}

	String overview() {
		return this.base;
	}

	String instances() {
		return this.base + "/instances";
	}

	String instances(ListQuery query) {
		return withQuery(instances(), query.parameters());
	}

	String instances(ListQuery query, int offset) {
		return withQuery(instances(), query.withOffset(offset).parameters());
	}

	String instance(String instanceId) {
		return instances() + "/" + UriUtils.encodePathSegment(instanceId, StandardCharsets.UTF_8);
	}

	String instanceAction(String instanceId, String action) {
		return instance(instanceId) + "/" + action;
	}

	String bulkAction(String action) {
		return instances() + "/" + action;
	}

	/**
	 * An in-page link to the row of a step on the instance page.
	 * @param stepId the step
	 * @return the fragment link
	 */
	static String stepAnchor(String stepId) {
		return "#" + stepAnchorId(stepId);
	}

	/**
	 * The element id of the row of a step on the instance page.
	 * @param stepId the step
	 * @return the id
	 */
	static String stepAnchorId(String stepId) {
		return "step-" + UriUtils.encodeFragment(stepId, StandardCharsets.UTF_8);
	}

	private static String withQuery(String path, List<String[]> parameters) {
		List<String> pairs = new ArrayList<>();
		for (String[] parameter : parameters) {
			pairs.add(encode(parameter[0]) + "=" + encode(parameter[1]));
		}
		return pairs.isEmpty() ? path : path + "?" + String.join("&", pairs);
	}

	private static String encode(@Nullable String value) {
		// encodeQueryParam leaves '+' and '&' in some positions ambiguous; encode
		// everything that is not unreserved
		return UriUtils.encode((value != null) ? value : "", StandardCharsets.UTF_8);
	}

}
