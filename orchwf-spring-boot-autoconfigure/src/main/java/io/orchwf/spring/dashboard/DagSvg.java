package io.orchwf.spring.dashboard;

import java.util.List;
import java.util.Map;

import io.orchwf.spring.dashboard.DagLayout.Edge;
import io.orchwf.spring.dashboard.DagLayout.Vertex;
import org.jspecify.annotations.Nullable;

/**
 * Draws a {@link DagLayout} as inline SVG: each step a box, an element
 * {@code <g class="dag-node">} with {@code data-step-id} (and {@code data-status} on an
 * instance's DAG), its colour from the style sheet's state class and its state in words;
 * each dependency a curve from the right side of the dependency to the left side of the
 * step, straight through the bend points of the layers it crosses.
 */
final class DagSvg {

	static final int NODE_WIDTH = 176;

	static final int NODE_HEIGHT = 50;

	static final int COLUMN_GAP = 40;

	static final int ROW_HEIGHT = 68;

	static final int PADDING = 12;

	/** The widest drawing that shrinks to fit its page rather than scrolls. */
	static final int MAX_FIT_WIDTH = 1760;

	/** The widest box: a longer step id is shortened, its whole id in the tooltip. */
	static final int MAX_NODE_WIDTH = 320;

	// monospace 12px at about 7.3px a character
	private static final double LABEL_CHAR_WIDTH = 7.3;

	// the detail's proportional 11.5px font fits more
	private static final double DETAIL_CHAR_WIDTH = 5.7;

	// the text's inset on both sides of the box
	private static final int TEXT_INSET = 20;

	private DagSvg() {
	}

	/**
	 * Draw a DAG.
	 * @param html the writer
	 * @param layout the layout
	 * @param nodes what each step shows, by step id
	 * @param name what the drawing shows, for assistive technology
	 * @param markerId a document-unique id for the arrow head
	 */
	static void write(Html html, DagLayout layout, Map<String, NodeView> nodes, String name, String markerId) {
		List<List<Vertex>> layers = layout.layers();
		int height = layout.height();
		Box box = Box.fitting(layers);
		double width = 2 * PADDING + layers.size() * box.width() + Math.max(0, layers.size() - 1) * COLUMN_GAP;
		double svgHeight = 2 * PADDING + Math.max(0, height - 1) * ROW_HEIGHT + NODE_HEIGHT;
		html.open("div", "class", "dag-scroll");
		// a drawing up to a laptop screen's width and a third shrinks to fit it; a wider
		// one keeps its size and scrolls, so that its text stays readable
		String fit = (width <= MAX_FIT_WIDTH) ? "dag dag-fit" : "dag";
		html.open("svg", "xmlns", "http://www.w3.org/2000/svg", "class", fit, "role", "img", "aria-label", name,
				"width", width, "height", svgHeight, "viewBox",
				"0 0 " + Html.number(width) + " " + Html.number(svgHeight));
		html.open("defs")
			.open("marker", "id", markerId, "viewBox", "0 0 10 10", "refX", "9", "refY", "5", "markerWidth", "7",
					"markerHeight", "7", "orient", "auto-start-reverse")
			.empty("path", "d", "M 0 0 L 10 5 L 0 10 z", "class", "dag-arrow")
			.close("marker")
			.close("defs");
		html.open("g", "class", "dag-edges");
		for (Edge edge : layout.edges()) {
			NodeView from = nodes.get(edge.from());
			boolean done = from != null && from.status() != null && from.status().name().equals("COMPLETED");
			html.empty("path", "d", path(layout, box, edge), "class", done ? "dag-edge dag-edge-done" : "dag-edge",
					"marker-end", "url(#" + markerId + ")", "data-from", edge.from(), "data-to", edge.to());
		}
		html.close("g");
		for (List<Vertex> layer : layers) {
			for (Vertex vertex : layer) {
				if (!vertex.bend()) {
					node(html, layout, box, vertex, nodes.get(vertex.stepId()));
				}
			}
		}
		html.close("svg").close("div");
	}

