package io.orchwf.test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.FailurePolicy;
import io.orchwf.NonRetryableStepException;
import io.orchwf.Orchestrator;
import io.orchwf.RetryPolicy;
import io.orchwf.Schedule;
import io.orchwf.StartOptions;
import io.orchwf.StepDefinition;
import io.orchwf.StepException;
import io.orchwf.StepResult;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.store.StateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The test environment on one store: day-long waits, hour-long backoffs and deferred
 * starts pass in milliseconds of real time and exactly on time by the test clock, the
 * clock stands still without time skipping, and stubs replace steps. Subclasses run the
 * same on the JDBC store.
 */
class TestEnvironmentTests {

	static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

	private final List<String> released = new CopyOnWriteArrayList<>();

	private final AtomicInteger charges = new AtomicInteger();

	private OrchwfTestEnvironment env;

	/**
	 * The store the environment runs on; {@code null} for its default.
	 * @return the store
	 */
	protected StateStore store() {
		return null;
	}

	private OrchwfTestEnvironment environment(boolean timeSkipping) {
		OrchwfTestEnvironment.Builder builder = OrchwfTestEnvironment.builder()
			.startingAt(T0)
			.timeSkipping(timeSkipping);
		StateStore store = store();
		if (store != null) {
			builder.store(store);
		}
		this.env = builder.build();
		return this.env;
	}

	@AfterEach
	void close() {
		if (this.env != null) {
			this.env.close();
		}
	}

	private WorkflowDefinition order() {
		return WorkflowDefinition.builder("order", "Order")
			.steps(StepDefinition.builder("reserve_stock", "Reserve stock", (context) -> Map.of("reserved", true))
				.compensateWith((context) -> this.released.add(context.instanceId()))
				.build(),
					StepDefinition.awaitSignal("approval", "approve-payment")
						.timeout(Duration.ofHours(24))
						.dependsOn("reserve_stock")
						.build(),
					StepDefinition.builder("charge", "Charge", (context) -> {
						this.charges.incrementAndGet();
						return Map.of("charged", context.stepOutput("approval").get("amount"));
					}).dependsOn("approval").build())
			.build();
	}

	@Test
	void anApprovalTimeoutOfADayPassesAtOnceAndCompensates() {
		Orchestrator orchestrator = environment(true).orchestrator();
		orchestrator.register(order());
		String id = orchestrator.startAsync("order", Map.of());

		WorkflowResult result = this.env.awaitCompletion(id);

		OrchwfAssertions.assertThat(result.instance())
			.hasStatus(WorkflowStatus.FAILED)
			.stepHasStatus("approval", StepStatus.FAILED)
			.stepHasStatus("reserve_stock", StepStatus.COMPENSATED)
			.stepHasStatus("charge", StepStatus.PENDING);
		assertThat(result.instance().step("approval").orElseThrow().completedAt())
			.hasValue(T0.plus(Duration.ofHours(24)));
		assertThat(this.released).containsExactly(id);
		assertThat(this.charges).hasValue(0);
		assertThat(this.env.clock().instant()).isEqualTo(T0.plus(Duration.ofHours(24)));
	}

