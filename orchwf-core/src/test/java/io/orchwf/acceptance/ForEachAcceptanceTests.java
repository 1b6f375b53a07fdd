package io.orchwf.acceptance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.orchwf.Orchestrator;
import io.orchwf.StepDefinition;
import io.orchwf.StepException;
import io.orchwf.StepExecutor;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowDefinitionException;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The contract, "Defining workflows" ({@code StepDefinition.forEach} with
 * {@code maxConcurrency}) and the javadoc of {@link StepDefinition#forEach}: the executor
 * runs once per element of the list at {@code input[itemsKey]}; each element's
 * {@code input()} holds the step's input plus {@code item} and {@code index}; the output
 * is {@code {"results": [...]}} in item order; at most {@code maxConcurrency} elements
 * run at once (all of them by default); each element's result is stored as it finishes,
 * so a retry of the step re-runs only the elements that did not finish; the step timeout
 * bounds each element's run. The items key may be a dotted path into nested maps
 * ({@code order.lines}), where a top-level key holding the dots wins, and a path that
 * leads to no list fails the step naming it. (Recovery on another node:
 * WaitingDurabilityAcceptanceTests.)
 */
class ForEachAcceptanceTests extends WaitingAcceptanceSupport {

	private final Map<Integer, AtomicInteger> runsByIndex = new ConcurrentHashMap<>();

	private void ran(int index) {
		this.runsByIndex.computeIfAbsent(index, (i) -> new AtomicInteger()).incrementAndGet();
	}

	private Map<Integer, Integer> runs() {
		Map<Integer, Integer> runs = new ConcurrentHashMap<>();
		this.runsByIndex.forEach((index, count) -> runs.put(index, count.get()));
		return runs;
	}

	private static List<Object> resultsOf(WorkflowResult result, String stepId) {
		Object results = stepOf(result.instance(), stepId).output().get("results");
		assertThat(results).as("output of %s", stepId).isInstanceOf(List.class);
		@SuppressWarnings("unchecked")
		List<Object> list = (List<Object>) results;
		return list;
	}

	@Test
	void theExecutorRunsOncePerElementWithItemAndIndexAndTheResultsAreInItemOrder() {
		Map<Integer, Map<String, Object>> inputs = new ConcurrentHashMap<>();
		AtomicReference<Object> seenDownstream = new AtomicReference<>();
		Orchestrator orchestrator = node();
		orchestrator
			.register(workflow("mapper",
					step("load", (ctx) -> Map.of("lines",
							List.of(Map.of("sku", "A", "qty", 1), Map.of("sku", "B", "qty", 2),
									Map.of("sku", "C", "qty", 3), Map.of("sku", "D", "qty", 4)),
							"loaded", true)),
					StepDefinition.forEach("price", "Price each line", "lines", (ctx) -> {
						int index = ctx.get("index", Integer.class);
						ran(index);
						inputs.put(index, ctx.input());
						// later elements finish first: the results must still be in item
						// order
						sleep((4 - index) * 40L);
						@SuppressWarnings("unchecked")
						Map<String, Object> item = (Map<String, Object>) ctx.input().get("item");
						return Map.of("sku", item.get("sku"), "total", intOf(item.get("qty")) * 10, "index", index,
								"currency", ctx.input().get("currency"));
					}).dependsOn("load"), step("sum", (ctx) -> {
						seenDownstream.set(ctx.input().get("results"));
						return Map.of("summed", true);
					}).dependsOn("price")));
		WorkflowResult result = orchestrator.start("mapper", Map.of("currency", "EUR"));

		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(runs()).isEqualTo(Map.of(0, 1, 1, 1, 2, 1, 3, 1));
		List<Object> expected = List.of(Map.of("sku", "A", "total", 10, "index", 0, "currency", "EUR"),
				Map.of("sku", "B", "total", 20, "index", 1, "currency", "EUR"),
				Map.of("sku", "C", "total", 30, "index", 2, "currency", "EUR"),
				Map.of("sku", "D", "total", 40, "index", 3, "currency", "EUR"));
		assertThat(stepOf(result.instance(), "price").status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(stepOf(result.instance(), "price").output()).isEqualTo(Map.of("results", expected));
		assertThat(seenDownstream.get()).isEqualTo(expected);
		assertThat(result.output()).containsEntry("results", expected).containsEntry("summed", true);
		// each element's input: the step input (workflow input + ancestors' outputs) plus
		// item and index
		for (int i = 0; i < 4; i++) {
			assertThat(inputs.get(i)).as("input of element %d", i)
				.containsEntry("currency", "EUR")
				.containsEntry("loaded", true)
				.containsKey("lines")
				.containsEntry("index", i)
				.containsEntry("item", Map.of("sku", String.valueOf((char) ('A' + i)), "qty", i + 1));
		}
	}

	@Test
	void elementsOfScalarItemsSeeTheItemItself() {
		Orchestrator orchestrator = node();
		orchestrator.register(workflow("scalars", StepDefinition.forEach("shout", "Shout", "words",
				(ctx) -> Map.of("word", ctx.get("item", String.class).toUpperCase()))));
		WorkflowResult result = orchestrator.start("scalars", Map.of("words", List.of("a", "b", "c")));
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(resultsOf(result, "shout")).containsExactly(Map.of("word", "A"), Map.of("word", "B"),
				Map.of("word", "C"));
	}

	@Test
	void aDottedItemsKeyIsAPathIntoNestedMaps() {
		Orchestrator orchestrator = node();
		orchestrator.register(workflow("nested",
				step("load",
						(ctx) -> Map.of("order",
								Map.of("id", "o-1", "shipment",
										Map.of("lines", List.of(Map.of("sku", "A"), Map.of("sku", "B")))))),
				StepDefinition
					.forEach("pick", "Pick", "order.shipment.lines",
							(ctx) -> Map.of("picked", ((Map<?, ?>) ctx.input().get("item")).get("sku")))
					.dependsOn("load")));
		WorkflowResult result = orchestrator.start("nested", Map.of());
		assertThat(result.status()).as(result.error().orElse("")).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(resultsOf(result, "pick")).containsExactly(Map.of("picked", "A"), Map.of("picked", "B"));
	}

	@Test
	void aTopLevelKeyThatHoldsTheDotsWinsOverThePath() {
		Orchestrator orchestrator = node();
		orchestrator.register(workflow("literal", StepDefinition.forEach("each", "Each", "order.lines",
				(ctx) -> Map.of("item", ctx.input().get("item")))));
		WorkflowResult result = orchestrator.start("literal",
				Map.of("order.lines", List.of("literal"), "order", Map.of("lines", List.of("nested", "path"))));
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(resultsOf(result, "each")).containsExactly(Map.of("item", "literal"));
	}

	@Test
	void aPathThatLeadsToNoListFailsTheStepNamingThePathAndWhereItBrokeOff() {
		AtomicInteger calls = new AtomicInteger();
		Orchestrator orchestrator = node();
		orchestrator.register(workflow("broken_path", StepDefinition.forEach("each", "Each", "order.lines", (ctx) -> {
			calls.incrementAndGet();
			return Map.of();
		}).retryPolicy(fastRetries(3))));
		Map<Map<String, Object>, String> problems = Map.of(Map.of(), "the input has no key 'order'",
				Map.of("order", Map.of("id", "o-1")), "'order' has no key 'lines'", Map.of("order", "o-1"),
				"'order' is a String, not a JSON object with key 'lines'", Map.of("order", Map.of("lines", "a,b")),
				"'order.lines' is a String, not a list");
		problems.forEach((input, problem) -> {
			WorkflowResult result = orchestrator.start("broken_path", input);
			assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
			assertThat(stepOf(result.instance(), "each").attempts()).as("not retried").isEqualTo(1);
			assertThat(stepOf(result.instance(), "each").errorType()).hasValue("invalid_input");
			assertThat(stepOf(result.instance(), "each").error())
				.hasValue("forEach step each found no list to map over at items key 'order.lines': " + problem);
		});
		assertThat(calls).hasValue(0);
	}

	@Test
	void anItemsKeyWithAnEmptySegmentIsRefusedWhenTheStepIsBuilt() {
		for (String path : List.of(".lines", "order.", "order..lines")) {
			assertThatExceptionOfType(WorkflowDefinitionException.class)
				.isThrownBy(() -> StepDefinition.forEach("each", "Each", path, (ctx) -> Map.of()).build())
				.withMessage("Step 'each' is invalid: its items key '" + path + "' has an empty segment; name an "
						+ "input key, or a dotted path of keys into nested maps such as order.lines");
		}
	}

	@Test
	void anEmptyListCompletesWithNoResults() {
		AtomicInteger calls = new AtomicInteger();
		Orchestrator orchestrator = node();
		orchestrator.register(workflow("empty", StepDefinition.forEach("each", "Each", "items", (ctx) -> {
			calls.incrementAndGet();
			return Map.of();
		})));
		WorkflowResult result = orchestrator.start("empty", Map.of("items", List.of()));
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(stepOf(result.instance(), "each").output()).isEqualTo(Map.of("results", List.of()));
		assertThat(calls.get()).isZero();
	}

	@Test
	void atMostMaxConcurrencyElementsRunAtOnce() {
		AtomicInteger running = new AtomicInteger();
		AtomicInteger highest = new AtomicInteger();
		// the first three elements meet: proof that three do run at once
		CyclicBarrier firstThree = new CyclicBarrier(3);
		Orchestrator orchestrator = node((builder) -> builder.workers(8));
		orchestrator.register(workflow("bounded", StepDefinition.forEach("each", "Each", "items", (ctx) -> {
			int now = running.incrementAndGet();
			highest.accumulateAndGet(now, Math::max);
			try {
				int index = ctx.get("index", Integer.class);
				if (index < 3) {
					firstThree.await(5, TimeUnit.SECONDS);
				}
				sleep(30);
				return Map.of("i", index);
			}
			finally {
				running.decrementAndGet();
			}
		}).maxConcurrency(3).async(true)));
		WorkflowResult result = orchestrator.start("bounded",
				Map.of("items", List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)));
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(resultsOf(result, "each")).hasSize(12);
		assertThat(highest.get()).isEqualTo(3);
	}

	@Test
	void byDefaultAllElementsRunAtOnce() {
		CyclicBarrier all = new CyclicBarrier(5);
		Orchestrator orchestrator = node((builder) -> builder.workers(8));
		orchestrator.register(workflow("unbounded", StepDefinition.forEach("each", "Each", "items", (ctx) -> {
			all.await(5, TimeUnit.SECONDS);
			return Map.of("item", ctx.input().get("item"));
		}).async(true)));
		WorkflowResult result = orchestrator.start("unbounded", Map.of("items", List.of("a", "b", "c", "d", "e")));
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(resultsOf(result, "each")).containsExactly(Map.of("item", "a"), Map.of("item", "b"),
				Map.of("item", "c"), Map.of("item", "d"), Map.of("item", "e"));
	}

	@Test
	void aRetryReRunsOnlyTheElementThatFailedWhenElementsRunOneAtATime() {
		Orchestrator orchestrator = node();
		orchestrator.register(workflow("retry-seq", StepDefinition.forEach("each", "Each", "items", (ctx) -> {
			int index = ctx.get("index", Integer.class);
			ran(index);
			if (index == 2 && this.runsByIndex.get(2).get() == 1) {
				throw new StepException("connection_refused", "element 2 failed once");
			}
			return Map.of("i", index);
		}).maxConcurrency(1).retryPolicy(fastRetries(3))));
		WorkflowResult result = orchestrator.start("retry-seq", Map.of("items", List.of("a", "b", "c", "d", "e")));

		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(runs()).isEqualTo(Map.of(0, 1, 1, 1, 2, 2, 3, 1, 4, 1));
		assertThat(resultsOf(result, "each")).containsExactly(Map.of("i", 0), Map.of("i", 1), Map.of("i", 2),
				Map.of("i", 3), Map.of("i", 4));
		assertThat(stepOf(result.instance(), "each").attempts()).isEqualTo(2);
	}

	@Test
	void aRetryReRunsOnlyTheElementThatFailedWhenElementsRunInParallel() {
		CountDownLatch othersDone = new CountDownLatch(4);
		Orchestrator orchestrator = node((builder) -> builder.workers(8));
		orchestrator.register(workflow("retry-par", StepDefinition.forEach("each", "Each", "items", (ctx) -> {
			int index = ctx.get("index", Integer.class);
			ran(index);
			if (index == 2) {
				if (this.runsByIndex.get(2).get() == 1) {
					// fail only once every other element has finished
					othersDone.await(5, TimeUnit.SECONDS);
					throw new StepException("connection_refused", "element 2 failed once");
				}
			}
			else {
				othersDone.countDown();
			}
			return Map.of("i", index);
		}).async(true).retryPolicy(fastRetries(3))));
		WorkflowResult result = orchestrator.start("retry-par", Map.of("items", List.of("a", "b", "c", "d", "e")));

		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(runs()).isEqualTo(Map.of(0, 1, 1, 1, 2, 2, 3, 1, 4, 1));
		assertThat(resultsOf(result, "each")).containsExactly(Map.of("i", 0), Map.of("i", 1), Map.of("i", 2),
				Map.of("i", 3), Map.of("i", 4));
	}

	@Test
	void anElementThatKeepsFailingFailsTheStepAfterItsLastAttempt() {
		Orchestrator orchestrator = node();
		orchestrator.register(workflow("doomed", StepDefinition.forEach("each", "Each", "items", (ctx) -> {
			int index = ctx.get("index", Integer.class);
			ran(index);
			if (index == 1) {
				throw new StepException("validation", "element 1 is invalid");
			}
			return Map.of("i", index);
		}).maxConcurrency(1).retryPolicy(fastRetries(2)), step("after").dependsOn("each")));
		WorkflowResult result = orchestrator.start("doomed", Map.of("items", List.of("a", "b", "c")));

		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.error())
			.hasValueSatisfying((error) -> assertThat(error).startsWith("step each failed after 2 attempts"));
		assertThat(stepOf(result.instance(), "each").status()).isEqualTo(StepStatus.FAILED);
		assertThat(stepOf(result.instance(), "after").status()).isNotEqualTo(StepStatus.COMPLETED);
		assertThat(runs()).containsEntry(0, 1).containsEntry(1, 2);
		assertThat(runs().getOrDefault(2, 0)).isLessThanOrEqualTo(1);
	}

	@Test
	void theTimeoutBoundsEachElementNotTheWholeStep() {
		// three elements of 150 ms one after the other: 450 ms in all, each well within
		// 400 ms
		Orchestrator orchestrator = node();
		orchestrator.register(workflow("per-element", StepDefinition.forEach("each", "Each", "items", (ctx) -> {
			sleep(150);
			return Map.of("i", ctx.input().get("index"));
		}).maxConcurrency(1).timeout(Duration.ofMillis(400))));
		WorkflowResult result = orchestrator.start("per-element", Map.of("items", List.of("a", "b", "c")));
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(resultsOf(result, "each")).containsExactly(Map.of("i", 0), Map.of("i", 1), Map.of("i", 2));
	}

	@Test
	void aLateElementTimesOutAndFailsTheStep() {
		Orchestrator orchestrator = node();
		StepExecutor slowSecond = (ctx) -> {
			if (ctx.get("index", Integer.class) == 1) {
				Thread.sleep(10_000);
			}
			return Map.of();
		};
		orchestrator.register(workflow("late",
				StepDefinition.forEach("each", "Each", "items", slowSecond).timeout(Duration.ofMillis(200))));
		long started = System.nanoTime();
		WorkflowResult result = orchestrator.start("late", Map.of("items", List.of("a", "b", "c")));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(stepOf(result.instance(), "each").status()).isEqualTo(StepStatus.FAILED);
		await().atMost(LONG_WAIT)
			.untilAsserted(() -> assertThat(eventsOf(result.instanceId(), WorkflowEventType.STEP_FAILED))
				.filteredOn((e) -> "each".equals(e.stepId()))
				.extracting(WorkflowEvent::data)
				.anySatisfy((data) -> assertThat(data).containsEntry("errorType", "timeout")));
	}

}
