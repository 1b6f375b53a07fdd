package io.orchwf.spring.dashboard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads the dashboard's pages in tests: the DAG's nodes, the forms, and whether anything
 * a page shows has escaped its escaping.
 */
final class Pages {

	private Pages() {
	}

	/**
	 * The state of each node of the first DAG on a page that shows states.
	 * @param page the page
	 * @return state by step id, in the order of the nodes
	 */
	static Map<String, String> dagStatuses(Document page) {
		Map<String, String> statuses = new LinkedHashMap<>();
		for (Element node : page.select("svg.dag g.dag-node[data-step-id][data-status]")) {
			statuses.put(node.attr("data-step-id"), node.attr("data-status"));
		}
		return statuses;
	}

	/**
	 * The step ids of the nodes of one DAG.
	 * @param dag the {@code svg} element, or an element holding it
	 * @return the step ids, in the order of the nodes
	 */
	static List<String> dagSteps(Element dag) {
		return dag.select("svg.dag g.dag-node[data-step-id]").eachAttr("data-step-id");
	}

	/**
	 * The fields of a POST form, hidden ones included, as a browser would send them
	 * untouched.
	 * @param page the page
	 * @param action the form's action
	 * @return the form
	 */
	static Element form(Document page, String action) {
		Element form = page.selectFirst("form[method=post][action=" + action + "]");
		assertThat(form).as("a POST form to %s on %s", action, page.title()).isNotNull();
		return form;
	}

	/**
	 * Assert that a page holds only the dashboard's own markup: its one script, no
	 * element or event handler attribute that a shown value could have brought in, and
	 * that the markup values are shown as text.
	 * @param page the page
	 * @param shownAsText texts that must appear as text on the page, such as a business
	 * id made of markup
	 */
	static void assertEscaped(Document page, String... shownAsText) {
		assertThat(page.select("script")).as("scripts on %s", page.title()).hasSize(1);
		assertThat(page.selectFirst("script").data()).isEqualTo(Styles.SCRIPT);
		assertThat(page.select("img, b, i, iframe, object, embed")).as("injected elements on %s", page.title())
			.isEmpty();
		for (Element element : page.getAllElements()) {
			for (Attribute attribute : element.attributes()) {
				assertThat(attribute.getKey()).as("an attribute of <%s> on %s", element.tagName(), page.title())
					.doesNotStartWith("on")
					.doesNotContain("<")
					.doesNotContain("\"");
			}
		}
		String shown = page.wholeText() + " " + page.select("[value]").eachAttr("value") + " "
				+ page.select("[title]").eachAttr("title") + " "
				+ page.select("[data-step-id]").eachAttr("data-step-id");
		for (String text : shownAsText) {
			assertThat(shown).as("%s shown as text on %s", text, page.title()).contains(text);
		}
	}

}
