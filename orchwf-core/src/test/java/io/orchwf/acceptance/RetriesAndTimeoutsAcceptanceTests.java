package io.orchwf.acceptance;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.NonRetryableStepException;
import io.orchwf.Orchestrator;
import io.orchwf.RetryPolicy;
import io.orchwf.StepException;
import io.orchwf.StepExecutor;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract, "Semantics / Retry" and "Semantics / Timeout", and which retry policy
 * applies.
 */
class RetriesAndTimeoutsAcceptanceTests extends AcceptanceSupport {

	private final AtomicInteger calls = new AtomicInteger();

	/** Fails the first {@code failures} calls with the given exception, then succeeds. */
	private StepExecutor failTimes(int failures, RuntimeException failure) {
		return (ctx) -> {
			if (this.calls.incrementAndGet() <= failures) {
				throw failure;
			}
			return Map.of("ok", true);
		};
	}

	private WorkflowResult runSingleStep(Orchestrator orchestrator, StepExecutor executor, RetryPolicy policy) {
		orchestrator.register(workflow("single", step("work", executor).retryPolicy(policy)));
		return orchestrator.start("single", Map.of());
	}

	@Test
	void aStepIsRetriedUntilItSucceeds() {
		List<Integer> attempts = new CopyOnWriteArrayList<>();
		StepExecutor executor = (ctx) -> {
			attempts.add(ctx.attempt());
			if (ctx.attempt() < 3) {
				throw new IllegalStateException("flaky");
			}
			return Map.of("ok", true);
		};
		WorkflowResult result = runSingleStep(orchestrator(), executor, fastRetries(5));
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(attempts).containsExactly(1, 2, 3);
		assertThat(result.instance().step("work").orElseThrow().attempts()).isEqualTo(3);
		assertThat(result.instance().step("work").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(result.output()).containsEntry("ok", true);
	}

	@Test
	void maxAttemptsCountsTotalExecutions() {
		WorkflowResult result = runSingleStep(orchestrator(), failTimes(100, new IllegalStateException("down")),
				fastRetries(4));
		assertThat(this.calls.get()).isEqualTo(4);
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.error()).hasValue("step work failed after 4 attempts: down");
	}

