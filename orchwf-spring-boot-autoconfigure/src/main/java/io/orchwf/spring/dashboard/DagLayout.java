package io.orchwf.spring.dashboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

import org.jspecify.annotations.Nullable;

/**
 * Lays a workflow's DAG out in layers from left to right, as a layered (Sugiyama)
 * drawing:
 *
 * <ol>
 * <li>Layers by longest path: a step without dependencies is in layer 0, any other one
 * layer right of its furthest dependency, so that every edge points right.</li>
 * <li>An edge that spans several layers gets a bend point (a dummy vertex) in each layer
 * it crosses, so that it is routed between the steps instead of through them.</li>
 * <li>Within each layer, vertices are ordered to reduce crossings: starting from the
 * definition order, sweeps left to right and back sort each layer by the barycenter (mean
 * position) of its neighbours in the layer before, then after; then adjacent vertices are
 * swapped where that removes crossings. The order with the fewest crossings found is
 * kept; ties keep the earlier order, so the same graph always looks the same.</li>
 * </ol>
 *
 * Positions are grid positions (layer, index within the layer); {@link DagSvg} turns them
 * into coordinates.
 */
final class DagLayout {

	private static final int MAX_SWEEPS = 24;

	private final List<Vertex> vertices;

	private final List<List<Vertex>> layers;

	private final List<Edge> edges;

	private final List<List<Integer>> successors;

	private DagLayout(List<Vertex> vertices, List<List<Vertex>> layers, List<Edge> edges,
			List<List<Integer>> successors) {
		this.vertices = vertices;
		this.layers = layers;
		this.edges = edges;
		this.successors = successors;
	}

