package io.orchwf.acceptance;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.orchwf.Orchestrator;
import io.orchwf.Page;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract, "Running": {@code status}, {@code list} with {@code WorkflowFilter} and
 * {@code Page} (newest first), the instance view and its metadata columns.
 */
class ListingAndStatusAcceptanceTests extends AcceptanceSupport {

	private Orchestrator orchestrator;

	@BeforeEach
	void setUp() {
		this.orchestrator = orchestrator();
		io.orchwf.StepExecutor work = (ctx) -> {
			// a little work, so that creation times differ
			sleep(3);
			if (Boolean.TRUE.equals(ctx.input().get("fail"))) {
				throw new IllegalStateException("asked to fail");
			}
			return Map.of("done", true);
		};
		this.orchestrator.register(workflow("alpha", step("work", work)));
		this.orchestrator.register(workflow("beta", step("work", work)));
	}

	private String run(String workflowId, String businessId, boolean fail) {
		Map<String, Object> metadata = new HashMap<>();
		if (businessId != null) {
			metadata.put("business_id", businessId);
		}
		WorkflowResult result = this.orchestrator.start(workflowId, Map.of("fail", fail), metadata);
		assertThat(result.success()).isEqualTo(!fail);
		return result.instanceId();
	}

	private List<String> ids(Page<WorkflowInstance> page) {
		return page.items().stream().map(WorkflowInstance::id).toList();
	}

	@Test
	void listFiltersAndPagesNewestFirst() {
		String a1 = run("alpha", "b-1", false);
		String a2 = run("alpha", "b-2", true);
		String a3 = run("alpha", "b-1", false);
		String b1 = run("beta", "b-1", false);
		String a4 = run("alpha", null, true);
		String a5 = run("alpha", "b-3", false);

		Page<WorkflowInstance> all = this.orchestrator.list(WorkflowFilter.builder().build(), 50, 0);
		assertThat(all.total()).isEqualTo(6);
		assertThat(ids(all)).containsExactly(a5, a4, b1, a3, a2, a1);

		Page<WorkflowInstance> alpha = this.orchestrator.list(WorkflowFilter.builder().workflowId("alpha").build(), 50,
				0);
		assertThat(alpha.total()).isEqualTo(5);
		assertThat(ids(alpha)).containsExactly(a5, a4, a3, a2, a1);

		Page<WorkflowInstance> failed = this.orchestrator
			.list(WorkflowFilter.builder().status(WorkflowStatus.FAILED).build(), 50, 0);
		assertThat(ids(failed)).containsExactly(a4, a2);
		assertThat(failed.items()).allSatisfy((i) -> assertThat(i.status()).isEqualTo(WorkflowStatus.FAILED));

		Page<WorkflowInstance> either = this.orchestrator
			.list(WorkflowFilter.builder().status(WorkflowStatus.FAILED, WorkflowStatus.COMPLETED).build(), 50, 0);
		assertThat(either.total()).isEqualTo(6);

		Page<WorkflowInstance> business = this.orchestrator.list(WorkflowFilter.builder().businessId("b-1").build(), 50,
				0);
		assertThat(ids(business)).containsExactly(b1, a3, a1);

		Page<WorkflowInstance> combined = this.orchestrator.list(
				WorkflowFilter.builder().workflowId("alpha").status(WorkflowStatus.COMPLETED).businessId("b-1").build(),
				50, 0);
		assertThat(ids(combined)).containsExactly(a3, a1);
		assertThat(combined.total()).isEqualTo(2);

		Page<WorkflowInstance> none = this.orchestrator
			.list(WorkflowFilter.builder().workflowId("alpha").businessId("b-404").build(), 50, 0);
		assertThat(none.items()).isEmpty();
		assertThat(none.total()).isZero();
	}

	@Test
	void pagesReportTotalLimitAndOffset() {
		String a1 = run("alpha", null, false);
		String a2 = run("alpha", null, false);
		String a3 = run("alpha", null, false);
		String a4 = run("alpha", null, false);
		String a5 = run("alpha", null, false);
		WorkflowFilter filter = WorkflowFilter.builder().workflowId("alpha").build();

		Page<WorkflowInstance> first = this.orchestrator.list(filter, 2, 0);
		assertThat(ids(first)).containsExactly(a5, a4);
		assertThat(first.total()).isEqualTo(5);
		assertThat(first.limit()).isEqualTo(2);
		assertThat(first.offset()).isZero();

		Page<WorkflowInstance> second = this.orchestrator.list(filter, 2, 2);
		assertThat(ids(second)).containsExactly(a3, a2);
		assertThat(second.offset()).isEqualTo(2);

		Page<WorkflowInstance> last = this.orchestrator.list(filter, 2, 4);
		assertThat(ids(last)).containsExactly(a1);
		assertThat(last.total()).isEqualTo(5);

		Page<WorkflowInstance> beyond = this.orchestrator.list(filter, 2, 10);
		assertThat(beyond.items()).isEmpty();
		assertThat(beyond.total()).isEqualTo(5);
	}

