package io.orchwf.scenario;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.Orchestrator;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowResult;
import io.orchwf.event.WorkflowEventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SchedulingScenarioTests extends ScenarioSupport {

	@Test
	void asyncStepsWithTheSameDependencyRunConcurrently() {
		Orchestrator orchestrator = orchestrator();
		CountDownLatch bothRunning = new CountDownLatch(2);
		io.orchwf.StepExecutor meet = (context) -> {
			bothRunning.countDown();
			assertThat(bothRunning.await(5, TimeUnit.SECONDS)).isTrue();
			return Map.of(context.stepId(), true);
		};
		orchestrator.register(workflow("fan_out", noop("fetch"), step("process", meet).dependsOn("fetch").async(true),
				step("validate", meet).dependsOn("fetch").async(true), noop("save").dependsOn("process", "validate")));
		WorkflowResult result = orchestrator.start("fan_out", null);
		assertThat(result.success()).as(result.error().orElse("")).isTrue();
		assertThat(result.output()).containsKeys("fetch", "process", "validate", "save");
	}

	@Test
	void syncStepsOfOneInstanceRunOneAtATimeInPriorityThenDefinitionOrder() {
		Orchestrator orchestrator = orchestrator();
		AtomicInteger running = new AtomicInteger();
		List<String> order = Collections.synchronizedList(new ArrayList<>());
		io.orchwf.StepExecutor exclusive = (context) -> {
			assertThat(running.incrementAndGet()).isEqualTo(1);
			order.add(context.stepId());
			Thread.sleep(20);
			running.decrementAndGet();
			return Map.of();
		};
		orchestrator.register(workflow("sync", step("a", exclusive), step("b", exclusive),
				step("c", exclusive).priority(1), step("d", exclusive)));
		assertThat(orchestrator.start("sync", null).success()).isTrue();
		assertThat(order).containsExactly("c", "a", "b", "d");
	}

	@Test
	void aSyncStepNeverWaitsForAnUnrelatedAsyncStep() throws InterruptedException {
		Orchestrator orchestrator = orchestrator();
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch syncChainDone = new CountDownLatch(1);
		orchestrator.register(workflow("independent", step("slow", (context) -> {
			assertThat(release.await(5, TimeUnit.SECONDS)).isTrue();
			return Map.of();
		}).async(true), noop("first"), step("second", (context) -> {
			syncChainDone.countDown();
			return Map.of();
		}).dependsOn("first")));
		String id = orchestrator.startAsync("independent", null);
		try {
			assertThat(syncChainDone.await(5, TimeUnit.SECONDS)).as("sync chain ran while the async step ran").isTrue();
		}
		finally {
			release.countDown();
		}
		assertThat(orchestrator.awaitCompletion(id, WAIT).orElseThrow().success()).isTrue();
	}

	@Test
	void noWavesAStepStartsAsSoonAsItsOwnDependenciesFinish() throws InterruptedException {
		Orchestrator orchestrator = orchestrator();
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch fastChildRan = new CountDownLatch(1);
		orchestrator.register(workflow("no_waves", step("slow", (context) -> {
			assertThat(release.await(5, TimeUnit.SECONDS)).isTrue();
			return Map.of();
		}).async(true), noop("fast").async(true), step("after_fast", (context) -> {
			fastChildRan.countDown();
			return Map.of();
		}).dependsOn("fast").async(true)));
		String id = orchestrator.startAsync("no_waves", null);
		try {
			assertThat(fastChildRan.await(5, TimeUnit.SECONDS)).isTrue();
		}
		finally {
			release.countDown();
		}
		assertThat(orchestrator.awaitCompletion(id, WAIT).orElseThrow().success()).isTrue();
	}

	@Test
	void aBusyPoolStartsTheHighestPriorityReadyStepFirst() throws InterruptedException {
		Orchestrator orchestrator = orchestrator((builder) -> builder.workers(1));
		CountDownLatch blockerRunning = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		List<String> order = Collections.synchronizedList(new ArrayList<>());
		orchestrator.register(workflow("blocker", step("block", (context) -> {
			blockerRunning.countDown();
			assertThat(release.await(5, TimeUnit.SECONDS)).isTrue();
			return Map.of();
		}).async(true)));
		orchestrator.register(workflow("ranked", step("low", (context) -> {
			order.add("low");
			return Map.of();
		}).async(true).priority(1), step("high", (context) -> {
			order.add("high");
			return Map.of();
		}).async(true).priority(9), step("mid", (context) -> {
			order.add("mid");
			return Map.of();
		}).async(true).priority(5)));
		String blocker = orchestrator.startAsync("blocker", null);
		try {
			assertThat(blockerRunning.await(5, TimeUnit.SECONDS)).isTrue();
			String ranked = orchestrator.startAsync("ranked", null);
			release.countDown();
			assertThat(orchestrator.awaitCompletion(ranked, WAIT).orElseThrow().success()).isTrue();
		}
		finally {
			release.countDown();
		}
		orchestrator.awaitCompletion(blocker, WAIT).orElseThrow();
		assertThat(order).containsExactly("high", "mid", "low");
	}

	@Test
	void inputIsTheWorkflowInputOverlaidWithAncestorOutputsInTopologicalOrder() {
		Orchestrator orchestrator = orchestrator();
		Map<String, Map<String, Object>> inputs = new java.util.concurrent.ConcurrentHashMap<>();
		io.orchwf.StepExecutor record = (context) -> {
			inputs.put(context.stepId(), context.input());
			return Map.of("by", context.stepId(), context.stepId(), true);
		};
		orchestrator.register(workflow("data_flow", step("join", record).dependsOn("right", "left"),
				step("right", record).dependsOn("root").async(true), step("left", record).dependsOn("root").async(true),
				step("root", record), step("unrelated", record).async(true)));
		WorkflowResult result = orchestrator.start("data_flow", Map.of("by", "input", "order", 1));
		assertThat(result.success()).isTrue();
		assertThat(inputs.get("root")).isEqualTo(Map.of("by", "input", "order", 1));
		assertThat(inputs.get("left")).isEqualTo(Map.of("by", "root", "order", 1, "root", true));
		// topological order: root, right, left (definition order breaks the tie), so left
		// wins
		assertThat(inputs.get("join"))
			.isEqualTo(Map.of("by", "left", "order", 1, "root", true, "right", true, "left", true));
		assertThat(inputs.get("join")).doesNotContainKey("unrelated");
		assertThat(result.output()).containsEntry("join", true).containsEntry("unrelated", true);
	}

	@Test
	void stepOutputShowsAncestorsOnly() {
		Orchestrator orchestrator = orchestrator();
		Map<String, Object> seen = new java.util.concurrent.ConcurrentHashMap<>();
		orchestrator.register(workflow("visibility", step("a", (context) -> Map.of("x", 1)),
				step("b", (context) -> Map.of("y", 2)).async(true), step("c", (context) -> {
					seen.put("a", context.stepOutput("a"));
					seen.put("b", context.stepOutput("b"));
					seen.put("missing", context.stepOutput("missing"));
					return Map.of();
				}).dependsOn("a")));
		assertThat(orchestrator.start("visibility", null).success()).isTrue();
		assertThat(seen).containsEntry("a", Map.of("x", 1))
			.containsEntry("b", Map.of())
			.containsEntry("missing", Map.of());
	}

	@Test
	void conditionsSkipStepsAndSkipsPropagateUntilAJoinWithARealDependency() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("branches", noop("route"),
				noop("express").dependsOn("route")
					.when((context) -> "express".equals(context.get("ship", String.class))),
				noop("express_label").dependsOn("express"),
				noop("standard").dependsOn("route")
					.when((context) -> !"express".equals(context.get("ship", String.class))),
				noop("notify").dependsOn("express_label", "standard")));
		WorkflowResult result = orchestrator.start("branches", Map.of("ship", "standard"));
		assertThat(result.success()).isTrue();
		assertThat(result.instance().step("express").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
		assertThat(result.instance().step("express_label").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
		assertThat(result.instance().step("standard").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(result.instance().step("notify").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(eventsOf(result.instanceId(), WorkflowEventType.STEP_SKIPPED)).containsExactlyInAnyOrder("express",
				"express_label");
	}

	@Test
	void aStepWhoseDependenciesWereAllSkippedIsSkipped() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("all_skipped", noop("a").when((context) -> false),
				noop("b").when((context) -> false), noop("c").dependsOn("a", "b")));
		WorkflowResult result = orchestrator.start("all_skipped", null);
		assertThat(result.success()).isTrue();
		assertThat(result.instance().steps())
			.allSatisfy((step) -> assertThat(step.status()).isEqualTo(StepStatus.SKIPPED));
		assertThat(result.output()).isEmpty();
	}

	@Test
	void aConditionThatThrowsFailsItsStep() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("bad_condition", noop("a").when((context) -> {
			throw new IllegalStateException("no route");
		})));
		WorkflowResult result = orchestrator.start("bad_condition", null);
		assertThat(result.success()).isFalse();
		assertThat(result.error())
			.hasValueSatisfying((error) -> assertThat(error).contains("condition of step a threw: no route"));
	}

	@Test
	void aThrowingConditionOfARequiredStepStopsEverythingUnderFailFast() {
		Orchestrator orchestrator = orchestrator();
		List<String> ran = Collections.synchronizedList(new ArrayList<>());
		orchestrator.register(workflow("stop", noop("a").async(true).when((context) -> {
			throw new IllegalStateException("bad predicate");
		}), step("b", (context) -> {
			ran.add("b");
			return Map.of();
		}).async(true), step("c", (context) -> {
			ran.add("c");
			return Map.of();
		})));
		WorkflowResult result = orchestrator.start("stop", null);
		assertThat(result.success()).isFalse();
		assertThat(ran).isEmpty();
	}

	@Test
	void aConditionThrowingAnErrorFailsItsStepInsteadOfTheEngine() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("error", noop("a").when((context) -> {
			throw new AssertionError("broken predicate");
		})));
		WorkflowResult result = orchestrator.start("error", null);
		assertThat(result.status()).isEqualTo(io.orchwf.WorkflowStatus.FAILED);
		assertThat(result.error()).hasValueSatisfying((error) -> assertThat(error).contains("broken predicate"));
	}

}