	@Test
	void aNightlyScheduleFiresWhenTheTestClockPassesItsTick() throws InterruptedException {
		Orchestrator orchestrator = environment(false).orchestrator();
		orchestrator.register(WorkflowDefinition.builder("report", "Report")
			.step(StepDefinition
				.builder("write", "Write", (context) -> Map.of("day", context.metadata().get("scheduled_at")))
				.build())
			.build());
		orchestrator.schedule(Schedule.cron("nightly", "0 0 2 * * *").workflow("report").build());
		this.env.awaitIdle();
		assertThat(orchestrator.list(WorkflowFilter.builder().workflowId("report").build(), 10, 0).total()).isZero();

		this.env.clock().advance(Duration.ofDays(2));

		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (orchestrator.list(WorkflowFilter.builder().workflowId("report").build(), 10, 0).total() == 0
				&& System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		String id = orchestrator.list(WorkflowFilter.builder().workflowId("report").build(), 10, 0).items().get(0).id();
		WorkflowResult report = this.env.awaitCompletion(id);
		assertThat(report.output()).as("the latest missed tick, once").containsEntry("day", "2030-01-02T02:00:00Z");
		assertThat(orchestrator.schedules().get(0).nextFireAt()).isEqualTo(Instant.parse("2030-01-03T02:00:00Z"));
	}

	@Test
	void timeSkippingJumpsToTheNextTickOfASchedule() {
		Orchestrator orchestrator = environment(true).orchestrator();
		orchestrator.register(WorkflowDefinition.builder("report", "Report")
			.step(StepDefinition.builder("write", "Write", (context) -> Map.of()).build())
			.build());
		orchestrator.register(order());
		orchestrator.schedule(Schedule.every("hourly", Duration.ofHours(1)).workflow("report").build());
		String id = orchestrator.startAsync("order", Map.of());

		// the approval times out after a day: the clock jumps from tick to tick on the
		// way
		this.env.awaitCompletion(id);

		assertThat(orchestrator.list(WorkflowFilter.builder().workflowId("report").build(), 100, 0).total())
			.isGreaterThanOrEqualTo(23);
	}

	@Test
	void aSignalSentBeforeTheTestWaitsArrivesInTime() {
		Orchestrator orchestrator = environment(true).orchestrator();
		orchestrator.register(order());
		String id = orchestrator.startAsync("order", Map.of());
		this.env.awaitIdle();
		assertThat(orchestrator.status(id).orElseThrow().status()).isEqualTo(WorkflowStatus.WAITING);

		orchestrator.signal(id, "approve-payment", Map.of("amount", 42));
		WorkflowResult result = this.env.awaitCompletion(id);

		OrchwfAssertions.assertThat(result.instance())
			.hasStatus(WorkflowStatus.COMPLETED)
			.stepHasStatus("charge", StepStatus.COMPLETED)
			.hasOutputEntry("charged", 42);
		assertThat(this.released).isEmpty();
		assertThat(this.env.clock().instant()).isEqualTo(T0);
	}

	@Test
	void hourLongBackoffsPassAtOnce() {
		Orchestrator orchestrator = environment(true).orchestrator();
		AtomicInteger calls = new AtomicInteger();
		orchestrator.register(
				WorkflowDefinition.builder("flaky", "Flaky").step(StepDefinition.builder("call", "Call", (context) -> {
					if (calls.incrementAndGet() < 3) {
						throw new StepException("unavailable", "try later");
					}
					return Map.of("ok", true);
				})
					.retryPolicy(RetryPolicy.builder()
						.maxAttempts(3)
						.initialInterval(Duration.ofHours(1))
						.multiplier(2)
						.maxInterval(Duration.ofHours(8))
						.build())
					.build()).build());
		String id = orchestrator.startAsync("flaky", Map.of());

		WorkflowInstance instance = this.env.awaitCompletion(id).instance();

		OrchwfAssertions.assertThat(instance)
			.hasStatus(WorkflowStatus.COMPLETED)
			.stepHasAttempts("call", 3)
			.hasOutputEntry("ok", true);
		// one hour, then two
		assertThat(instance.completedAt()).hasValue(T0.plus(Duration.ofHours(3)));
	}

	@Test
	void aTwoDayTimerEndsExactlyTwoDaysLater() {
		Orchestrator orchestrator = environment(true).orchestrator();
		orchestrator.register(WorkflowDefinition.builder("nap", "Nap")
			.steps(StepDefinition.timer("sleep", Duration.ofDays(2)).build(),
					StepDefinition.builder("after", "After", (context) -> Map.of()).dependsOn("sleep").build())
			.build());
		String id = orchestrator.startAsync("nap", Map.of());

		WorkflowInstance instance = this.env.awaitCompletion(id).instance();

		OrchwfAssertions.assertThat(instance).hasStatus(WorkflowStatus.COMPLETED);
		assertThat(instance.step("sleep").orElseThrow().completedAt()).hasValue(T0.plus(Duration.ofDays(2)));
		assertThat(instance.completedAt()).hasValue(T0.plus(Duration.ofDays(2)));
	}

	@Test
	void aDeferredStartStartsOnTime() {
		Orchestrator orchestrator = environment(true).orchestrator();
		orchestrator.register(WorkflowDefinition.builder("later", "Later")
			.step(StepDefinition.builder("work", "Work", (context) -> Map.of()).build())
			.build());
		String id = orchestrator.startAsync("later", Map.of(),
				StartOptions.builder().startAt(T0.plus(Duration.ofDays(1))).build());

		WorkflowInstance instance = this.env.awaitCompletion(id).instance();

		OrchwfAssertions.assertThat(instance).hasStatus(WorkflowStatus.COMPLETED);
		assertThat(instance.createdAt()).isEqualTo(T0);
		assertThat(instance.startedAt()).isEqualTo(T0.plus(Duration.ofDays(1)));
	}

	@Test
	void withoutTimeSkippingTheClockStandsStillUntilAdvanced() {
		Orchestrator orchestrator = environment(false).orchestrator();
		orchestrator.register(WorkflowDefinition.builder("nap", "Nap")
			.steps(StepDefinition.timer("sleep", Duration.ofHours(1)).build(),
					StepDefinition.builder("after", "After", (context) -> Map.of()).dependsOn("sleep").build())
			.build());
		String id = orchestrator.startAsync("nap", Map.of());

		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> this.env.awaitCompletion(id, Duration.ofMillis(300)))
			.withMessageContaining("did not finish within")
			.withMessageContaining("sleep WAITING")
			.withMessageContaining("after PENDING")
			.withMessageContaining("the next stored wake-up is at " + T0.plus(Duration.ofHours(1)));
		assertThat(this.env.clock().instant()).isEqualTo(T0);

		this.env.clock().advance(Duration.ofHours(1));
		this.env.awaitIdle();

		OrchwfAssertions.assertThat(orchestrator.status(id).orElseThrow()).hasStatus(WorkflowStatus.COMPLETED);
	}