	@Test
	void listedInstancesCarryTheirSteps() {
		String id = run("alpha", "b-9", false);
		WorkflowInstance listed = this.orchestrator.list(WorkflowFilter.builder().businessId("b-9").build(), 10, 0)
			.items()
			.get(0);
		assertThat(listed.id()).isEqualTo(id);
		assertThat(listed.workflowId()).isEqualTo("alpha");
		assertThat(listed.steps()).singleElement().satisfies((s) -> {
			assertThat(s.stepId()).isEqualTo("work");
			assertThat(s.status()).isEqualTo(StepStatus.COMPLETED);
		});
	}

	@Test
	void metadataKeysBecomeTheInstancesColumns() {
		WorkflowResult result = this.orchestrator.start("alpha", Map.of(), Map.of("trace_id", "trace_123",
				"correlation_id", "corr_9", "business_id", "business_456", "team", "shop"));
		WorkflowInstance instance = this.orchestrator.status(result.instanceId()).orElseThrow();
		assertThat(instance.traceId()).isEqualTo("trace_123");
		assertThat(instance.correlationId()).isEqualTo("corr_9");
		assertThat(instance.businessId()).isEqualTo("business_456");
		assertThat(instance.metadata()).containsEntry("team", "shop");
	}

	@Test
	void traceAndCorrelationIdsAreGeneratedWhenAbsent() {
		WorkflowResult first = this.orchestrator.start("alpha", Map.of());
		WorkflowResult second = this.orchestrator.start("alpha", Map.of());
		assertThat(first.instance().traceId()).isNotBlank();
		assertThat(first.instance().correlationId()).isNotBlank();
		assertThat(first.instance().traceId()).isNotEqualTo(second.instance().traceId());
		assertThat(first.instance().businessId()).isNull();
	}

	@Test
	void theInstanceViewDescribesAFinishedRun() {
		WorkflowResult result = this.orchestrator.start("alpha", Map.of("order", "o-1"));
		WorkflowInstance instance = this.orchestrator.status(result.instanceId()).orElseThrow();
		assertThat(instance.id()).isEqualTo(result.instanceId());
		assertThat(instance.workflowId()).isEqualTo("alpha");
		assertThat(instance.workflowVersion()).isNotBlank();
		assertThat(instance.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(instance.input()).containsEntry("order", "o-1");
		assertThat(instance.output()).containsEntry("done", true);
		assertThat(instance.error()).isEmpty();
		assertThat(instance.createdAt()).isNotNull();
		assertThat(instance.completedAt())
			.hasValueSatisfying((completed) -> assertThat(completed).isAfterOrEqualTo(instance.createdAt()));
		assertThat(instance.steps()).singleElement().satisfies((s) -> {
			assertThat(s.output()).containsEntry("done", true);
			assertThat(s.startedAt()).isPresent();
			assertThat(s.completedAt()).isPresent();
			assertThat(s.completedAt().get()).isAfterOrEqualTo(s.startedAt().get());
			assertThat(s.error()).isEmpty();
		});
		assertThat(result.duration().isNegative()).isFalse();
	}

	@Test
	void aRunningInstanceIsReportedRunning() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		this.orchestrator.register(workflow("blocking", step("hold", (ctx) -> {
			started.countDown();
			release.await(3, TimeUnit.SECONDS);
			return Map.of();
		}), step("next").dependsOn("hold")));
		String id = this.orchestrator.startAsync("blocking", Map.of());
		try {
			assertThat(started.await(3, TimeUnit.SECONDS)).isTrue();
			WorkflowInstance running = this.orchestrator.status(id).orElseThrow();
			assertThat(running.status()).isEqualTo(WorkflowStatus.RUNNING);
			assertThat(running.step("hold").orElseThrow().status()).isEqualTo(StepStatus.RUNNING);
			assertThat(running.step("next").orElseThrow().status()).isEqualTo(StepStatus.PENDING);
			assertThat(running.completedAt()).isEmpty();
			assertThat(this.orchestrator.awaitCompletion(id, Duration.ofMillis(50))).isEmpty();
		}
		finally {
			release.countDown();
		}
		assertThat(awaitResult(this.orchestrator, id).status()).isEqualTo(WorkflowStatus.COMPLETED);
	}

}
