package io.orchwf.acceptance;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.orchwf.Orchestrator;
import io.orchwf.StartOptions;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract, "Running": {@code StartOptions} with an idempotency key, a start time and
 * metadata.
 */
class IdempotencyAndStartAtAcceptanceTests extends AcceptanceSupport {

	private final AtomicInteger runs = new AtomicInteger();

	private final AtomicReference<Instant> ranAt = new AtomicReference<>();

	private Orchestrator orchestrator;

	@BeforeEach
	void setUp() {
		this.orchestrator = orchestrator();
		this.orchestrator.register(workflow("order", step("charge", (ctx) -> {
			this.runs.incrementAndGet();
			this.ranAt.set(Instant.now());
			return Map.of("charged", ctx.input().getOrDefault("amount", 0));
		})));
	}

	@Test
	void aSecondStartWithTheSameKeyReturnsTheExistingInstance() {
		StartOptions options = StartOptions.builder().idempotencyKey("order-123").build();
		WorkflowResult first = this.orchestrator.start("order", Map.of("amount", 10), options);
		WorkflowResult second = this.orchestrator.start("order", Map.of("amount", 10), options);
		assertThat(second.instanceId()).isEqualTo(first.instanceId());
		assertThat(second.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(second.output()).containsEntry("charged", 10);
		assertThat(this.runs.get()).isEqualTo(1);
		assertThat(this.orchestrator.list(WorkflowFilter.builder().workflowId("order").build(), 10, 0).total())
			.isEqualTo(1);
	}

	@Test
	void asyncStartsWithTheSameKeyShareOneInstance() {
		StartOptions options = StartOptions.builder().idempotencyKey("order-456").build();
		String first = this.orchestrator.startAsync("order", Map.of("amount", 5), options);
		String second = this.orchestrator.startAsync("order", Map.of("amount", 5), options);
		WorkflowResult third = this.orchestrator.start("order", Map.of("amount", 5), options);
		assertThat(second).isEqualTo(first);
		assertThat(third.instanceId()).isEqualTo(first);
		assertThat(awaitResult(this.orchestrator, first).success()).isTrue();
		assertThat(this.runs.get()).isEqualTo(1);
	}

	@Test
	void theExistingInstanceIsReturnedEvenWhenTheSecondInputDiffers() {
		StartOptions options = StartOptions.builder().idempotencyKey("order-789").build();
		WorkflowResult first = this.orchestrator.start("order", Map.of("amount", 1), options);
		WorkflowResult second = this.orchestrator.start("order", Map.of("amount", 2), options);
		assertThat(second.instanceId()).isEqualTo(first.instanceId());
		assertThat(second.output()).containsEntry("charged", 1);
		assertThat(this.runs.get()).isEqualTo(1);
	}

	@Test
	void differentKeysStartDifferentInstances() {
		WorkflowResult first = this.orchestrator.start("order", Map.of("amount", 1),
				StartOptions.builder().idempotencyKey("k-1").build());
		WorkflowResult second = this.orchestrator.start("order", Map.of("amount", 1),
				StartOptions.builder().idempotencyKey("k-2").build());
		WorkflowResult third = this.orchestrator.start("order", Map.of("amount", 1));
		WorkflowResult fourth = this.orchestrator.start("order", Map.of("amount", 1));
		assertThat(first.instanceId()).isNotEqualTo(second.instanceId());
		assertThat(third.instanceId()).isNotEqualTo(fourth.instanceId());
		assertThat(this.runs.get()).isEqualTo(4);
	}

	@Test
	void aFailedInstanceIsStillTheOneReturnedForItsKey() {
		Orchestrator orchestrator = this.orchestrator;
		orchestrator.register(workflow("fragile", step("a", (ctx) -> {
			this.runs.incrementAndGet();
			throw new IllegalStateException("x");
		})));
		StartOptions options = StartOptions.builder().idempotencyKey("fragile-1").build();
		WorkflowResult first = orchestrator.start("fragile", Map.of(), options);
		WorkflowResult second = orchestrator.start("fragile", Map.of(), options);
		assertThat(first.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(second.instanceId()).isEqualTo(first.instanceId());
		assertThat(second.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(this.runs.get()).isEqualTo(1);
	}

	@Test
	void anInstanceStartsNoEarlierThanItsStartAt() {
		Instant startAt = Instant.now().plusMillis(300);
		String id = this.orchestrator.startAsync("order", Map.of("amount", 3),
				StartOptions.builder().startAt(startAt).build());
		WorkflowInstance before = this.orchestrator.status(id).orElseThrow();
		assertThat(before.status()).isIn(WorkflowStatus.PENDING, WorkflowStatus.WAITING);
		assertThat(this.runs.get()).isZero();
		WorkflowResult result = this.orchestrator.awaitCompletion(id, Duration.ofSeconds(4))
			.orElseThrow(() -> new AssertionError("a scheduled instance never ran"));
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(this.ranAt.get()).isAfterOrEqualTo(startAt);
		assertThat(result.output()).containsEntry("charged", 3);
	}

	@Test
	void aStartAtInThePastRunsAtOnce() {
		String id = this.orchestrator.startAsync("order", Map.of("amount", 4),
				StartOptions.builder().startAt(Instant.now().minusSeconds(60)).build());
		assertThat(awaitResult(this.orchestrator, id).status()).isEqualTo(WorkflowStatus.COMPLETED);
	}

	@Test
	void startOptionsCarryMetadata() {
		AtomicReference<Map<String, Object>> seen = new AtomicReference<>();
		this.orchestrator.register(workflow("meta", step("a", (ctx) -> {
			seen.set(ctx.metadata());
			return Map.of();
		})));
		WorkflowResult result = this.orchestrator.start("meta", Map.of(),
				StartOptions.builder()
					.metadata(Map.of("tenant", "acme", "business_id", "b-42"))
					.idempotencyKey("meta-1")
					.build());
		assertThat(seen.get()).containsEntry("tenant", "acme");
		assertThat(result.instance().metadata()).containsEntry("tenant", "acme");
		assertThat(result.instance().businessId()).isEqualTo("b-42");
	}

	@Test
	void aBlockingStartWaitsForAScheduledInstanceToFinish() {
		Instant startAt = Instant.now().plusMillis(200);
		WorkflowResult result = this.orchestrator.start("order", Map.of("amount", 6),
				StartOptions.builder().startAt(startAt).build());
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(this.ranAt.get()).isAfterOrEqualTo(startAt);
		assertThat(result.output()).containsEntry("charged", 6);
	}

}