	private static void node(Html html, DagLayout layout, Box box, Vertex vertex, @Nullable NodeView view) {
		String stepId = vertex.stepId();
		NodeView shown = (view != null) ? view : new NodeView(stepId, "", null, null, stepId);
		Enum<?> status = shown.status();
		String styleClass = (status != null) ? Statuses.styleClass(status) : "s-definition";
		if (shown.href() != null) {
			html.open("a", "href", shown.href(), "class", "dag-link");
		}
		html.open("g", "class", "dag-node " + styleClass, "data-step-id", stepId, "data-status",
				(status != null) ? status.name() : null, "transform",
				"translate(" + Html.number(left(box, vertex)) + " " + Html.number(top(layout, vertex)) + ")");
		html.element("title", shown.tooltip());
		html.empty("rect", "class", "dag-box", "width", box.width(), "height", NODE_HEIGHT, "rx", "8");
		html.element("text", shorten(stepId, box.labelChars()), "class", "dag-id", "x", "12", "y", "21");
		html.element("text", shorten(shown.detail(), box.detailChars()), "class", "dag-detail", "x", "12", "y", "39");
		html.close("g");
		if (shown.href() != null) {
			html.close("a");
		}
	}

	private static String path(DagLayout layout, Box box, Edge edge) {
		List<Vertex> path = edge.path();
		Vertex first = path.get(0);
		StringBuilder d = new StringBuilder();
		double x = left(box, first) + box.width();
		double y = middle(layout, first);
		d.append("M ").append(Html.number(x)).append(' ').append(Html.number(y));
		for (int i = 1; i < path.size(); i++) {
			Vertex next = path.get(i);
			boolean last = i == path.size() - 1;
			double toX = left(box, next) - (last ? 2 : 0);
			double toY = middle(layout, next);
			double bend = (toX - x) / 2;
			d.append(" C ")
				.append(Html.number(x + bend))
				.append(' ')
				.append(Html.number(y))
				.append(' ')
				.append(Html.number(toX - bend))
				.append(' ')
				.append(Html.number(toY))
				.append(' ')
				.append(Html.number(toX))
				.append(' ')
				.append(Html.number(toY));
			x = toX;
			y = toY;
			if (!last) {
				// through the layer it crosses, level with its bend point
				x = left(box, next) + box.width();
				d.append(" L ").append(Html.number(x)).append(' ').append(Html.number(y));
			}
		}
		return d.toString();
	}

	private static double left(Box box, Vertex vertex) {
		return PADDING + vertex.layer() * (box.width() + COLUMN_GAP);
	}

	// layers are centred on the tallest one
	private static double top(DagLayout layout, Vertex vertex) {
		int size = layout.layers().get(vertex.layer()).size();
		return PADDING + (layout.height() - size) * ROW_HEIGHT / 2.0 + layout.position(vertex) * ROW_HEIGHT;
	}

	private static double middle(DagLayout layout, Vertex vertex) {
		return top(layout, vertex) + NODE_HEIGHT / 2.0;
	}

	private static String shorten(String text, int max) {
		return (text.codePointCount(0, text.length()) > max)
				? text.substring(0, text.offsetByCodePoints(0, max - 1)) + "…" : text;
	}

	/**
	 * The size of the boxes of one drawing: wide enough for its longest step id, from
	 * {@link #NODE_WIDTH} to {@link #MAX_NODE_WIDTH}, so that ids are shortened only past
	 * that.
	 *
	 * @param width the boxes' width
	 * @param labelChars the most characters of a step id a box shows
	 * @param detailChars the most characters of its second line
	 */
	record Box(int width, int labelChars, int detailChars) {

		static Box fitting(List<List<Vertex>> layers) {
			int longest = 0;
			for (List<Vertex> layer : layers) {
				for (Vertex vertex : layer) {
					if (!vertex.bend()) {
						longest = Math.max(longest, vertex.stepId().codePointCount(0, vertex.stepId().length()));
					}
				}
			}
			int width = (int) Math
				.ceil(Math.min(MAX_NODE_WIDTH, Math.max(NODE_WIDTH, TEXT_INSET + longest * LABEL_CHAR_WIDTH)));
			return new Box(width, (int) ((width - TEXT_INSET) / LABEL_CHAR_WIDTH),
					(int) ((width - TEXT_INSET) / DETAIL_CHAR_WIDTH));
		}

	}

	/**
	 * What one step's box shows.
	 *
	 * @param stepId the step
	 * @param detail the second line: its state and attempts, or what kind of step it is
	 * @param status its state, or {@code null} on a definition's DAG
	 * @param href where the box links to, or {@code null}
	 * @param tooltip the box's title: its name and everything the box shortens
	 */
	record NodeView(String stepId, String detail, @Nullable Enum<?> status, @Nullable String href, String tooltip) {
	}

}