	@Test
	void withoutAnyPolicyAStepRunsOnce() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("nopolicy", step("work", failTimes(100, new IllegalStateException("down")))));
		WorkflowResult result = orchestrator.start("nopolicy", Map.of());
		assertThat(this.calls.get()).isEqualTo(1);
		assertThat(result.error()).hasValue("step work failed after 1 attempt: down");
	}

	@Test
	void theOrchestratorsDefaultPolicyAppliesToStepsWithoutTheirOwn() {
		Orchestrator orchestrator = orchestrator((builder) -> builder.defaultRetryPolicy(fastRetries(3)));
		orchestrator.register(workflow("defaulted", step("work", failTimes(100, new IllegalStateException("down")))));
		WorkflowResult result = orchestrator.start("defaulted", Map.of());
		assertThat(this.calls.get()).isEqualTo(3);
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
	}

	@Test
	void aStepsOwnPolicyOverridesTheDefault() {
		Orchestrator orchestrator = orchestrator((builder) -> builder.defaultRetryPolicy(fastRetries(5)));
		WorkflowResult result = runSingleStep(orchestrator, failTimes(100, new IllegalStateException("down")),
				fastRetries(2));
		assertThat(this.calls.get()).isEqualTo(2);
		assertThat(result.error()).hasValue("step work failed after 2 attempts: down");
	}

	@Test
	void nonRetryableStepExceptionIsNeverRetried() {
		WorkflowResult result = runSingleStep(orchestrator(),
				failTimes(100, new NonRetryableStepException("invalid card")), fastRetries(5));
		assertThat(this.calls.get()).isEqualTo(1);
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.error()).hasValue("step work failed after 1 attempt: invalid card");
	}

	@Test
	void nonRetryableErrorTypesAreNotRetried() {
		RetryPolicy policy = fastRetries(5).toBuilder().nonRetryableErrors("validation").build();
		WorkflowResult result = runSingleStep(orchestrator(),
				failTimes(100, new StepException("validation", "bad input")), policy);
		assertThat(this.calls.get()).isEqualTo(1);
		assertThat(result.error()).hasValue("step work failed after 1 attempt: bad input");
	}

	@Test
	void onlyListedRetryableErrorTypesAreRetried() {
		RetryPolicy policy = RetryPolicy.builder()
			.maxAttempts(5)
			.initialInterval(Duration.ofMillis(10))
			.maxInterval(Duration.ofMillis(10))
			.retryableErrors("timeout", "connection_refused")
			.build();
		WorkflowResult retried = runSingleStep(orchestrator(),
				failTimes(2, new StepException("connection_refused", "refused")), policy);
		assertThat(retried.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(this.calls.get()).isEqualTo(3);

		this.calls.set(0);
		Orchestrator other = orchestrator();
		other.register(
				workflow("other", step("work", failTimes(2, new IllegalStateException("nope"))).retryPolicy(policy)));
		WorkflowResult notRetried = other.start("other", Map.of());
		assertThat(notRetried.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(this.calls.get()).isEqualTo(1);
	}

	@Test
	void anExceptionsTypeIsItsSimpleClassName() {
		RetryPolicy policy = fastRetries(5).toBuilder().nonRetryableErrors("IllegalArgumentException").build();
		WorkflowResult result = runSingleStep(orchestrator(), failTimes(100, new IllegalArgumentException("bad")),
				policy);
		assertThat(this.calls.get()).isEqualTo(1);
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
	}

	@Test
	void inputAndIdempotencyKeyAreTheSameOnEveryAttempt() {
		List<Map<String, Object>> inputs = new CopyOnWriteArrayList<>();
		List<String> keys = new CopyOnWriteArrayList<>();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("stable", step("a", (ctx) -> Map.of("fromA", "x")), step("b", (ctx) -> {
			inputs.add(new HashMap<>(ctx.input()));
			keys.add(ctx.idempotencyKey());
			if (ctx.attempt() < 3) {
				throw new IllegalStateException("again");
			}
			return Map.of();
		}).dependsOn("a").retryPolicy(fastRetries(3))));
		WorkflowResult result = orchestrator.start("stable", Map.of("order", "o-1"));
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(inputs).hasSize(3);
		assertThat(inputs).allSatisfy((input) -> assertThat(input).isEqualTo(inputs.get(0)));
		assertThat(inputs.get(0)).containsEntry("order", "o-1").containsEntry("fromA", "x");
		assertThat(keys).hasSize(3).containsOnly(keys.get(0));
		assertThat(keys.get(0)).isNotBlank();
	}

	@Test
	void idempotencyKeysDifferBetweenStepsAndInstances() {
		List<String> keys = new CopyOnWriteArrayList<>();
		StepExecutor collect = (ctx) -> {
			keys.add(ctx.idempotencyKey());
			return Map.of();
		};
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("keys", step("a", collect), step("b", collect)));
		orchestrator.start("keys", Map.of());
		orchestrator.start("keys", Map.of());
		assertThat(keys).hasSize(4).doesNotHaveDuplicates();
	}

	@Test
	void retriesEmitRetryingEventsAndNumberedAttempts() {
		Orchestrator orchestrator = orchestrator();
		WorkflowResult result = runSingleStep(orchestrator, failTimes(2, new IllegalStateException("flaky")),
				fastRetries(3));
		assertThat(result.success()).isTrue();
		await().atMost(WAIT).untilAsserted(() -> {
			List<WorkflowEvent> mine = this.events.stream()
				.filter((e) -> e.instanceId().equals(result.instanceId()))
				.toList();
			assertThat(mine).filteredOn((e) -> e.type() == WorkflowEventType.STEP_STARTED)
				.extracting(WorkflowEvent::attempt)
				.containsExactly(1, 2, 3);
			assertThat(mine).filteredOn((e) -> e.type() == WorkflowEventType.STEP_RETRYING).hasSize(2);
			assertThat(mine).filteredOn((e) -> e.type() == WorkflowEventType.STEP_COMPLETED).hasSize(1);
		});
	}

	@Test
	void aWorkflowWaitingForARetryIsWaiting() {
		CountDownLatch firstAttemptFailed = new CountDownLatch(1);
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("waits", step("work", (ctx) -> {
			if (ctx.attempt() == 1) {
				firstAttemptFailed.countDown();
				throw new IllegalStateException("later");
			}
			return Map.of("second", true);
		}).retryPolicy(RetryPolicy.builder()
			.maxAttempts(2)
			.initialInterval(Duration.ofMillis(700))
			.maxInterval(Duration.ofMillis(700))
			.build())));
		String id = orchestrator.startAsync("waits", Map.of());
		await().atMost(WAIT)
			.pollInterval(Duration.ofMillis(5))
			.untilAsserted(
					() -> assertThat(orchestrator.status(id).orElseThrow().status()).isEqualTo(WorkflowStatus.WAITING));
		WorkflowResult result = awaitResult(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.output()).containsEntry("second", true);
	}

	@Test
	void theRetryDelayIsHonoured() {
		List<Long> startTimes = new CopyOnWriteArrayList<>();
		Orchestrator orchestrator = orchestrator();
		WorkflowResult result = runSingleStep(orchestrator, (ctx) -> {
			startTimes.add(System.nanoTime());
			if (ctx.attempt() < 3) {
				throw new IllegalStateException("again");
			}
			return Map.of();
		}, RetryPolicy.builder()
			.maxAttempts(3)
			.initialInterval(Duration.ofMillis(100))
			.multiplier(2.0)
			.maxInterval(Duration.ofSeconds(1))
			.jitter(0)
			.build());
		assertThat(result.success()).isTrue();
		assertThat(startTimes).hasSize(3);
		// no earlier than the delay (100 ms, then 200 ms); jitter is 0
		assertThat(Duration.ofNanos(startTimes.get(1) - startTimes.get(0)))
			.isGreaterThanOrEqualTo(Duration.ofMillis(95));
		assertThat(Duration.ofNanos(startTimes.get(2) - startTimes.get(1)))
			.isGreaterThanOrEqualTo(Duration.ofMillis(195));
	}

	@Test
	void aTimedOutAttemptIsInterruptedAndFailsTheStep() {
		AtomicBoolean interrupted = new AtomicBoolean();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("slow", step("work", (ctx) -> {
			try {
				Thread.sleep(10_000);
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
				throw ex;
			}
			return Map.of();
		}).timeout(Duration.ofMillis(50))));
		long started = System.nanoTime();
		WorkflowResult result = orchestrator.start("slow", Map.of());
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.error())
			.hasValueSatisfying((error) -> assertThat(error).startsWith("step work failed after 1 attempt: "));
		assertThat(result.instance().step("work").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
		await().atMost(WAIT).untilTrue(interrupted);
	}

	@Test
	void aTimedOutAttemptHasTypeTimeoutAndIsRetriedWhenTimeoutIsRetryable() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("timeouts", step("work", (ctx) -> {
			this.calls.incrementAndGet();
			if (ctx.attempt() == 1) {
				Thread.sleep(10_000);
			}
			return Map.of("attempt", ctx.attempt());
		}).timeout(Duration.ofMillis(50))
			.retryPolicy(RetryPolicy.builder()
				.maxAttempts(2)
				.initialInterval(Duration.ofMillis(10))
				.retryableErrors("timeout")
				.build())));
		WorkflowResult result = orchestrator.start("timeouts", Map.of());
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.output()).containsEntry("attempt", 2);
	}

	@Test
	void aTimedOutAttemptIsNotRetriedWhenTimeoutIsNonRetryable() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("timeouts", step("work", (ctx) -> {
			this.calls.incrementAndGet();
			Thread.sleep(10_000);
			return Map.of();
		}).timeout(Duration.ofMillis(50))
			.retryPolicy(fastRetries(3).toBuilder().nonRetryableErrors("timeout").build())));
		WorkflowResult result = orchestrator.start("timeouts", Map.of());
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(this.calls.get()).isEqualTo(1);
	}

	@Test
	void theEngineNeverWaitsBeyondTheTimeoutEvenForAStepIgnoringInterrupts() {
		CountDownLatch release = new CountDownLatch(1);
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("stubborn", step("work", (ctx) -> {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
			while (System.nanoTime() < deadline) {
				try {
					if (release.await(10, TimeUnit.MILLISECONDS)) {
						break;
					}
				}
				catch (InterruptedException ex) {
					// ignore the interrupt on purpose
				}
			}
			return Map.of();
		}).timeout(Duration.ofMillis(50))));
		try {
			String id = orchestrator.startAsync("stubborn", Map.of());
			WorkflowResult result = orchestrator.awaitCompletion(id, Duration.ofSeconds(2))
				.orElseThrow(() -> new AssertionError("the engine waited for a step beyond its timeout"));
			assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		}
		finally {
			release.countDown();
		}
	}

	@Test
	void theDefaultStepTimeoutAppliesToStepsWithoutTheirOwn() {
		Orchestrator orchestrator = orchestrator((builder) -> builder.defaultStepTimeout(Duration.ofMillis(50)));
		orchestrator.register(workflow("deftimeout", step("work", (ctx) -> {
			Thread.sleep(10_000);
			return Map.of();
		})));
		String id = orchestrator.startAsync("deftimeout", Map.of());
		WorkflowResult result = awaitResult(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
	}

	@Test
	void aRetriedStepOfAnOptionalKindFailsAloneAfterItsLastAttempt() {
		Orchestrator orchestrator = orchestrator();
		orchestrator
			.register(workflow("optretry",
					step("optional", failTimes(100, new IllegalStateException("down"))).required(false)
						.retryPolicy(fastRetries(2)),
					step("next", (ctx) -> Map.of("next", true)).dependsOn("optional")));
		WorkflowResult result = orchestrator.start("optretry", Map.of());
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(this.calls.get()).isEqualTo(2);
		assertThat(result.instance().step("optional").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
		assertThat(result.instance().step("optional").orElseThrow().attempts()).isEqualTo(2);
		assertThat(result.output()).containsEntry("next", true);
	}

}
