package io.orchwf.acceptance;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.FailurePolicy;
import io.orchwf.NonRetryableStepException;
import io.orchwf.Orchestrator;
import io.orchwf.RetryPolicy;
import io.orchwf.StepContext;
import io.orchwf.StepDefinition;
import io.orchwf.StepException;
import io.orchwf.StepInstance;
import io.orchwf.StepResult;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract, "Time, results and the remaining seed promises": results of other steps
 * ({@link StepContext#stepResult}, {@link StepResult}) and visible error types
 * ({@link StepInstance#errorType()}). A join sees how each ancestor ended, which failed
 * and why, and decides what happens next; a step's last failure keeps its type beside its
 * message: {@code timeout}, a {@link StepException}'s type, or the simple class name of
 * what it threw.
 */
class StepResultsAcceptanceTests extends AcceptanceSupport {

	@Test
	void aJoinAfterACompleteAllBlockSeesWhichBranchesFailedAndWhy() {
		List<StepResult> seen = new CopyOnWriteArrayList<>();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(WorkflowDefinition.builder("notify", "Notify")
			.failurePolicy(FailurePolicy.COMPLETE_ALL)
			.step(step("email", (ctx) -> Map.of("email", "sent")).async(true).build())
			.step(step("sms", (ctx) -> {
				throw new NonRetryableStepException("gateway_down", "the sms gateway is down");
			}).async(true).required(false).build())
			.step(step("push", (ctx) -> {
				throw new IllegalStateException("no device token");
			}).async(true).required(false).build())
			.step(step("report", (ctx) -> {
				for (String branch : List.of("email", "sms", "push")) {
					seen.add(ctx.stepResult(branch).orElseThrow());
				}
				return Map.of("failed", seen.stream().filter(StepResult::failed).map(StepResult::stepId).toList());
			}).dependsOn("email", "sms", "push").build())
			.build());

		WorkflowResult result = orchestrator.start("notify", Map.of());

		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.output()).containsEntry("failed", List.of("sms", "push"));
		assertThat(seen).containsExactly(
				new StepResult("email", StepStatus.COMPLETED, Map.of("email", "sent"), Optional.empty(),
						Optional.empty()),
				new StepResult("sms", StepStatus.FAILED, Map.of(), Optional.of("the sms gateway is down"),
						Optional.of("gateway_down")),
				new StepResult("push", StepStatus.FAILED, Map.of(), Optional.of("no device token"),
						Optional.of("IllegalStateException")));
	}

	@Test
	void aConditionDownstreamDecidesByTheResultOfAnOptionalStep() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("pay", step("charge_primary", (ctx) -> {
			if (Boolean.TRUE.equals(ctx.input().get("primary_down"))) {
				throw new StepException("gateway_down", "primary gateway unavailable");
			}
			return Map.of("paid_by", "primary");
		}).required(false),
				step("charge_backup", (ctx) -> Map.of("paid_by", "backup")).dependsOn("charge_primary")
					.when((ctx) -> ctx.stepResult("charge_primary")
						.flatMap(StepResult::errorType)
						.filter("gateway_down"::equals)
						.isPresent())));

		WorkflowResult fellBack = orchestrator.start("pay", Map.of("primary_down", true));
		assertThat(fellBack.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(fellBack.output()).containsEntry("paid_by", "backup");
		assertThat(fellBack.instance().step("charge_primary").orElseThrow().errorType()).hasValue("gateway_down");

		WorkflowResult direct = orchestrator.start("pay", Map.of("primary_down", false));
		assertThat(direct.output()).containsEntry("paid_by", "primary");
		assertThat(direct.instance().step("charge_backup").orElseThrow().status()).isEqualTo(StepStatus.SKIPPED);
	}

	@Test
	void onlyAncestorsHaveAResult() {
		Map<String, Optional<StepResult>> seen = new ConcurrentHashMap<>();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("lines", step("validate"), step("skipped").when((ctx) -> false),
				step("sibling").dependsOn("validate"), step("check", (ctx) -> {
					for (String id : List.of("validate", "skipped", "sibling", "check", "later", "no_such_step")) {
						seen.put(id, ctx.stepResult(id));
					}
					return Map.of();
				}).dependsOn("validate", "skipped"), step("later").dependsOn("check", "sibling")));

		assertThat(orchestrator.start("lines", Map.of()).status()).isEqualTo(WorkflowStatus.COMPLETED);

		assertThat(seen.get("validate")).hasValueSatisfying((result) -> {
			assertThat(result.status()).isEqualTo(StepStatus.COMPLETED);
			assertThat(result.completed()).isTrue();
			assertThat(result.error()).isEmpty();
			assertThat(result.errorType()).isEmpty();
		});
		assertThat(seen.get("skipped"))
			.hasValueSatisfying((result) -> assertThat(result.status()).isEqualTo(StepStatus.SKIPPED));
		assertThat(seen.get("sibling")).as("not an ancestor, even once it has completed").isEmpty();
		assertThat(seen.get("check")).as("the step itself").isEmpty();
		assertThat(seen.get("later")).as("a descendant").isEmpty();
		assertThat(seen.get("no_such_step")).isEmpty();
	}

	@Test
	void aCompensatorSeesItsOwnStepsResult() {
		List<StepResult> seen = new CopyOnWriteArrayList<>();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("refund", step("charge", (ctx) -> Map.of("payment", "p-1"))
			.compensateWith((ctx) -> seen.add(ctx.stepResult("charge").orElseThrow())), step("ship", (ctx) -> {
				throw new NonRetryableStepException("no_carrier", "no carrier");
			}).dependsOn("charge")));

		assertThat(orchestrator.start("refund", Map.of()).status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(seen).singleElement().satisfies((result) -> {
			assertThat(result.status()).isEqualTo(StepStatus.COMPLETED);
			assertThat(result.output()).containsEntry("payment", "p-1");
		});
	}

	@Test
	void aFailedStepShowsTheTypeOfItsLastFailure() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(WorkflowDefinition.builder("types", "Types")
			.failurePolicy(FailurePolicy.COMPLETE_ALL)
			.step(step("typed", (ctx) -> {
				throw new StepException("card_declined", "declined");
			}).async(true).build())
			.step(step("untyped", (ctx) -> {
				throw new IllegalArgumentException("bad amount");
			}).async(true).build())
			.step(step("slow", (ctx) -> {
				Thread.sleep(5_000);
				return Map.of();
			}).async(true).timeout(Duration.ofMillis(100)).build())
			.build());

		WorkflowInstance instance = orchestrator.start("types", Map.of()).instance();

		assertThat(instance.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(instance.step("typed").orElseThrow().errorType()).hasValue("card_declined");
		assertThat(instance.step("untyped").orElseThrow().errorType()).hasValue("IllegalArgumentException");
		assertThat(instance.step("slow").orElseThrow().errorType()).hasValue("timeout");
		assertThat(instance.step("slow").orElseThrow().error())
			.hasValueSatisfying((error) -> assertThat(error).contains("timed out after 100 ms"));
	}

	@Test
	void aStepWaitingForItsRetryShowsTheTypeAndOneThatCompletesShowsNone() {
		Orchestrator orchestrator = orchestrator();
		AtomicInteger attempts = new AtomicInteger();
		orchestrator.register(workflow("flaky", step("call", (ctx) -> {
			if (attempts.incrementAndGet() == 1) {
				throw new StepException("unavailable", "try later");
			}
			return Map.of("attempt", ctx.attempt());
		}).retryPolicy(RetryPolicy.builder()
			.maxAttempts(2)
			.initialInterval(Duration.ofMillis(600))
			.maxInterval(Duration.ofMillis(600))
			.jitter(0)
			.build())));
		String id = orchestrator.startAsync("flaky", Map.of());

		StepInstance waiting = await().atMost(WAIT)
			.until(() -> orchestrator.status(id).orElseThrow().step("call").orElseThrow(),
					(step) -> step.status() == StepStatus.WAITING);
		assertThat(waiting.error()).hasValue("try later");
		assertThat(waiting.errorType()).hasValue("unavailable");

		StepInstance completed = awaitResult(orchestrator, id).instance().step("call").orElseThrow();
		assertThat(completed.status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(completed.error()).isEmpty();
		assertThat(completed.errorType()).isEmpty();
	}

	@Test
	void aStepStoppedByAFailureElsewhereHasTypeInterrupted() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("stop", step("broken", (ctx) -> {
			throw new NonRetryableStepException("bad", "broken");
		}).async(true), StepDefinition.awaitSignal("approval", "approve")));

		WorkflowInstance instance = orchestrator.start("stop", Map.of()).instance();

		assertThat(instance.step("broken").orElseThrow().errorType()).hasValue("bad");
		StepInstance approval = instance.step("approval").orElseThrow();
		assertThat(approval.status()).isEqualTo(StepStatus.FAILED);
		assertThat(approval.errorType()).hasValue("interrupted");
	}

}
