package io.orchwf.spring.dashboard;

import java.util.List;

import io.orchwf.spring.dashboard.DagLayout.Edge;
import io.orchwf.spring.dashboard.DagLayout.Node;
import io.orchwf.spring.dashboard.DagLayout.Vertex;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DagLayout}: longest-path layers, bend points for long edges, and an
 * order within the layers without crossings wherever the graph allows one.
 */
class DagLayoutTests {

	@Test
	void laysADiamondOutInThreeLayersWithoutCrossings() {
		DagLayout layout = DagLayout.of(List.of(node("a"), node("b", "a"), node("c", "a"), node("d", "b", "c")));
		assertThat(layout.stepLayers()).containsExactly(List.of("a"), List.of("b", "c"), List.of("d"));
		assertThat(layout.crossings()).isZero();
		assertThat(layout.edges()).extracting(Edge::from, Edge::to)
			.containsExactlyInAnyOrder(tuple("a", "b"), tuple("a", "c"), tuple("b", "d"), tuple("c", "d"));
		assertThat(layout.edges()).allSatisfy((edge) -> assertThat(edge.path()).hasSize(2));
	}

	@Test
	void laysTheSampleOrderWorkflowOutInItsEightLayersWithoutCrossings() {
		DagLayout layout = DagLayout.of(List.of(node("validate_order"), node("check_inventory", "validate_order"),
				node("fetch_customer", "validate_order"), node("fetch_recommendations", "validate_order"),
				node("reserve_stock", "check_inventory", "fetch_customer", "fetch_recommendations"),
				node("await_approval", "reserve_stock"), node("process_payment", "await_approval"),
				node("create_shipment", "process_payment"), node("update_order_status", "create_shipment"),
				node("send_confirmation", "update_order_status")));
		assertThat(layout.stepLayers()).containsExactly(List.of("validate_order"),
				List.of("check_inventory", "fetch_customer", "fetch_recommendations"), List.of("reserve_stock"),
				List.of("await_approval"), List.of("process_payment"), List.of("create_shipment"),
				List.of("update_order_status"), List.of("send_confirmation"));
		assertThat(layout.crossings()).isZero();
		assertThat(layout.height()).isEqualTo(3);
	}

	@Test
	void placesEachStepOneLayerRightOfItsFurthestDependency() {
		// the longest path to d is a -> b -> c -> d, though d also depends on a directly
		DagLayout layout = DagLayout
			.of(List.of(node("d", "a", "c"), node("c", "b"), node("b", "a"), node("a"), node("e", "a")));
		assertThat(layout.stepLayers()).containsExactly(List.of("a"), List.of("b", "e"), List.of("c"), List.of("d"));
	}

	@Test
	void reordersALayerThatTheDefinitionOrderWouldCross() {
		// in definition order, x (after b) sits above y (after a): their edges would
		// cross
		DagLayout layout = DagLayout.of(List.of(node("a"), node("b"), node("x", "b"), node("y", "a")));
		assertThat(layout.crossings()).isZero();
		assertThat(layout.stepLayers()).containsExactly(List.of("a", "b"), List.of("y", "x"));
	}

	@Test
	void untanglesTwoInterleavedChains() {
		DagLayout layout = DagLayout.of(List.of(node("a1"), node("b1"), node("a2", "a1"), node("b2", "b1"),
				node("b3", "b2"), node("a3", "a2"), node("a4", "a3"), node("b4", "b3"), node("join", "a4", "b4")));
		assertThat(layout.crossings()).isZero();
		List<List<String>> layers = layout.stepLayers();
		for (int layer = 0; layer < 4; layer++) {
			assertThat(layers.get(layer).get(0)).as("layer %d", layer).startsWith("a");
			assertThat(layers.get(layer).get(1)).as("layer %d", layer).startsWith("b");
		}
	}

	@Test
	void keepsTheCrossingThatNoOrderAvoids() {
		// two sources each feeding the same two steps: one crossing in any order
		DagLayout layout = DagLayout.of(List.of(node("a"), node("b"), node("c", "a", "b"), node("d", "a", "b")));
		assertThat(layout.crossings()).isEqualTo(1);
	}

	@Test
	void routesAnEdgeThatSpansLayersThroughABendPointInEachLayer() {
		DagLayout layout = DagLayout.of(List.of(node("a"), node("b", "a"), node("c", "b"), node("d", "c", "a")));
		Edge longEdge = layout.edges()
			.stream()
			.filter((edge) -> edge.from().equals("a") && edge.to().equals("d"))
			.findFirst()
			.orElseThrow();
		assertThat(longEdge.path()).extracting(Vertex::layer).containsExactly(0, 1, 2, 3);
		assertThat(longEdge.path().subList(1, 3)).allSatisfy((vertex) -> assertThat(vertex.bend()).isTrue());
		assertThat(layout.layers().get(1)).hasSize(2);
		assertThat(layout.stepLayers().get(1)).containsExactly("b");
		assertThat(layout.crossings()).isZero();
	}

	@Test
	void routesLongEdgesAroundTheStepsWithoutCrossings() {
		// a fan-out whose branches rejoin at different depths
		DagLayout layout = DagLayout.of(List.of(node("start"), node("left", "start"), node("right", "start"),
				node("left2", "left"), node("mid", "start"), node("end", "left2", "right", "mid")));
		assertThat(layout.stepLayers()).containsExactly(List.of("start"), List.of("left", "right", "mid"),
				List.of("left2"), List.of("end"));
		assertThat(layout.crossings()).isZero();
	}

	@Test
	void ignoresUnknownDependenciesAndSelfDependencies() {
		DagLayout layout = DagLayout.of(List.of(node("a", "a", "missing"), node("b", "a", "a")));
		assertThat(layout.stepLayers()).containsExactly(List.of("a"), List.of("b"));
		assertThat(layout.edges()).hasSize(1);
	}

	@Test
	void laysOutTheSameGraphTheSameWayEveryTime() {
		List<Node> graph = List.of(node("a"), node("b"), node("c", "a", "b"), node("d", "b"), node("e", "c", "d"),
				node("f", "a"), node("g", "f", "e"));
		List<List<String>> first = DagLayout.of(graph).stepLayers();
		for (int i = 0; i < 10; i++) {
			assertThat(DagLayout.of(graph).stepLayers()).isEqualTo(first);
		}
	}

	private static Node node(String id, String... dependsOn) {
		return new Node(id, List.of(dependsOn));
	}

	private static org.assertj.core.groups.Tuple tuple(Object... values) {
		return org.assertj.core.groups.Tuple.tuple(values);
	}

}
