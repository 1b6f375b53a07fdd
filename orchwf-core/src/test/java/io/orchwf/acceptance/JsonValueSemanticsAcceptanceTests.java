package io.orchwf.acceptance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.orchwf.Orchestrator;
import io.orchwf.StartOptions;
import io.orchwf.StepExecutor;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract, "Running": inputs, metadata and outputs are JSON-compatible values; what
 * cannot be stored is rejected at once with {@link IllegalArgumentException}; the
 * in-memory store keeps values as JSON would store them.
 */
class JsonValueSemanticsAcceptanceTests extends AcceptanceSupport {

	public enum Color {

		RED, GREEN

	}

	public record Customer(String name, int age) {
	}

	private final AtomicReference<Map<String, Object>> seen = new AtomicReference<>();

	private Orchestrator orchestrator;

	@BeforeEach
	void setUp() {
		this.orchestrator = orchestrator();
		this.orchestrator.register(workflow("echo", step("echo", (ctx) -> {
			this.seen.set(ctx.input());
			return Map.of();
		})));
	}

	private long instanceCount() {
		return this.orchestrator.list(WorkflowFilter.builder().build(), 10, 0).total();
	}

	private void assertRejected(Map<String, Object> input) {
		assertThatThrownBy(() -> this.orchestrator.start("echo", input)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> this.orchestrator.startAsync("echo", input))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> this.orchestrator.startAsync("echo", Map.of(), input))
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(
				() -> this.orchestrator.startAsync("echo", Map.of(), StartOptions.builder().metadata(input).build()))
			.isInstanceOf(IllegalArgumentException.class);
		assertThat(instanceCount()).isZero();
	}

	@Test
	void anArbitraryObjectIsRejectedAtOnce() {
		assertRejected(Map.of("thing", new Object()));
	}

	@Test
	void notANumberIsRejectedAtOnce() {
		assertRejected(Map.of("amount", Double.NaN));
	}

	@Test
	void infinityIsRejectedAtOnce() {
		assertRejected(Map.of("amount", Double.POSITIVE_INFINITY));
	}

	@Test
	void aNestedUnstorableValueIsRejectedAtOnce() {
		assertRejected(Map.of("order", Map.of("lines", List.of(Map.of("thing", new Object())))));
	}

	@Test
	void aSelfReferencingMapIsRejectedAtOnce() {
		Map<String, Object> loop = new HashMap<>();
		loop.put("self", loop);
		assertRejected(Map.of("loop", loop));
	}

	@Test
	void nestedJsonValuesArriveIntact() {
		Map<String, Object> line = new HashMap<>();
		line.put("sku", "A-1");
		line.put("gift", false);
		line.put("note", null);
		Map<String, Object> input = new HashMap<>();
		input.put("customer", Map.of("name", "ann", "tags", List.of("vip", "eu")));
		input.put("lines", List.of(line));
		input.put("express", true);
		input.put("comment", null);
		WorkflowResult result = this.orchestrator.start("echo", input);
		assertThat(result.success()).isTrue();
		Map<String, Object> in = this.seen.get();
		assertThat(in).containsEntry("express", true).containsEntry("comment", null);
		assertThat(in.get("customer")).isEqualTo(Map.of("name", "ann", "tags", List.of("vip", "eu")));
		assertThat(in.get("lines")).isEqualTo(List.of(line));
		assertThat(result.instance().input()).isEqualTo(in);
	}

	@Test
	void numbersKeepTheirValue() {
		Map<String, Object> input = new HashMap<>();
		input.put("int", 42);
		input.put("long", Long.MAX_VALUE);
		input.put("negative", -7L);
		input.put("double", 0.1);
		input.put("decimal", new java.math.BigDecimal("12.50"));
		assertThat(this.orchestrator.start("echo", input).success()).isTrue();
		Map<String, Object> in = this.seen.get();
		assertThat(in.get("int")).isInstanceOf(Number.class);
		assertThat(((Number) in.get("int")).longValue()).isEqualTo(42L);
		assertThat(((Number) in.get("long")).longValue()).isEqualTo(Long.MAX_VALUE);
		assertThat(((Number) in.get("negative")).longValue()).isEqualTo(-7L);
		assertThat(((Number) in.get("double")).doubleValue()).isEqualTo(0.1);
		assertThat(((Number) in.get("decimal")).doubleValue()).isEqualTo(12.5);
	}

	@Test
	void theCallersMapsAreCopiedAtStart() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch mutated = new CountDownLatch(1);
		this.orchestrator.register(workflow("copy", step("read", (ctx) -> {
			started.countDown();
			mutated.await(3, TimeUnit.SECONDS);
			this.seen.set(ctx.input());
			return Map.of();
		})));
		List<Object> items = new ArrayList<>(List.of("a"));
		Map<String, Object> input = new HashMap<>();
		input.put("items", items);
		input.put("status", "new");
		String id = this.orchestrator.startAsync("copy", input);
		assertThat(started.await(3, TimeUnit.SECONDS)).isTrue();
		items.add("b");
		input.put("status", "changed");
		mutated.countDown();
		WorkflowResult result = awaitResult(this.orchestrator, id);
		assertThat(this.seen.get()).containsEntry("items", List.of("a")).containsEntry("status", "new");
		assertThat(result.instance().input()).containsEntry("items", List.of("a")).containsEntry("status", "new");
	}

	@Test
	void storedOutputsAreCopiesOfWhatTheStepReturned() {
		List<Object> retained = new ArrayList<>(List.of("x"));
		this.orchestrator.register(workflow("outcopy", step("produce", (ctx) -> {
			Map<String, Object> out = new HashMap<>();
			out.put("items", retained);
			return out;
		})));
		WorkflowResult result = this.orchestrator.start("outcopy", Map.of());
		retained.add("y");
		assertThat(this.orchestrator.status(result.instanceId()).orElseThrow().output()).containsEntry("items",
				List.of("x"));
		assertThat(this.orchestrator.status(result.instanceId()).orElseThrow().step("produce").orElseThrow().output())
			.containsEntry("items", List.of("x"));
	}

	@Test
	void anEnumIsRejectedOrSeenAsItsJsonString() {
		Map<String, Object> input = Map.of("color", Color.RED);
		try {
			this.orchestrator.start("echo", input);
		}
		catch (IllegalArgumentException rejected) {
			return;
		}
		assertThat(this.seen.get().get("color")).isEqualTo("RED");
	}

	@Test
	void aUuidIsRejectedOrSeenAsItsJsonString() {
		UUID uuid = UUID.randomUUID();
		try {
			this.orchestrator.start("echo", Map.of("id", uuid));
		}
		catch (IllegalArgumentException rejected) {
			return;
		}
		assertThat(this.seen.get().get("id")).isEqualTo(uuid.toString());
	}

	@Test
	void aRecordIsRejectedOrSeenAsAJsonObject() {
		try {
			this.orchestrator.start("echo", Map.of("customer", new Customer("ann", 30)));
		}
		catch (IllegalArgumentException rejected) {
			return;
		}
		Object customer = this.seen.get().get("customer");
		assertThat(customer).isInstanceOf(Map.class);
		assertThat(((Map<?, ?>) customer).get("name")).isEqualTo("ann");
		assertThat(((Number) ((Map<?, ?>) customer).get("age")).intValue()).isEqualTo(30);
	}

	@Test
	void aStepOutputIsSeenDownstreamAsJsonWouldStoreIt() {
		AtomicReference<Object> downstream = new AtomicReference<>();
		this.orchestrator.register(
				workflow("outjson", step("produce", (ctx) -> Map.of("color", Color.GREEN)), step("consume", (ctx) -> {
					downstream.set(ctx.input().get("color"));
					return Map.of();
				}).dependsOn("produce")));
		WorkflowResult result = this.orchestrator.start("outjson", Map.of());
		if (result.status() == WorkflowStatus.FAILED) {
			// rejected as not JSON-compatible: acceptable
			return;
		}
		assertThat(downstream.get()).isEqualTo("GREEN");
		assertThat(result.output()).containsEntry("color", "GREEN");
	}

	@Test
	void aStepReturningAnUnstorableOutputFailsInsteadOfCompleting() {
		StepExecutor bad = (ctx) -> Map.of("thing", new Object());
		this.orchestrator.register(workflow("badout", step("bad", bad), step("after").dependsOn("bad")));
		String id = this.orchestrator.startAsync("badout", Map.of());
		WorkflowResult result = awaitResult(this.orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.error()).hasValueSatisfying((error) -> assertThat(error).startsWith("step bad failed"));
	}

	@Test
	void aStepReturningNotANumberFailsInsteadOfCompleting() {
		this.orchestrator.register(workflow("nanout", step("bad", (ctx) -> Map.of("ratio", Double.NaN))));
		String id = this.orchestrator.startAsync("nanout", Map.of());
		WorkflowResult result = awaitResult(this.orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
	}

	@Test
	void getConvertsInputValues() {
		AtomicReference<Map<String, Object>> converted = new AtomicReference<>();
		this.orchestrator.register(workflow("convert", step("read", (ctx) -> {
			Map<String, Object> out = new HashMap<>();
			out.put("customer", ctx.get("customer", Customer.class));
			out.put("count", ctx.get("count", Long.class));
			out.put("countInt", ctx.get("count", Integer.class));
			out.put("price", ctx.get("count", Double.class));
			out.put("name", ctx.get("name", String.class));
			out.put("tags", ctx.get("tags", List.class));
			out.put("missing", ctx.get("missing", String.class));
			converted.set(out);
			return Map.of();
		})));
		WorkflowResult result = this.orchestrator.start("convert", Map.of("customer", Map.of("name", "ann", "age", 30),
				"count", 7, "name", "order-1", "tags", List.of("a", "b")));
		assertThat(result.success()).isTrue();
		assertThat(converted.get()).containsEntry("customer", new Customer("ann", 30))
			.containsEntry("count", 7L)
			.containsEntry("countInt", 7)
			.containsEntry("price", 7.0)
			.containsEntry("name", "order-1")
			.containsEntry("tags", List.of("a", "b"))
			.containsEntry("missing", null);
	}

}
