package io.orchwf.scenario;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.NonRetryableStepException;
import io.orchwf.Orchestrator;
import io.orchwf.RetryPolicy;
import io.orchwf.StepException;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RetryAndTimeoutScenarioTests extends ScenarioSupport {

	private static RetryPolicy.Builder quickRetries(int attempts) {
		return RetryPolicy.builder().maxAttempts(attempts).initialInterval(Duration.ofMillis(20)).multiplier(2.0);
	}

	@Test
	void retriesUntilTheStepSucceedsWithTheSameInputAndGrowingDelays() {
		Orchestrator orchestrator = orchestrator();
		List<Instant> attempts = new CopyOnWriteArrayList<>();
		List<Map<String, Object>> inputs = new CopyOnWriteArrayList<>();
		orchestrator.register(workflow("flaky", step("call", (context) -> {
			attempts.add(Instant.now());
			inputs.add(context.input());
			assertThat(context.attempt()).isEqualTo(attempts.size());
			if (context.attempt() < 3) {
				throw new StepException("connection_refused", "try again");
			}
			return Map.of("attempt", context.attempt());
		}).retryPolicy(quickRetries(5).retryableErrors("connection_refused").build())));
		WorkflowResult result = orchestrator.start("flaky", Map.of("k", "v"));
		assertThat(result.success()).isTrue();
		assertThat(result.output()).containsEntry("attempt", 3);
		assertThat(result.instance().step("call").orElseThrow().attempts()).isEqualTo(3);
		assertThat(inputs).containsOnly(Map.of("k", "v"));
		assertThat(Duration.between(attempts.get(0), attempts.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(20));
		assertThat(Duration.between(attempts.get(1), attempts.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(40));
		List<WorkflowEvent> retrying = this.events.stream()
			.filter((event) -> event.type() == WorkflowEventType.STEP_RETRYING)
			.toList();
		assertThat(retrying).hasSize(2);
		assertThat(retrying.get(0).data()).containsEntry("errorType", "connection_refused")
			.containsEntry("delayMs", 20)
			.containsEntry("error", "try again");
		assertThat(retrying.get(1).data()).containsEntry("delayMs", 40);
	}

	@Test
	void errorTypesOutsideTheRetryableListFailAtOnce() {
		Orchestrator orchestrator = orchestrator();
		AtomicInteger calls = new AtomicInteger();
		orchestrator.register(workflow("typed", step("call", (context) -> {
			calls.incrementAndGet();
			throw new StepException("validation", "bad card number");
		}).retryPolicy(quickRetries(5).retryableErrors("timeout").build())));
		WorkflowResult result = orchestrator.start("typed", null);
		assertThat(result.error()).contains("step call failed after 1 attempt: bad card number");
		assertThat(calls).hasValue(1);
	}

	@Test
	void nonRetryableExceptionsAndListedTypesAreNeverRetried() {
		Orchestrator orchestrator = orchestrator();
		AtomicInteger permanent = new AtomicInteger();
		AtomicInteger listed = new AtomicInteger();
		orchestrator.register(workflow("permanent", step("call", (context) -> {
			permanent.incrementAndGet();
			throw new NonRetryableStepException("gone");
		}).retryPolicy(quickRetries(5).build())));
		orchestrator.register(workflow("listed", step("call", (context) -> {
			listed.incrementAndGet();
			throw new IllegalArgumentException("bad");
		}).retryPolicy(quickRetries(5).nonRetryableErrors("IllegalArgumentException").build())));
		assertThat(orchestrator.start("permanent", null).success()).isFalse();
		assertThat(orchestrator.start("listed", null).success()).isFalse();
		assertThat(permanent).hasValue(1);
		assertThat(listed).hasValue(1);
	}

	@Test
	void theOrchestratorsDefaultPolicyAppliesToStepsWithoutOne() {
		Orchestrator orchestrator = orchestrator((builder) -> builder.defaultRetryPolicy(quickRetries(2).build()));
		AtomicInteger calls = new AtomicInteger();
		orchestrator.register(workflow("defaulted", step("call", (context) -> {
			if (calls.incrementAndGet() == 1) {
				throw new IllegalStateException("once");
			}
			return Map.of();
		})));
		assertThat(orchestrator.start("defaulted", null).success()).isTrue();
		assertThat(calls).hasValue(2);
	}

	@Test
	void aWorkflowWaitingForItsRetryIsWaitingAndHoldsNoThread() throws InterruptedException {
		Orchestrator orchestrator = orchestrator();
		AtomicInteger calls = new AtomicInteger();
		CountDownLatch secondAttempt = new CountDownLatch(1);
		orchestrator.register(workflow("backoff", step("call", (context) -> {
			if (calls.incrementAndGet() == 1) {
				throw new IllegalStateException("later");
			}
			secondAttempt.countDown();
			return Map.of();
		}).async(true)
			.retryPolicy(RetryPolicy.builder().maxAttempts(2).initialInterval(Duration.ofMillis(800)).build())));
		String id = orchestrator.startAsync("backoff", null);
		await().atMost(WAIT).untilAsserted(() -> {
			var instance = orchestrator.status(id).orElseThrow();
			assertThat(instance.status()).isEqualTo(WorkflowStatus.WAITING);
			assertThat(instance.step("call").orElseThrow().status()).isEqualTo(StepStatus.WAITING);
		});
		assertThat(((io.orchwf.internal.engine.WorkflowEngine) orchestrator).activeInstances()).isZero();
		assertThat(((io.orchwf.internal.engine.WorkflowEngine) orchestrator).busyWorkers()).isZero();
		assertThat(secondAttempt.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(orchestrator.awaitCompletion(id, WAIT).orElseThrow().success()).isTrue();
	}

	@Test
	void aTimedOutAttemptIsInterruptedAndFailsWithTypeTimeout() {
		Orchestrator orchestrator = orchestrator();
		AtomicInteger interrupted = new AtomicInteger();
		orchestrator.register(workflow("slow", step("call", (context) -> {
			try {
				Thread.sleep(10_000);
			}
			catch (InterruptedException ex) {
				interrupted.incrementAndGet();
				throw ex;
			}
			return Map.of();
		}).timeout(Duration.ofMillis(100))));
		WorkflowResult result = orchestrator.start("slow", null);
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.error()).hasValueSatisfying((error) -> assertThat(error).contains("timed out after 100 ms"));
		assertThat(this.events).anySatisfy((event) -> {
			assertThat(event.type()).isEqualTo(WorkflowEventType.STEP_FAILED);
			assertThat(event.data()).containsEntry("errorType", "timeout");
		});
		await().atMost(WAIT).untilAtomic(interrupted, org.hamcrest.Matchers.equalTo(1));
	}

	@Test
	void aStepThatSwallowsInterruptsIsAbandonedAndItsLateResultIgnored() throws InterruptedException {
		Orchestrator orchestrator = orchestrator();
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch lateReturn = new CountDownLatch(1);
		AtomicInteger calls = new AtomicInteger();
		orchestrator.register(workflow("stubborn", step("call", (context) -> {
			if (calls.incrementAndGet() == 1) {
				boolean released = false;
				while (!released) {
					try {
						released = release.await(1, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						// swallowed on purpose: this step ignores interrupts
					}
				}
				lateReturn.countDown();
				return Map.of("late", true);
			}
			return Map.of("retried", true);
		}).timeout(Duration.ofMillis(100))
			.retryPolicy(quickRetries(2).retryableErrors("timeout").build())
			.async(true)));
		WorkflowResult result;
		try {
			result = orchestrator.start("stubborn", null);
		}
		finally {
			release.countDown();
		}
		assertThat(result.success()).isTrue();
		assertThat(result.output()).containsEntry("retried", true).doesNotContainKey("late");
		assertThat(lateReturn.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(orchestrator.status(result.instanceId()).orElseThrow().output()).doesNotContainKey("late");
	}

}