	/**
	 * Lay a graph out.
	 * @param nodes the steps in definition order, each with the ids of the steps it
	 * depends on; unknown ids and self-dependencies are ignored
	 * @return the layout
	 */
	static DagLayout of(List<Node> nodes) {
		Map<String, Integer> indexes = new LinkedHashMap<>();
		nodes.forEach((node) -> indexes.putIfAbsent(node.id(), indexes.size()));
		int count = indexes.size();
		List<List<Integer>> dependencies = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			dependencies.add(new ArrayList<>());
		}
		for (Node node : nodes) {
			int index = indexes.get(node.id());
			for (String dependency : new LinkedHashSet<>(node.dependsOn())) {
				Integer from = indexes.get(dependency);
				if (from != null && from != index && !dependencies.get(index).contains(from)) {
					dependencies.get(index).add(from);
				}
			}
		}
		int[] layer = longestPathLayers(count, dependencies);
		Builder builder = new Builder();
		List<String> ids = new ArrayList<>(indexes.keySet());
		for (int i = 0; i < count; i++) {
			builder.vertex(ids.get(i), layer[i]);
		}
		List<Edge> edges = new ArrayList<>();
		for (int to = 0; to < count; to++) {
			for (int from : dependencies.get(to)) {
				List<Vertex> path = new ArrayList<>();
				path.add(builder.vertices.get(from));
				int previous = from;
				for (int between = layer[from] + 1; between < layer[to]; between++) {
					int bend = builder.vertex(null, between);
					builder.link(previous, bend);
					path.add(builder.vertices.get(bend));
					previous = bend;
				}
				builder.link(previous, to);
				path.add(builder.vertices.get(to));
				edges.add(new Edge(ids.get(from), ids.get(to), path));
			}
		}
		return builder.order(edges);
	}

	/**
	 * The steps of each layer, left to right, each layer top to bottom.
	 * @return the step ids by layer, without bend points
	 */
	List<List<String>> stepLayers() {
		return this.layers.stream()
			.map((vertices) -> vertices.stream().filter((vertex) -> !vertex.bend()).map(Vertex::stepId).toList())
			.toList();
	}

	/**
	 * Every layer with its vertices in order, bend points included.
	 * @return the layers
	 */
	List<List<Vertex>> layers() {
		return this.layers;
	}

	/**
	 * Every dependency as a path from the dependency to the dependent step through its
	 * bend points.
	 * @return the edges
	 */
	List<Edge> edges() {
		return this.edges;
	}

	/**
	 * The position of a vertex within its layer.
	 * @param vertex the vertex
	 * @return its index, top first
	 */
	int position(Vertex vertex) {
		return this.layers.get(vertex.layer()).indexOf(vertex);
	}

	/**
	 * The size of the largest layer.
	 * @return the number of vertices in it
	 */
	int height() {
		return this.layers.stream().mapToInt(List::size).max().orElse(0);
	}

	/**
	 * How many pairs of edge segments cross.
	 * @return the number of crossings; 0 for a planar drawing
	 */
	int crossings() {
		int[] positions = new int[this.vertices.size()];
		for (List<Vertex> vertices : this.layers) {
			for (int i = 0; i < vertices.size(); i++) {
				positions[vertices.get(i).index()] = i;
			}
		}
		int crossings = 0;
		for (int layer = 0; layer + 1 < this.layers.size(); layer++) {
			crossings += crossingsBetween(this.layers.get(layer), this.successors, positions);
		}
		return crossings;
	}

	// Kahn's algorithm in definition order; a step left over by a cycle (which a built
	// definition cannot have) goes right of every other one rather than failing a page
	private static int[] longestPathLayers(int count, List<List<Integer>> dependencies) {
		int[] layer = new int[count];
		int[] waiting = new int[count];
		List<List<Integer>> dependents = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			dependents.add(new ArrayList<>());
		}
		for (int to = 0; to < count; to++) {
			waiting[to] = dependencies.get(to).size();
			for (int from : dependencies.get(to)) {
				dependents.get(from).add(to);
			}
		}
		PriorityQueue<Integer> ready = new PriorityQueue<>();
		for (int i = 0; i < count; i++) {
			if (waiting[i] == 0) {
				ready.add(i);
			}
		}
		boolean[] placed = new boolean[count];
		int deepest = 0;
		while (!ready.isEmpty()) {
			int step = ready.poll();
			placed[step] = true;
			deepest = Math.max(deepest, layer[step]);
			for (int dependent : dependents.get(step)) {
				layer[dependent] = Math.max(layer[dependent], layer[step] + 1);
				if (--waiting[dependent] == 0) {
					ready.add(dependent);
				}
			}
		}
		for (int i = 0; i < count; i++) {
			if (!placed[i]) {
				layer[i] = deepest + 1;
			}
		}
		return layer;
	}

	private static int crossingsBetween(List<Vertex> upper, List<List<Integer>> successors, int[] positions) {
		List<int[]> segments = new ArrayList<>();
		for (Vertex vertex : upper) {
			for (int successor : successors.get(vertex.index())) {
				segments.add(new int[] { positions[vertex.index()], positions[successor] });
			}
		}
		int crossings = 0;
		for (int i = 0; i < segments.size(); i++) {
			for (int j = i + 1; j < segments.size(); j++) {
				int[] a = segments.get(i);
				int[] b = segments.get(j);
				if ((a[0] < b[0] && a[1] > b[1]) || (a[0] > b[0] && a[1] < b[1])) {
					crossings++;
				}
			}
		}
		return crossings;
	}

	/**
	 * A step of the graph to lay out.
	 *
	 * @param id the step id
	 * @param dependsOn the steps it depends on
	 */
	record Node(String id, List<String> dependsOn) {

		Node {
			dependsOn = List.copyOf(dependsOn);
		}

	}

	/**
	 * A vertex of the layered graph: a step, or a bend point of an edge that spans
	 * several layers.
	 *
	 * @param index its index among all vertices
	 * @param stepId the step, or {@code null} for a bend point
	 * @param layer its layer, 0 for the leftmost
	 */
	record Vertex(int index, @Nullable String stepId, int layer) {

		boolean bend() {
			return this.stepId == null;
		}

	}

	/**
	 * A dependency, drawn from the dependency to the step that depends on it.
	 *
	 * @param from the dependency
	 * @param to the dependent step
	 * @param path the vertices it passes: {@code from}'s, its bend points, {@code to}'s
	 */
	record Edge(String from, String to, List<Vertex> path) {

		Edge {
			path = List.copyOf(path);
		}

	}

	/**
	 * Builds the layered graph, then orders its layers.
	 */
	private static final class Builder {

		private final List<Vertex> vertices = new ArrayList<>();

		private final List<List<Integer>> predecessors = new ArrayList<>();

		private final List<List<Integer>> successors = new ArrayList<>();

		private int[] positions = new int[0];

		int vertex(@Nullable String stepId, int layer) {
			int index = this.vertices.size();
			this.vertices.add(new Vertex(index, stepId, layer));
			this.predecessors.add(new ArrayList<>());
			this.successors.add(new ArrayList<>());
			return index;
		}

		void link(int from, int to) {
			this.successors.get(from).add(to);
			this.predecessors.get(to).add(from);
		}

		DagLayout order(List<Edge> edges) {
			int layerCount = this.vertices.stream().mapToInt(Vertex::layer).max().orElse(-1) + 1;
			List<List<Integer>> layers = new ArrayList<>();
			for (int i = 0; i < layerCount; i++) {
				layers.add(new ArrayList<>());
			}
			this.vertices.forEach((vertex) -> layers.get(vertex.layer()).add(vertex.index()));
			this.positions = new int[this.vertices.size()];
			reindex(layers);
			List<List<Integer>> best = copy(layers);
			int fewest = crossings(layers);
			for (int sweep = 0; sweep < MAX_SWEEPS && fewest > 0; sweep++) {
				for (int layer = 1; layer < layerCount; layer++) {
					sortByBarycenter(layers.get(layer), this.predecessors);
				}
				for (int layer = layerCount - 2; layer >= 0; layer--) {
					sortByBarycenter(layers.get(layer), this.successors);
				}
				transpose(layers);
				int crossings = crossings(layers);
				if (crossings < fewest) {
					fewest = crossings;
					best = copy(layers);
				}
			}
			List<List<Vertex>> ordered = best.stream()
				.map((layer) -> layer.stream().map(this.vertices::get).toList())
				.toList();
			return new DagLayout(List.copyOf(this.vertices), ordered, List.copyOf(edges), this.successors);
		}

		private void sortByBarycenter(List<Integer> layer, List<List<Integer>> neighbours) {
			Map<Integer, Double> barycenters = new LinkedHashMap<>();
			for (int vertex : layer) {
				List<Integer> adjacent = neighbours.get(vertex);
				// a vertex without neighbours on that side keeps its place
				double barycenter = adjacent.isEmpty() ? this.positions[vertex]
						: adjacent.stream().mapToInt((other) -> this.positions[other]).average().orElse(0);
				barycenters.put(vertex, barycenter);
			}
			layer.sort(Comparator.comparingDouble(barycenters::get));
			for (int i = 0; i < layer.size(); i++) {
				this.positions[layer.get(i)] = i;
			}
		}

		// swaps neighbours in a layer while that lowers the crossings with the layers on
		// both sides
		private void transpose(List<List<Integer>> layers) {
			boolean improved = true;
			for (int round = 0; improved && round < layers.size() + 4; round++) {
				improved = false;
				for (List<Integer> layer : layers) {
					for (int i = 0; i + 1 < layer.size(); i++) {
						int left = layer.get(i);
						int right = layer.get(i + 1);
						if (pairCrossings(right, left) < pairCrossings(left, right)) {
							layer.set(i, right);
							layer.set(i + 1, left);
							this.positions[right] = i;
							this.positions[left] = i + 1;
							improved = true;
						}
					}
				}
			}
		}

		// crossings between the edges of two neighbours of a layer, left one first
		private int pairCrossings(int left, int right) {
			return pairCrossings(left, right, this.predecessors) + pairCrossings(left, right, this.successors);
		}

		private int pairCrossings(int left, int right, List<List<Integer>> neighbours) {
			int crossings = 0;
			for (int a : neighbours.get(left)) {
				for (int b : neighbours.get(right)) {
					if (this.positions[a] > this.positions[b]) {
						crossings++;
					}
				}
			}
			return crossings;
		}

		private int crossings(List<List<Integer>> layers) {
			int crossings = 0;
			for (int layer = 0; layer + 1 < layers.size(); layer++) {
				List<Vertex> upper = layers.get(layer).stream().map(this.vertices::get).toList();
				crossings += crossingsBetween(upper, this.successors, this.positions);
			}
			return crossings;
		}

		private void reindex(List<List<Integer>> layers) {
			for (List<Integer> layer : layers) {
				for (int i = 0; i < layer.size(); i++) {
					this.positions[layer.get(i)] = i;
				}
			}
		}

		private static List<List<Integer>> copy(List<List<Integer>> layers) {
			return layers.stream().map((layer) -> (List<Integer>) new ArrayList<>(layer)).toList();
		}

	}

}
