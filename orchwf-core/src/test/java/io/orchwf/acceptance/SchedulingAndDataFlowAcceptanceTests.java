package io.orchwf.acceptance;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.orchwf.Orchestrator;
import io.orchwf.StepContext;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract, "Semantics": scheduling, data flow and skipping.
 */
class SchedulingAndDataFlowAcceptanceTests extends AcceptanceSupport {

	private final List<String> order = new CopyOnWriteArrayList<>();

	private io.orchwf.StepExecutor record(String id, Map<String, Object> output) {
		return (ctx) -> {
			this.order.add(id);
			return output;
		};
	}

	@Test
	void aStepRunsOnlyAfterItsDependenciesCompleted() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("chain", step("a", record("a", Map.of())).async(true),
				step("b", record("b", Map.of())).dependsOn("a").async(true),
				step("c", record("c", Map.of())).dependsOn("b")));
		WorkflowResult result = orchestrator.start("chain", Map.of());
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(this.order).containsExactly("a", "b", "c");
		assertThat(result.instance().steps()).allSatisfy((s) -> assertThat(s.status()).isEqualTo(StepStatus.COMPLETED));
	}

	@Test
	void readySyncStepsStartHighestPriorityFirstTiesInDefinitionOrder() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("priorities", step("low", record("low", Map.of())).priority(1),
				step("high", record("high", Map.of())).priority(10), step("tieA", record("tieA", Map.of())).priority(5),
				step("tieB", record("tieB", Map.of())).priority(5), step("none", record("none", Map.of()))));
		WorkflowResult result = orchestrator.start("priorities", Map.of());
		assertThat(result.success()).isTrue();
		assertThat(this.order).containsExactly("high", "tieA", "tieB", "low", "none");
	}

	@Test
	void syncStepsOfOneInstanceRunOneAtATime() {
		AtomicInteger running = new AtomicInteger();
		AtomicInteger maxRunning = new AtomicInteger();
		io.orchwf.StepExecutor executor = (ctx) -> {
			int now = running.incrementAndGet();
			maxRunning.accumulateAndGet(now, Math::max);
			sleep(20);
			running.decrementAndGet();
			return Map.of();
		};
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(
				workflow("sync", step("a", executor), step("b", executor), step("c", executor), step("d", executor)));
		assertThat(orchestrator.start("sync", Map.of()).success()).isTrue();
		assertThat(maxRunning.get()).isEqualTo(1);
	}

	@Test
	void asyncStepsRunConcurrently() {
		CyclicBarrier barrier = new CyclicBarrier(3);
		io.orchwf.StepExecutor meet = (ctx) -> {
			barrier.await(3, TimeUnit.SECONDS);
			return Map.of(ctx.stepId(), true);
		};
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("parallel", step("x", meet).async(true), step("y", meet).async(true),
				step("z", meet).async(true)));
		WorkflowResult result = orchestrator.start("parallel", Map.of());
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.output()).containsEntry("x", true).containsEntry("y", true).containsEntry("z", true);
	}

	@Test
	void aSyncStepNeverWaitsForAnUnrelatedAsyncStep() {
		CountDownLatch syncRan = new CountDownLatch(1);
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("mixed", step("slowAsync", (ctx) -> {
			if (!syncRan.await(3, TimeUnit.SECONDS)) {
				throw new IllegalStateException("the sync step waited for me");
			}
			return Map.of();
		}).async(true), step("sync", (ctx) -> {
			syncRan.countDown();
			return Map.of();
		})));
		WorkflowResult result = orchestrator.start("mixed", Map.of());
		assertThat(result.error()).isEmpty();
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
	}

	@Test
	void aStepNeverWaitsForASiblingItDoesNotDependOn() {
		// "no waves": c depends on a only, and must run while b (a's sibling) still runs
		CountDownLatch cRan = new CountDownLatch(1);
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("waves", step("a").async(true), step("b", (ctx) -> {
			if (!cRan.await(3, TimeUnit.SECONDS)) {
				throw new IllegalStateException("c waited for its non-dependency b");
			}
			return Map.of();
		}).async(true), step("c", (ctx) -> {
			cRan.countDown();
			return Map.of();
		}).dependsOn("a").async(true)));
		WorkflowResult result = orchestrator.start("waves", Map.of());
		assertThat(result.error()).isEmpty();
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
	}

	@Test
	void stepInputIsWorkflowInputOverlaidWithAncestorOutputs() {
		AtomicReference<Map<String, Object>> seenByC = new AtomicReference<>();
		CountDownLatch unrelatedDone = new CountDownLatch(1);
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("flow", step("a", (ctx) -> Map.of("k", "a", "fromA", 1)).async(true),
				step("b", (ctx) -> Map.of("k", "b")).dependsOn("a").async(true), step("unrelated", (ctx) -> {
					unrelatedDone.countDown();
					return Map.of("unrelated", true);
				}).async(true), step("c", (ctx) -> {
					unrelatedDone.await(3, TimeUnit.SECONDS);
					seenByC.set(new HashMap<>(ctx.input()));
					return Map.of();
				}).dependsOn("b").async(true)));
		WorkflowResult result = orchestrator.start("flow", Map.of("x", "input", "k", "input"));
		assertThat(result.success()).isTrue();
		assertThat(seenByC.get()).containsEntry("x", "input")
			.containsEntry("k", "b")
			.containsEntry("fromA", 1)
			.doesNotContainKey("unrelated");
	}

	@Test
	void siblingOutputsMergeInDefinitionOrder() {
		AtomicReference<Object> seenByJoin = new AtomicReference<>();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("diamond", step("root"),
				step("left", (ctx) -> Map.of("k", "left")).dependsOn("root").async(true),
				step("right", (ctx) -> Map.of("k", "right")).dependsOn("root").async(true), step("join", (ctx) -> {
					seenByJoin.set(ctx.input().get("k"));
					return Map.of();
				}).dependsOn("left", "right")));
		WorkflowResult result = orchestrator.start("diamond", Map.of());
		assertThat(result.success()).isTrue();
		assertThat(seenByJoin.get()).isEqualTo("right");
		assertThat(result.output()).containsEntry("k", "right");
	}

	@Test
	void siblingOutputsMergeInDefinitionOrderWhateverTheCompletionOrder() {
		// "right" is declared first and finishes last; "left" is declared last and
		// finishes first: the merge follows the definition, so "left" wins
		AtomicReference<Object> seenByJoin = new AtomicReference<>();
		CountDownLatch leftDone = new CountDownLatch(1);
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("diamond2", step("root"), step("right", (ctx) -> {
			leftDone.await(3, TimeUnit.SECONDS);
			return Map.of("k", "right");
		}).dependsOn("root").async(true), step("left", (ctx) -> {
			leftDone.countDown();
			return Map.of("k", "left");
		}).dependsOn("root").async(true), step("join", (ctx) -> {
			seenByJoin.set(ctx.input().get("k"));
			return Map.of();
		}).dependsOn("left", "right")));
		WorkflowResult result = orchestrator.start("diamond2", Map.of());
		assertThat(result.success()).isTrue();
		assertThat(seenByJoin.get()).isEqualTo("left");
		assertThat(result.output()).containsEntry("k", "left");
	}

	@Test
	void workflowOutputMergesAllCompletedStepOutputs() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("out", step("a", (ctx) -> Map.of("a", 1, "shared", "a")),
				step("b", (ctx) -> Map.of("b", 2, "shared", "b")).dependsOn("a"),
				step("c", (ctx) -> Map.of("c", 3)).async(true)));
		WorkflowResult result = orchestrator.start("out", Map.of("in", "x"));
		assertThat(result.output()).containsEntry("a", 1)
			.containsEntry("b", 2)
			.containsEntry("c", 3)
			.containsEntry("shared", "b");
		assertThat(result.instance().output()).isEqualTo(result.output());
		assertThat(result.instance().step("a").orElseThrow().output()).containsEntry("a", 1)
			.containsEntry("shared", "a");
	}

	@Test
	void stepOutputReturnsAnAncestorsOutputOrEmpty() {
		AtomicReference<Map<String, Object>> ofA = new AtomicReference<>();
		AtomicReference<Map<String, Object>> ofNull = new AtomicReference<>();
		AtomicReference<Map<String, Object>> ofUnknown = new AtomicReference<>();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("ancestors", step("a", (ctx) -> Map.of("value", "A")),
				step("nothing", (ctx) -> null), step("reader", (ctx) -> {
					ofA.set(ctx.stepOutput("a"));
					ofNull.set(ctx.stepOutput("nothing"));
					ofUnknown.set(ctx.stepOutput("no_such_step"));
					return Map.of();
				}).dependsOn("a", "nothing")));
		WorkflowResult result = orchestrator.start("ancestors", Map.of());
		assertThat(result.success()).isTrue();
		assertThat(ofA.get()).containsExactly(Map.entry("value", "A"));
		assertThat(ofNull.get()).isEmpty();
		assertThat(ofUnknown.get()).isEmpty();
		assertThat(result.instance().step("nothing").orElseThrow().output()).isEmpty();
	}

	@Test
	void contextDescribesTheRunningStep() {
		Map<String, Object> seen = new ConcurrentHashMap<>();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("ctx", step("only", (ctx) -> {
			seen.put("instanceId", ctx.instanceId());
			seen.put("workflowId", ctx.workflowId());
			seen.put("stepId", ctx.stepId());
			seen.put("attempt", ctx.attempt());
			seen.put("metadata", ctx.metadata());
			seen.put("cancelled", ctx.isCancelled());
			seen.put("key", ctx.idempotencyKey());
			return Map.of();
		})));
		WorkflowResult result = orchestrator.start("ctx", Map.of(), Map.of("tenant", "acme"));
		assertThat(seen).containsEntry("instanceId", result.instanceId())
			.containsEntry("workflowId", "ctx")
			.containsEntry("stepId", "only")
			.containsEntry("attempt", 1)
			.containsEntry("cancelled", false);
		assertThat(((Map<?, ?>) seen.get("metadata")).get("tenant")).isEqualTo("acme");
		assertThat((String) seen.get("key")).isNotBlank();
	}

	@Test
	void inputIsReadOnlyForSteps() {
		AtomicReference<Throwable> thrown = new AtomicReference<>();
		AtomicReference<Object> seenLater = new AtomicReference<>();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("ro", step("writer", (ctx) -> {
			try {
				ctx.input().put("x", "changed");
			}
			catch (RuntimeException ex) {
				thrown.set(ex);
			}
			return Map.of();
		}), step("reader", (ctx) -> {
			seenLater.set(ctx.input().get("x"));
			return Map.of();
		}).dependsOn("writer")));
		orchestrator.start("ro", Map.of("x", "original"));
		assertThat(thrown.get()).isInstanceOf(UnsupportedOperationException.class);
		assertThat(seenLater.get()).isEqualTo("original");
	}

	@Test
	void nullInputMeansEmpty() {
		AtomicReference<Map<String, Object>> seen = new AtomicReference<>();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("nullin", step("a", (ctx) -> {
			seen.set(ctx.input());
			return null;
		})));
		WorkflowResult result = orchestrator.start("nullin", null, (Map<String, ?>) null);
		assertThat(result.success()).isTrue();
		assertThat(seen.get()).isEmpty();
		assertThat(result.instance().input()).isEmpty();
		assertThat(result.instance().metadata()).doesNotContainKey("tenant");
	}

	@Test
	void aFalseConditionSkipsTheStepAndItsOnlySkippedDependents() {
		AtomicInteger ran = new AtomicInteger();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("skip", step("check"), step("card", (ctx) -> {
			ran.incrementAndGet();
			return Map.of("paid_by", "card");
		}).dependsOn("check").when((ctx) -> "card".equals(ctx.input().get("method"))), step("receipt", (ctx) -> {
			ran.incrementAndGet();
			return Map.of();
		}).dependsOn("card"),
				step("invoice", (ctx) -> Map.of("paid_by", "invoice")).dependsOn("check")
					.when((ctx) -> "invoice".equals(ctx.input().get("method"))),
				step("join", (ctx) -> Map.of("joined", ctx.input().get("paid_by"))).dependsOn("card", "invoice")));
		WorkflowResult result = orchestrator.start("skip", Map.of("method", "invoice"));
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(ran.get()).isZero();
		assertThat(result.instance().step("card").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
		assertThat(result.instance().step("receipt").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
		assertThat(result.instance().step("invoice").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(result.instance().step("join").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(result.output()).containsEntry("joined", "invoice");
	}

	@Test
	void aStepWhoseDependenciesWereAllSkippedIsSkipped() {
		AtomicInteger joinRan = new AtomicInteger();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("allskip", step("x").when((ctx) -> false), step("y").when((ctx) -> false),
				step("join", (ctx) -> {
					joinRan.incrementAndGet();
					return Map.of();
				}).dependsOn("x", "y")));
		WorkflowResult result = orchestrator.start("allskip", Map.of());
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(joinRan.get()).isZero();
		assertThat(result.instance().steps()).extracting((s) -> s.status())
			.containsExactly(StepStatus.SKIPPED, StepStatus.SKIPPED, StepStatus.SKIPPED);
	}

	@Test
	void conditionSeesTheStepInput() {
		AtomicReference<Object> seen = new AtomicReference<>();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("cond", step("a", (ctx) -> Map.of("flag", true)),
				step("b").dependsOn("a").when((StepContext ctx) -> {
					seen.set(ctx.input().get("flag"));
					return Boolean.TRUE.equals(ctx.input().get("flag"));
				})));
		WorkflowResult result = orchestrator.start("cond", Map.of());
		assertThat(seen.get()).isEqualTo(true);
		assertThat(result.instance().step("b").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
	}

	@Test
	void aFailedOptionalStepLetsTheWorkflowGoOnAndItsDependentsRunWithoutItsOutput() {
		AtomicReference<Map<String, Object>> seenByDependent = new AtomicReference<>();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("optional", step("a", (ctx) -> Map.of("a", 1)), step("optional", (ctx) -> {
			throw new IllegalStateException("boom");
		}).dependsOn("a").required(false), step("after", (ctx) -> {
			seenByDependent.set(new HashMap<>(ctx.input()));
			return Map.of("after", true);
		}).dependsOn("optional")));
		WorkflowResult result = orchestrator.start("optional", Map.of());
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.success()).isTrue();
		assertThat(result.instance().step("optional").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
		assertThat(result.instance().step("optional").orElseThrow().error())
			.hasValueSatisfying((error) -> assertThat(error).contains("boom"));
		assertThat(result.instance().step("after").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(seenByDependent.get()).containsEntry("a", 1);
		assertThat(result.output()).containsEntry("after", true);
	}

	@Test
	void stepsAreListedInDefinitionOrder() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("listing", step("z").async(true), step("m").priority(5), step("a")));
		WorkflowResult result = orchestrator.start("listing", Map.of());
		assertThat(result.instance().steps()).extracting((s) -> s.stepId()).containsExactly("z", "m", "a");
		assertThat(result.instance().steps()).allSatisfy((s) -> {
			assertThat(s.attempts()).isEqualTo(1);
			assertThat(s.startedAt()).isPresent();
			assertThat(s.completedAt()).isPresent();
			assertThat(s.duration().isNegative()).isFalse();
		});
	}

	@Test
	void readyAsyncStepsStartHighestPriorityFirst() {
		Orchestrator orchestrator = orchestrator((builder) -> builder.workers(1));
		orchestrator.register(workflow("asyncpriorities", step("low", record("low", Map.of())).async(true).priority(1),
				step("high", record("high", Map.of())).async(true).priority(10),
				step("tieA", record("tieA", Map.of())).async(true).priority(5),
				step("tieB", record("tieB", Map.of())).async(true).priority(5)));
		WorkflowResult result = orchestrator.start("asyncpriorities", Map.of());
		assertThat(result.success()).isTrue();
		assertThat(this.order).containsExactly("high", "tieA", "tieB", "low");
	}

}
