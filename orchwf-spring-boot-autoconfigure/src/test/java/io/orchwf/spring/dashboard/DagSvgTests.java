package io.orchwf.spring.dashboard;

import java.util.List;
import java.util.Map;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A DAG's boxes are as wide as its longest step id needs, up to a bound past which ids
 * are shortened (the whole id stays in the box's tooltip), and its edges leave the boxes'
 * right edges.
 */
class DagSvgTests {

	@Test
	void shortIdsKeepTheNarrowBoxes() {
		Document drawing = draw("validate", "ship");
		assertThat(drawing.select("rect.dag-box").eachAttr("width")).containsOnly(String.valueOf(DagSvg.NODE_WIDTH));
		assertThat(drawing.select("text.dag-id").eachText()).containsExactly("validate", "ship");
	}

	@Test
	void aLongIdWidensEveryBoxOfItsDrawingAndIsShownWhole() {
		String id = "send_the_confirmation_email_now";
		Document drawing = draw("validate", id);
		int width = Integer.parseInt(drawing.selectFirst("rect.dag-box").attr("width"));
		assertThat(width).isGreaterThan(DagSvg.NODE_WIDTH).isLessThan(DagSvg.MAX_NODE_WIDTH);
		assertThat(drawing.select("rect.dag-box").eachAttr("width")).containsOnly(String.valueOf(width));
		assertThat(drawing.select("text.dag-id").eachText()).containsExactly("validate", id);
		Element edge = drawing.selectFirst("path.dag-edge");
		assertThat(edge.attr("d")).startsWith("M " + (DagSvg.PADDING + width) + " ");
	}

	@Test
	void anIdPastTheWidestBoxIsShortenedWithItsWholeIdInTheTooltip() {
		String id = "a".repeat(80);
		Document drawing = draw(id);
		assertThat(drawing.selectFirst("rect.dag-box").attr("width")).isEqualTo(String.valueOf(DagSvg.MAX_NODE_WIDTH));
		assertThat(drawing.selectFirst("text.dag-id").text()).endsWith("…").hasSizeLessThan(id.length());
		assertThat(drawing.selectFirst("g.dag-node title").text()).contains(id);
	}

	/** A chain of steps, each depending on the one before. */
	private static Document draw(String... stepIds) {
		List<DagLayout.Node> nodes = new java.util.ArrayList<>();
		for (int i = 0; i < stepIds.length; i++) {
			nodes.add(new DagLayout.Node(stepIds[i], (i > 0) ? List.of(stepIds[i - 1]) : List.of()));
		}
		Html html = new Html();
		DagSvg.write(html, DagLayout.of(nodes), Map.of(), "Steps", "arrow");
		return Jsoup.parse(html.toString());
	}

}
