package io.orchwf.acceptance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.FailurePolicy;
import io.orchwf.Orchestrator;
import io.orchwf.StepDefinition;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract, "Semantics / Failure": required failures, FAIL_FAST, COMPLETE_ALL and
 * saga compensation.
 */
class FailurePolicyAndCompensationAcceptanceTests extends AcceptanceSupport {

	private final List<String> compensated = new CopyOnWriteArrayList<>();

	private StepDefinition.Builder compensable(String id) {
		return step(id, (ctx) -> Map.of(id, "done")).compensateWith((ctx) -> this.compensated.add(ctx.stepId()));
	}

	private static StepDefinition.Builder failing(String id, String message) {
		return step(id, (ctx) -> {
			throw new IllegalStateException(message);
		});
	}

	@Test
	void aFailingRequiredStepFailsTheWorkflowWithAResultNotAnException() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("fails", step("ok"), failing("charge", "card declined").dependsOn("ok")));
		WorkflowResult result = orchestrator.start("fails", Map.of());
		assertThat(result.success()).isFalse();
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.error()).hasValue("step charge failed after 1 attempt: card declined");
		assertThat(result.instance().error()).isEqualTo(result.error());
		assertThat(result.instance().step("charge").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
		assertThat(result.instance().step("charge").orElseThrow().error())
			.hasValueSatisfying((error) -> assertThat(error).contains("card declined"));
		assertThat(result.instance().completedAt()).isPresent();
	}

	@Test
	void theErrorCountsTheAttempts() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("fails3", failing("charge", "card declined").retryPolicy(fastRetries(3))));
		WorkflowResult result = orchestrator.start("fails3", Map.of());
		assertThat(result.error()).hasValue("step charge failed after 3 attempts: card declined");
		assertThat(result.instance().step("charge").orElseThrow().attempts()).isEqualTo(3);
	}

	@Test
	void dependentsOfAFailedRequiredStepNeverRun() {
		AtomicInteger ran = new AtomicInteger();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("nodeps", failing("a", "x"), step("b", (ctx) -> {
			ran.incrementAndGet();
			return Map.of();
		}).dependsOn("a")));
		WorkflowResult result = orchestrator.start("nodeps", Map.of());
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(ran.get()).isZero();
		assertThat(result.instance().step("b").orElseThrow().status()).isNotEqualTo(StepStatus.COMPLETED);
	}

	@Test
	void failFastIsTheDefault() {
		WorkflowDefinition definition = workflow("default", step("a"));
		assertThat(definition.failurePolicy()).isEqualTo(FailurePolicy.FAIL_FAST);
	}

	@Test
	void failFastInterruptsRunningStepsAndStopsScheduling() {
		CountDownLatch slowStarted = new CountDownLatch(1);
		AtomicBoolean interrupted = new AtomicBoolean();
		AtomicInteger afterSlowRan = new AtomicInteger();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("failfast", step("slow", (ctx) -> {
			slowStarted.countDown();
			try {
				Thread.sleep(10_000);
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
				throw ex;
			}
			return Map.of();
		}).async(true), step("afterSlow", (ctx) -> {
			afterSlowRan.incrementAndGet();
			return Map.of();
		}).dependsOn("slow"), step("breaker", (ctx) -> {
			slowStarted.await(3, TimeUnit.SECONDS);
			throw new IllegalStateException("broken");
		}).async(true)));
		long started = System.nanoTime();
		WorkflowResult result = orchestrator.start("failfast", Map.of());
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.error()).hasValue("step breaker failed after 1 attempt: broken");
		await().atMost(WAIT).untilTrue(interrupted);
		assertThat(afterSlowRan.get()).isZero();
		assertThat(result.instance().step("slow").orElseThrow().status()).isNotEqualTo(StepStatus.COMPLETED);
	}

	@Test
	void completeAllLetsRunningAndIndependentBranchesFinishFirst() {
		CountDownLatch failed = new CountDownLatch(1);
		AtomicBoolean slowInterrupted = new AtomicBoolean();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(WorkflowDefinition.builder("completeall", "Complete all")
			.failurePolicy(FailurePolicy.COMPLETE_ALL)
			.steps(step("slow", (ctx) -> {
				try {
					// finish only after the other branch has failed
					failed.await(3, TimeUnit.SECONDS);
					Thread.sleep(30);
				}
				catch (InterruptedException ex) {
					slowInterrupted.set(true);
					throw ex;
				}
				return Map.of("slow", true);
			}).async(true).build(), step("afterSlow", (ctx) -> Map.of("afterSlow", true)).dependsOn("slow").build(),
					step("breaker", (ctx) -> {
						failed.countDown();
						throw new IllegalStateException("broken");
					}).async(true).build(),
					step("afterBreaker", (ctx) -> Map.of("afterBreaker", true)).dependsOn("breaker").build())
			.build());
		WorkflowResult result = orchestrator.start("completeall", Map.of());
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.error()).hasValue("step breaker failed after 1 attempt: broken");
		assertThat(slowInterrupted).isFalse();
		// a completed step without a compensator: COMPLETED or COMPENSATED (the contract
		// is
		// silent)
		assertThat(result.instance().step("slow").orElseThrow().status()).isIn(StepStatus.COMPLETED,
				StepStatus.COMPENSATED);
		assertThat(result.instance().step("afterSlow").orElseThrow().status()).isIn(StepStatus.COMPLETED,
				StepStatus.COMPENSATED);
		assertThat(result.instance().step("afterSlow").orElseThrow().output()).containsEntry("afterSlow", true);
		assertThat(result.instance().step("afterBreaker").orElseThrow().status()).isNotEqualTo(StepStatus.COMPLETED);
	}

	@Test
	void compensatorsOfCompletedStepsRunInReverseCompletionOrder() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("saga", compensable("reserve"), compensable("charge").dependsOn("reserve"),
				compensable("ship").dependsOn("charge"), failing("notify", "smtp down").dependsOn("ship")));
		WorkflowResult result = orchestrator.start("saga", Map.of());
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.error()).hasValue("step notify failed after 1 attempt: smtp down");
		assertThat(this.compensated).containsExactly("ship", "charge", "reserve");
		assertThat(result.instance().steps()).extracting((s) -> s.status())
			.containsExactly(StepStatus.COMPENSATED, StepStatus.COMPENSATED, StepStatus.COMPENSATED, StepStatus.FAILED);
	}

	@Test
	void compensationFollowsCompletionOrderNotDefinitionOrder() {
		CountDownLatch secondDone = new CountDownLatch(1);
		Orchestrator orchestrator = orchestrator((builder) -> builder.listener((event) -> {
			if (event.type() == WorkflowEventType.STEP_COMPLETED && "second".equals(event.stepId())) {
				secondDone.countDown();
			}
		}));
		orchestrator.register(workflow("order", step("first", (ctx) -> {
			// declared first, completes second: it waits until the completion of "second"
			// is stored
			secondDone.await(3, TimeUnit.SECONDS);
			return Map.of();
		}).async(true).compensateWith((ctx) -> this.compensated.add("first")),
				step("second", (ctx) -> Map.of()).async(true).compensateWith((ctx) -> this.compensated.add("second")),
				step("breaker", (ctx) -> {
					throw new IllegalStateException("broken");
				}).dependsOn("first", "second")));
		WorkflowResult result = orchestrator.start("order", Map.of());
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(this.compensated).containsExactly("first", "second");
	}

	@Test
	void compensatorSeesItsStep() {
		List<String> seen = new CopyOnWriteArrayList<>();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("ctxcomp",
				step("reserve", (ctx) -> Map.of("reservation", "r-1")).compensateWith(
						(ctx) -> seen.add(ctx.stepId() + ":" + ctx.workflowId() + ":" + ctx.input().get("order"))),
				failing("charge", "declined").dependsOn("reserve")));
		WorkflowResult result = orchestrator.start("ctxcomp", Map.of("order", "o-1"));
		assertThat(seen).containsExactly("reserve:ctxcomp:o-1");
		assertThat(result.instance().step("reserve").orElseThrow().status()).isEqualTo(StepStatus.COMPENSATED);
	}

	@Test
	void anOptionalFailureCompensatesNothing() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("optfail", compensable("reserve"),
				failing("optional", "meh").dependsOn("reserve").required(false)));
		WorkflowResult result = orchestrator.start("optfail", Map.of());
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(this.compensated).isEmpty();
		assertThat(result.instance().step("reserve").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
	}

	@Test
	void skippedAndFailedStepsAreNotCompensated() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("skipcomp", compensable("done"), compensable("skipped").when((ctx) -> false),
				step("optional", (ctx) -> {
					throw new IllegalStateException("meh");
				}).required(false).compensateWith((ctx) -> this.compensated.add("optional")), step("broken", (ctx) -> {
					throw new IllegalStateException("broken");
				}).dependsOn("done", "skipped", "optional").compensateWith((ctx) -> this.compensated.add("broken"))));
		WorkflowResult result = orchestrator.start("skipcomp", Map.of());
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(this.compensated).containsExactly("done");
		assertThat(result.instance().step("skipped").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
	}

	@Test
	void compensationEmitsStepCompensatedEvents() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("compevents", compensable("a"), failing("b", "x").dependsOn("a")));
		WorkflowResult result = orchestrator.start("compevents", Map.of());
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.events).anySatisfy((e) -> {
			assertThat(e.type()).isEqualTo(WorkflowEventType.STEP_COMPENSATED);
			assertThat(e.stepId()).isEqualTo("a");
			assertThat(e.instanceId()).isEqualTo(result.instanceId());
		}));
	}

	@Test
	void aThrowingCompensatorStillEndsTheWorkflowFailed() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("badcomp", step("a").compensateWith((ctx) -> {
			throw new IllegalStateException("cannot undo");
		}), failing("b", "x").dependsOn("a")));
		String id = orchestrator.startAsync("badcomp", Map.of());
		WorkflowResult result = awaitResult(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
	}

	@Test
	void failFastStartsNothingNewAfterTheFailure() {
		AtomicInteger laterRan = new AtomicInteger();
		Orchestrator orchestrator = orchestrator();
		// both sync and independent: "breaker" runs first (priority), "later" waits its
		// turn
		orchestrator.register(workflow("failfast2", step("breaker", (ctx) -> {
			throw new IllegalStateException("broken");
		}).priority(10), step("later", (ctx) -> {
			laterRan.incrementAndGet();
			return Map.of();
		})));
		WorkflowResult result = orchestrator.start("failfast2", Map.of());
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(laterRan.get()).isZero();
		assertThat(result.instance().step("later").orElseThrow().status()).isNotEqualTo(StepStatus.COMPLETED);
	}

	@Test
	void completeAllStillRunsIndependentStepsThatHadNotStarted() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(WorkflowDefinition.builder("completeall2", "Complete all")
			.failurePolicy(FailurePolicy.COMPLETE_ALL)
			.steps(step("breaker", (ctx) -> {
				throw new IllegalStateException("broken");
			}).priority(10).build(), step("later", (ctx) -> Map.of("later", true)).build())
			.build());
		WorkflowResult result = orchestrator.start("completeall2", Map.of());
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.error()).hasValue("step breaker failed after 1 attempt: broken");
		assertThat(result.instance().step("later").orElseThrow().output()).containsEntry("later", true);
	}

	@Test
	void completeAllCompensatesStepsThatCompletedAfterTheFailure() {
		CountDownLatch failed = new CountDownLatch(1);
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(WorkflowDefinition.builder("completeall3", "Complete all")
			.failurePolicy(FailurePolicy.COMPLETE_ALL)
			.steps(step("slow", (ctx) -> {
				failed.await(3, TimeUnit.SECONDS);
				return Map.of();
			}).async(true).compensateWith((ctx) -> this.compensated.add("slow")).build(),
					compensable("afterSlow").dependsOn("slow").build(), step("breaker", (ctx) -> {
						failed.countDown();
						throw new IllegalStateException("broken");
					}).async(true).build())
			.build());
		WorkflowResult result = orchestrator.start("completeall3", Map.of());
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(this.compensated).containsExactly("afterSlow", "slow");
		assertThat(result.instance().step("slow").orElseThrow().status()).isEqualTo(StepStatus.COMPENSATED);
		assertThat(result.instance().step("afterSlow").orElseThrow().status()).isEqualTo(StepStatus.COMPENSATED);
	}

	@Test
	void aWorkflowRunningItsCompensatorsIsCompensating() throws Exception {
		CountDownLatch compensating = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("compensating", step("a").compensateWith((ctx) -> {
			compensating.countDown();
			release.await(3, TimeUnit.SECONDS);
		}), failing("b", "x").dependsOn("a")));
		String id = orchestrator.startAsync("compensating", Map.of());
		try {
			assertThat(compensating.await(3, TimeUnit.SECONDS)).isTrue();
			assertThat(orchestrator.status(id).orElseThrow().status()).isEqualTo(WorkflowStatus.COMPENSATING);
		}
		finally {
			release.countDown();
		}
		assertThat(awaitResult(orchestrator, id).status()).isEqualTo(WorkflowStatus.FAILED);
	}

}
