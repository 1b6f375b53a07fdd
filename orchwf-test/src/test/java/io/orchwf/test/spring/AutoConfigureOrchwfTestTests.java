package io.orchwf.test.spring;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.orchwf.NonRetryableStepException;
import io.orchwf.Orchestrator;
import io.orchwf.StepContext;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowStatus;
import io.orchwf.spring.WorkflowStep;
import io.orchwf.spring.WorkflowWait;
import io.orchwf.store.StateStore;
import io.orchwf.store.memory.InMemoryStateStore;
import io.orchwf.test.OrchwfAssertions;
import io.orchwf.test.OrchwfTestEnvironment;
import io.orchwf.test.TestClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application's own annotated workflow under {@code @AutoConfigureOrchwfTest}: its
 * orchestrator runs on the test clock, the environment bean wraps it, a day-long approval
 * timeout passes at once with its compensation, and a stub replaces a step.
 */
@SpringBootTest(classes = AutoConfigureOrchwfTestTests.ShopApplication.class)
@AutoConfigureOrchwfTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoConfigureOrchwfTestTests {

	@Autowired
	private OrchwfTestEnvironment env;

	@Autowired
	private Orchestrator orchestrator;

	@Autowired
	private TestClock clock;

	@Autowired
	private StateStore store;

	@Autowired
	private ShopSteps steps;

	private Instant start;

	@BeforeEach
	void remember() {
		this.start = this.clock.instant();
		this.steps.released.clear();
	}

	@Test
	void theEnvironmentIsOverTheApplicationsOrchestratorAndClock() {
		assertThat(this.env.orchestrator()).isSameAs(this.orchestrator);
		assertThat(this.env.clock()).isSameAs(this.clock);
		assertThat(this.store).isInstanceOf(InMemoryStateStore.class);
		assertThat(this.orchestrator.workflows()).extracting((definition) -> definition.id()).contains("shop");
	}

	@Test
	void aDayLongApprovalTimeoutPassesAtOnceAndReleasesTheStock() {
		String id = this.orchestrator.startAsync("shop", Map.of("sku", "apple"));

		WorkflowInstance instance = this.env.awaitCompletion(id).instance();

		OrchwfAssertions.assertThat(instance)
			.hasStatus(WorkflowStatus.FAILED)
			.stepHasStatus("await_approval", StepStatus.FAILED)
			.stepHasStatus("reserve", StepStatus.COMPENSATED);
		assertThat(this.steps.released).containsExactly("apple");
		assertThat(this.clock.instant()).isEqualTo(this.start.plus(Duration.ofHours(24)));
	}

	@Test
	@Order(1)
	void anApprovedOrderIsChargedUnlessAStubDeclinesIt() {
		String approved = this.orchestrator.startAsync("shop", Map.of("sku", "pear"));
		this.orchestrator.signal(approved, "approve-payment", Map.of());
		OrchwfAssertions.assertThat(this.env.awaitCompletion(approved).instance())
			.hasStatus(WorkflowStatus.COMPLETED)
			.hasOutputEntry("charged", "pear");

		this.env.stub("shop", "charge", (context) -> {
			throw new NonRetryableStepException("card_declined", "declined");
		});
		String declined = this.orchestrator.startAsync("shop", Map.of("sku", "plum"));
		this.orchestrator.signal(declined, "approve-payment", Map.of());
		OrchwfAssertions.assertThat(this.env.awaitCompletion(declined).instance())
			.hasStatus(WorkflowStatus.FAILED)
			.stepHasStatus("charge", StepStatus.FAILED)
			.stepHasStatus("reserve", StepStatus.COMPENSATED);
		assertThat(this.steps.released).containsExactly("plum");
	}

	@Test
	@Order(2)
	void aStubEndsWithTheTestThatSetIt() {
		String id = this.orchestrator.startAsync("shop", Map.of("sku", "fig"));
		this.orchestrator.signal(id, "approve-payment", Map.of());
		OrchwfAssertions.assertThat(this.env.awaitCompletion(id).instance())
			.hasStatus(WorkflowStatus.COMPLETED)
			.hasOutputEntry("charged", "fig");
	}

	@SpringBootApplication
	static class ShopApplication {

		@Bean
		ShopSteps shopSteps() {
			return new ShopSteps();
		}

	}

	@WorkflowWait(workflow = "shop", id = "await_approval", dependsOn = "reserve", signal = "approve-payment",
			timeout = "24h")
	static class ShopSteps {

		final List<String> released = new CopyOnWriteArrayList<>();

		@WorkflowStep(workflow = "shop", id = "reserve", compensation = "release")
		Map<String, Object> reserve(StepContext context) {
			return Map.of("reserved", context.get("sku", String.class));
		}

		void release(StepContext context) {
			this.released.add(context.get("sku", String.class));
		}

		@WorkflowStep(workflow = "shop", id = "charge", dependsOn = "await_approval")
		Map<String, Object> charge(StepContext context) {
			return Map.of("charged", context.get("sku", String.class));
		}

	}

}