	@Test
	void aStubReplacesAStepAndKeepsItsCompensation() {
		Orchestrator orchestrator = environment(true).orchestrator();
		WorkflowDefinition order = order();
		orchestrator.register(order);
		this.env.stub("order", "charge", (context) -> {
			throw new NonRetryableStepException("card_declined", "the card was declined");
		});
		String id = orchestrator.startAsync("order", Map.of());
		orchestrator.signal(id, "approve-payment", Map.of("amount", 10));

		WorkflowInstance instance = this.env.awaitCompletion(id).instance();

		OrchwfAssertions.assertThat(instance)
			.hasStatus(WorkflowStatus.FAILED)
			.stepHasStatus("charge", StepStatus.FAILED)
			.stepHasAttempts("charge", 1)
			.stepHasStatus("reserve_stock", StepStatus.COMPENSATED);
		assertThat(instance.step("charge").orElseThrow().error())
			.hasValueSatisfying((error) -> assertThat(error).contains("the card was declined"));
		assertThat(this.charges).hasValue(0);
		assertThat(this.released).containsExactly(id);
		// the orchestrator shows the workflow as written, not as stubbed
		assertThat(orchestrator.workflows()).containsExactly(order);
	}

	@Test
	void stubbingWhatCannotBeStubbedSaysWhy() {
		Orchestrator orchestrator = environment(true).orchestrator();
		orchestrator.register(order());
		assertThatIllegalArgumentException().isThrownBy(() -> this.env.stub("unknown", "charge", (context) -> null))
			.withMessageContaining("No workflow 'unknown' is registered");
		assertThatIllegalArgumentException().isThrownBy(() -> this.env.stub("order", "refund", (context) -> null))
			.withMessage("Workflow 'order' has no step 'refund'");
		assertThatIllegalArgumentException().isThrownBy(() -> this.env.stub("order", "approval", (context) -> null))
			.withMessageContaining("runs no code to stub");
	}

