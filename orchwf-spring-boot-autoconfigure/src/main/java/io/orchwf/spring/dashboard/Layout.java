package io.orchwf.spring.dashboard;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The frame of every page: the document head with the inline style sheet, the header with
 * the navigation, the quick search and this node's id, the message an action left, and
 * the footer with the script that offers auto-refresh.
 */
final class Layout {

	// the orchwf mark: three steps, two of them in parallel
	private static final String LOGO = "<svg width=\"22\" height=\"22\" viewBox=\"0 0 22 22\" aria-hidden=\"true\">"
			+ "<path d=\"M5 11 C9 11 9 5 13 5 M5 11 C9 11 9 17 13 17\" fill=\"none\" stroke=\"#60a5fa\" "
			+ "stroke-width=\"2\"/><circle cx=\"4\" cy=\"11\" r=\"3\" fill=\"#f8fafc\"/><circle cx=\"16\" cy=\"5\" "
			+ "r=\"3\" fill=\"#4ade80\"/><circle cx=\"16\" cy=\"17\" r=\"3\" fill=\"#fbbf24\"/></svg>";

	private static final String ICON = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' "
			+ "viewBox='0 0 22 22'%3E%3Crect width='22' height='22' rx='5' fill='%230f172a'/%3E%3Ccircle cx='6' "
			+ "cy='11' r='3' fill='%23f8fafc'/%3E%3Ccircle cx='16' cy='6' r='3' fill='%234ade80'/%3E%3Ccircle "
			+ "cx='16' cy='16' r='3' fill='%23fbbf24'/%3E%3C/svg%3E";

	private Layout() {
	}

	/**
	 * Render a page.
	 * @param context the request's context
	 * @param title the page's title
	 * @param section the navigation entry the page belongs to, or {@code null}
	 * @param body writes the page's content
	 * @return the document
	 */
	static String page(PageContext context, String title, @Nullable Section section, Consumer<Html> body) {
		Html html = new Html();
		html.trusted("<!DOCTYPE html>");
		html.open("html", "lang", "en");
		html.open("head");
		html.empty("meta", "charset", "utf-8");
		html.empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1");
		html.empty("meta", "name", "robots", "content", "noindex, nofollow");
		html.element("title", title + " · orchwf");
		html.empty("link", "rel", "icon", "href", ICON);
		html.open("style").trusted(Styles.CSS).close("style");
		html.close("head");
		html.open("body");
		header(html, context, section);
		html.open("main");
		Flash flash = context.flash();
		if (flash != null) {
			html.element("div", flash.text(), "class",
					(flash.kind() == Flash.Kind.SUCCESS) ? "flash flash-success" : "flash flash-info", "role",
					"status");
		}
		body.accept(html);
		html.close("main");
		html.open("footer")
			.text("orchwf dashboard · times in UTC · rendered at ")
			.element("time", Formats.instant(context.now()), "datetime", Formats.instant(context.now()))
			.close("footer");
		html.open("script").trusted(Styles.SCRIPT).close("script");
		html.close("body").close("html");
		return html.toString();
	}

	private static void header(Html html, PageContext context, @Nullable Section section) {
		Links links = context.links();
		html.open("header", "class", "top").open("div", "class", "bar");
		html.open("a", "class", "brand", "href", links.overview()).trusted(LOGO).text("orchwf").close("a");
		html.open("nav", "aria-label", "Dashboard");
		navigation(html, links.overview(), "Overview", section == Section.OVERVIEW);
		navigation(html, links.instances(), "Instances", section == Section.INSTANCES);
		html.close("nav");
		html.open("form", "class", "jump", "method", "get", "action", links.instances(), "role", "search");
		html.element("label", "Find an instance", "class", "visually-hidden", "for", "orchwf-find");
		html.empty("input", "id", "orchwf-find", "type", "search", "name", "id", "placeholder",
				"Instance id or idempotency key", "autocomplete", "off", "spellcheck", "false");
		html.element("button", "Find", "type", "submit");
		html.close("form");
		html.open("div", "class", "meta");
		html.open("span", "id", "orchwf-refresh", "hidden", "")
			.open("label")
			.empty("input", "type", "checkbox")
			.text("Auto-refresh")
			.close("label")
			.close("span");
		html.open("span").text("node ").element("code", context.nodeId()).close("span");
		html.close("div");
		html.close("div").close("header");
	}

	private static void navigation(Html html, String href, String label, boolean current) {
		html.element("a", label, "href", href, "aria-current", current ? "page" : null);
	}

	/**
	 * The entries of the navigation.
	 */
	enum Section {

		/** The registered workflows. */
		OVERVIEW,

		/** The instance list and the instance pages. */
		INSTANCES

	}

}
