package io.orchwf.spring.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowStatus;
import org.jspecify.annotations.Nullable;

/**
 * The instance list: the filter form, one page of matching instances, newest first, with
 * links to the previous and next pages, and, when actions are on, the bulk actions on
 * every instance the filter matches.
 */
final class InstanceListPage {

	private static final int MAX_ERROR = 90;

	private InstanceListPage() {
	}

	/**
	 * Render the list.
	 * @param context the request's context
	 * @param listing what to show
	 * @param workflowIds the registered workflow ids, for the filter's choices
	 * @return the document
	 */
	static String render(PageContext context, Listing listing, Collection<String> workflowIds) {
		ListQuery query = listing.query();
		String title = (query.workflowId() != null) ? "Instances of " + query.workflowId() : "Instances";
		return Layout.page(context, title, Layout.Section.INSTANCES, (html) -> {
			html.element("h1", title);
			filters(html, context.links(), query, workflowIds);
			html.open("section", "class", "card");
			summary(html, listing);
			if (listing.items().isEmpty()) {
				html.element("p", query.filtered() ? "No instance matches these filters." : "No instance yet.", "class",
						"empty");
			}
			else {
				table(html, context, listing.items());
			}
			pager(html, context.links(), listing);
			html.close("section");
			// bulk actions on a filtered list only: one click must never act on
			// everything
			if (context.actionsEnabled() && query.idOrKey() == null && query.filtered() && listing.total() > 0) {
				bulkActions(html, context, listing);
			}
		});
	}

	private static void filters(Html html, Links links, ListQuery query, Collection<String> workflowIds) {
		html.open("form", "class", "card filters", "method", "get", "action", links.instances(), "aria-label",
				"Filters");
		html.open("label", "class", "field").text("Workflow");
		html.open("select", "name", "workflow");
		html.element("option", "Any workflow", "value", "");
		TreeSet<String> choices = new TreeSet<>(workflowIds);
		if (query.workflowId() != null) {
			// an instance may run a workflow this node no longer registers
			choices.add(query.workflowId());
		}
		for (String workflowId : choices) {
			html.element("option", workflowId, "value", workflowId, "selected",
					workflowId.equals(query.workflowId()) ? "" : null);
		}
		html.close("select").close("label");
		html.open("fieldset").element("legend", "Status");
		for (WorkflowStatus status : WorkflowStatus.values()) {
			html.open("label", "class", "check")
				.empty("input", "type", "checkbox", "name", "status", "value", status.name(), "checked",
						query.statuses().contains(status) ? "" : null);
			Statuses.badge(html, status);
			html.close("label");
		}
		html.close("fieldset");
		html.open("label", "class", "field").text("Business id");
		html.empty("input", "type", "text", "name", "businessId", "value", query.businessId(), "spellcheck", "false");
		html.close("label");
		html.open("label", "class", "field").text("Instance id or idempotency key");
		html.empty("input", "type", "text", "name", "id", "value", query.idOrKey(), "size", "38", "spellcheck",
				"false");
		html.close("label");
		html.open("label", "class", "field").text("Per page");
		html.open("select", "name", "limit");
		for (int limit : ListQuery.LIMITS) {
			html.element("option", limit, "value", limit, "selected", (limit == query.limit()) ? "" : null);
		}
		html.close("select").close("label");
		html.element("button", "Apply", "type", "submit");
		html.element("a", "Clear", "class", "button secondary", "href", links.instances());
		html.close("form");
	}

	private static void summary(Html html, Listing listing) {
		ListQuery query = listing.query();
		html.open("p", "class", "muted small", "data-total", listing.total());
		if (listing.items().isEmpty()) {
			html.text(Formats.count(listing.total(), "matching instance"));
		}
		else {
			html.text("Showing " + Formats.number(query.offset() + 1L) + "–"
					+ Formats.number(query.offset() + (long) listing.items().size()) + " of "
					+ Formats.count(listing.total(), "matching instance") + ", newest first");
		}
		if (listing.note() != null) {
			html.text(" · ").text(listing.note());
		}
		html.close("p");
	}