	@Test
	void assertionsShowTheInstancesSteps() {
		Orchestrator orchestrator = environment(true).orchestrator();
		orchestrator.register(order());
		String id = orchestrator.startAsync("order", Map.of());
		WorkflowInstance failed = this.env.awaitCompletion(id).instance();

		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> OrchwfAssertions.assertThat(failed).hasStatus(WorkflowStatus.COMPLETED))
			.withMessageContaining("Expected status COMPLETED")
			.withMessageContaining("is FAILED")
			.withMessageContaining("reserve_stock COMPENSATED after 1 attempt")
			.withMessageContaining("approval FAILED");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> OrchwfAssertions.assertThat(failed).stepHasAttempts("reserve_stock", 2))
			.withMessageContaining("to have had 2 attempt(s), but it had 1");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> OrchwfAssertions.assertThat(failed).stepHasStatus("ship", StepStatus.COMPLETED))
			.withMessageContaining("Expected a step 'ship'");
	}

	@Test
	void aLeaseSetAloneIsValid() {
		OrchwfTestEnvironment.Builder builder = OrchwfTestEnvironment.builder()
			.startingAt(T0)
			.configure((orchestrator) -> orchestrator.leaseDuration(Duration.ofSeconds(3)));
		StateStore store = store();
		if (store != null) {
			builder.store(store);
		}
		this.env = builder.build();
		this.env.orchestrator().register(order());
		String id = this.env.orchestrator().startAsync("order", Map.of());
		OrchwfAssertions.assertThat(this.env.awaitCompletion(id).instance()).hasStatus(WorkflowStatus.FAILED);
	}

	@Test
	void aTimerUntilAnInstantFromTheInputEndsThen() {
		Orchestrator orchestrator = environment(true).orchestrator();
		orchestrator.register(WorkflowDefinition.builder("renewal", "Renewal")
			.steps(StepDefinition.timerUntil("until_due", (context) -> Instant.parse(context.get("due", String.class)))
				.build(),
					StepDefinition.builder("remind", "Remind", (context) -> Map.of()).dependsOn("until_due").build())
			.build());
		Instant due = T0.plus(Duration.ofDays(3)).plusSeconds(7);
		String id = orchestrator.startAsync("renewal", Map.of("due", due.toString()));

		WorkflowInstance instance = this.env.awaitCompletion(id).instance();

		OrchwfAssertions.assertThat(instance).hasStatus(WorkflowStatus.COMPLETED);
		assertThat(instance.step("until_due").orElseThrow().completedAt()).hasValue(due);
	}

	@Test
	void aJoinSeesWhichBranchFailedAndWhy() {
		Orchestrator orchestrator = environment(true).orchestrator();
		orchestrator.register(WorkflowDefinition.builder("quotes", "Quotes")
			.failurePolicy(FailurePolicy.COMPLETE_ALL)
			.steps(StepDefinition.builder("fast", "Fast", (context) -> Map.of("price", 10)).async(true).build(),
					StepDefinition.builder("slow", "Slow", (context) -> {
						throw new NonRetryableStepException("no_quote", "no quote today");
					}).async(true).required(false).build(), StepDefinition.builder("pick", "Pick", (context) -> {
						StepResult fast = context.stepResult("fast").orElseThrow();
						StepResult slow = context.stepResult("slow").orElseThrow();
						return Map.of("fast", fast.status().name(), "slow", slow.status().name(), "why",
								slow.errorType().orElse("none"));
					}).dependsOn("fast", "slow").build())
			.build());
		String id = orchestrator.startAsync("quotes", Map.of());

		OrchwfAssertions.assertThat(this.env.awaitCompletion(id).instance())
			.hasStatus(WorkflowStatus.COMPLETED)
			.hasOutputEntry("fast", "COMPLETED")
			.hasOutputEntry("slow", "FAILED")
			.hasOutputEntry("why", "no_quote");
	}

	@Test
	void aForEachStepMapsANestedList() {
		Orchestrator orchestrator = environment(true).orchestrator();
		orchestrator.register(WorkflowDefinition.builder("lines", "Lines")
			.step(StepDefinition
				.forEach("charge_lines", "Charge lines", "order.lines",
						(context) -> Map.of("sku", context.get("item", String.class)))
				.build())
			.build());
		String id = orchestrator.startAsync("lines", Map.of("order", Map.of("lines", List.of("a", "b"))));

		WorkflowInstance instance = this.env.awaitCompletion(id).instance();

		OrchwfAssertions.assertThat(instance).hasStatus(WorkflowStatus.COMPLETED);
		assertThat(instance.step("charge_lines").orElseThrow().output()).containsEntry("results",
				List.of(Map.of("sku", "a"), Map.of("sku", "b")));
	}

}