	private static void table(Html html, PageContext context, List<WorkflowInstance> instances) {
		html.open("div", "class", "table-scroll").open("table", "class", "instances");
		html.open("thead").open("tr");
		for (String heading : new String[] { "Instance", "Workflow", "Status", "Business id", "Created", "Duration",
				"Error" }) {
			html.element("th", heading, "scope", "col");
		}
		html.close("tr").close("thead").open("tbody");
		for (WorkflowInstance instance : instances) {
			html.open("tr", "data-instance-id", instance.id(), "data-status", instance.status().name());
			html.open("td").open("a", "class", "mono nowrap", "href", context.links().instance(instance.id()));
			html.text(instance.id()).close("a").close("td");
			html.open("td").element("code", instance.workflowId());
			html.element("span", " v" + instance.workflowVersion(), "class", "muted small").close("td");
			html.open("td");
			Statuses.badge(html, instance.status());
			html.close("td");
			html.open("td");
			if (instance.businessId() != null) {
				html.element("code", instance.businessId());
			}
			html.close("td");
			html.open("td");
			Fragments.time(html, instance.createdAt());
			html.close("td");
			html.element("td", duration(instance, context.now()), "class", "num");
			html.open("td");
			instance.error().ifPresent((error) -> html.element("div", shorten(error), "class", "clip", "title", error));
			html.close("td");
			html.close("tr");
		}
		html.close("tbody").close("table").close("div");
	}

	private static void pager(Html html, Links links, Listing listing) {
		ListQuery query = listing.query();
		if (query.offset() == 0 && query.offset() + listing.items().size() >= listing.total()) {
			return;
		}
		html.open("nav", "class", "pager", "aria-label", "Pages");
		if (query.offset() > 0) {
			html.element("a", "← Previous (newer)", "rel", "prev", "href",
					links.instances(query, Math.max(0, query.offset() - query.limit())));
		}
		else {
			html.element("span", "← Previous (newer)", "class", "disabled");
		}
		long page = query.offset() / query.limit() + 1;
		long pages = Math.max(1, (listing.total() + query.limit() - 1) / query.limit());
		html.element("span", "Page " + Formats.number(page) + " of " + Formats.number(pages), "class", "muted small");
		if (query.offset() + listing.items().size() < listing.total()) {
			html.element("a", "Next (older) →", "rel", "next", "href",
					links.instances(query, query.offset() + query.limit()));
		}
		else {
			html.element("span", "Next (older) →", "class", "disabled");
		}
		html.close("nav");
	}

	private static void bulkActions(Html html, PageContext context, Listing listing) {
		ListQuery query = listing.query();
		html.open("section", "class", "card actions", "aria-labelledby", "bulk-actions");
		html.element("h2", "Act on all " + Formats.count(listing.total(), "matching instance"), "id", "bulk-actions");
		html.element("p", "These act on every instance these filters match, on every page, as they are when you "
				+ "press the button.", "class", "muted small");
		html.open("form", "method", "post", "action", context.links().bulkAction("cancel"));
		hiddenFilter(html, context, query);
		html.open("div", "class", "row");
		html.open("label", "class", "field").text("Reason for cancelling all unfinished ones");
		html.empty("input", "type", "text", "name", "reason", "required", "", "maxlength", "2000", "placeholder",
				"why they are cancelled");
		html.close("label");
		html.element("button", "Cancel all matching", "type", "submit", "class", "danger");
		html.close("div").close("form");
		html.open("form", "method", "post", "action", context.links().bulkAction("resume"));
		hiddenFilter(html, context, query);
		html.open("div", "class", "row");
		html.element("p", "Resume the failed ones: what did not complete runs again.", "class", "muted small");
		html.element("button", "Resume all matching", "type", "submit", "class", "secondary");
		html.close("div").close("form");
		html.close("section");
	}

	private static void hiddenFilter(Html html, PageContext context, ListQuery query) {
		CsrfField.write(html, context.csrf());
		for (String[] parameter : query.withOffset(0).parameters()) {
			if (!parameter[0].equals("limit")) {
				html.empty("input", "type", "hidden", "name", parameter[0], "value", parameter[1]);
			}
		}
	}

	private static String duration(WorkflowInstance instance, Instant now) {
		Instant started = instance.startedAt();
		if (started == null) {
			return "—";
		}
		Instant end = instance.completedAt().orElse(null);
		if (end == null) {
			return Formats.duration(Duration.between(started, now)) + " so far";
		}
		return Formats.duration(Duration.between(started, end));
	}

	private static String shorten(String text) {
		return (text.length() > MAX_ERROR) ? text.substring(0, MAX_ERROR - 1) + "…" : text;
	}

	/**
	 * One page of the list.
	 *
	 * @param query what was asked for
	 * @param items the instances of the page, newest first
	 * @param total how many instances match
	 * @param note what the page should say about how it found them, or {@code null}
	 */
	record Listing(ListQuery query, List<WorkflowInstance> items, long total, @Nullable String note) {

		Listing {
			items = List.copyOf(items);
		}

	}

}
