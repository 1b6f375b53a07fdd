package io.orchwf.sample;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.orchwf.StepDefinition;
import io.orchwf.StepInstance;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowStatus;
import io.orchwf.sample.order.Order;
import io.orchwf.sample.order.OrderLine;
import io.orchwf.sample.order.Orders;
import io.orchwf.sample.shop.NotificationService;
import io.orchwf.sample.shop.simulated.SimulatedNotifications;
import io.orchwf.sample.shop.simulated.SimulatedNotifications.Mail;
import io.orchwf.sample.workflow.OrderWorkflow;
import io.orchwf.test.OrchwfAssertions;
import io.orchwf.test.OrchwfTestEnvironment;
import io.orchwf.test.spring.AutoConfigureOrchwfTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A second version of the order workflow, registered while an order of the first version
 * waits for its approval: new orders start on the second version, and the waiting one,
 * once approved, finishes on the first, with the first version's steps and code. The
 * second version ships with other tracking numbers and asks the customer for a review.
 *
 * <p>
 * A class of its own, whose application context is closed after it, so that no other test
 * places orders on the second version.
 */
@SpringBootTest(classes = SampleApplication.class, properties = "orchwf.store=jdbc")
@AutoConfigureOrchwfTest
@DirtiesContext
class OrderWorkflowVersioningTests {

	private static final String SECOND_VERSION = "2.0.0";

	private static final String ASK_FOR_REVIEW = "ask_for_review";

	@TempDir
	static Path dataDirectory;

	@Autowired
	private OrchwfTestEnvironment env;

	@Autowired
	private Orders orders;

	@Autowired
	private NotificationService notificationService;

	@Autowired
	private SimulatedNotifications notifications;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + dataDirectory.resolve("db").toAbsolutePath());
	}

	@Test
	void anOrderWaitingOnTheFirstVersionFinishesOnItWhenASecondIsRegistered() {
		WorkflowDefinition first = onlyVersion();
		assertThat(first.version()).isEqualTo(WorkflowDefinition.DEFAULT_VERSION);
		Order before = place();
		this.env.awaitIdle();
		assertThat(status(before).workflowVersion()).isEqualTo(first.version());
		OrchwfAssertions.assertThat(status(before)).stepHasStatus(OrderWorkflow.AWAIT_APPROVAL, StepStatus.WAITING);

		this.env.orchestrator().register(secondVersion(first));
		Order after = place();
		this.env.awaitIdle();
		assertThat(status(after).workflowVersion()).as("a new order starts on the highest version")
			.isEqualTo(SECOND_VERSION);
		OrchwfAssertions.assertThat(status(after)).stepHasStatus(OrderWorkflow.AWAIT_APPROVAL, StepStatus.WAITING);
		OrchwfAssertions.assertThat(status(before)).stepHasStatus(OrderWorkflow.AWAIT_APPROVAL, StepStatus.WAITING);

		this.orders.approve(before.id(), "ann");
		WorkflowInstance firstDone = this.env.awaitCompletion(before.workflowInstanceId()).instance();
		OrchwfAssertions.assertThat(firstDone)
			.hasStatus(WorkflowStatus.COMPLETED)
			.stepHasStatus(OrderWorkflow.CREATE_SHIPMENT, StepStatus.COMPLETED);
		assertThat(firstDone.workflowVersion()).isEqualTo(first.version());
		assertThat(firstDone.steps()).extracting(StepInstance::stepId)
			.as("the first version's steps, and only those")
			.containsExactlyElementsOf(first.steps().stream().map(StepDefinition::id).toList());
		assertThat(trackingNumber(firstDone)).as("the first version's shipment").startsWith("TRK-");
		assertThat(mailsAbout(before)).extracting(Mail::body)
			.as("a confirmation, no request for a review")
			.singleElement()
			.satisfies((body) -> assertThat(body).startsWith("Paid 25.00; tracking number TRK-"));

		this.orders.approve(after.id(), "ann");
		WorkflowInstance secondDone = this.env.awaitCompletion(after.workflowInstanceId()).instance();
		OrchwfAssertions.assertThat(secondDone)
			.hasStatus(WorkflowStatus.COMPLETED)
			.stepHasStatus(OrderWorkflow.CREATE_SHIPMENT, StepStatus.COMPLETED)
			.stepHasStatus(ASK_FOR_REVIEW, StepStatus.COMPLETED);
		assertThat(secondDone.workflowVersion()).isEqualTo(SECOND_VERSION);
		assertThat(trackingNumber(secondDone)).as("the second version's shipment").startsWith("SHP-");
		assertThat(mailsAbout(after)).extracting(Mail::body)
			.anySatisfy((body) -> assertThat(body).startsWith("Paid 25.00; tracking number SHP-"))
			.anySatisfy((body) -> assertThat(body).startsWith("How was your order?"))
			.hasSize(2);
	}

	private WorkflowDefinition onlyVersion() {
		List<WorkflowDefinition> versions = this.env.orchestrator()
			.workflows()
			.stream()
			.filter((definition) -> definition.id().equals(OrderWorkflow.ID))
			.toList();
		assertThat(versions).as("the versions of %s", OrderWorkflow.ID).hasSize(1);
		return versions.get(0);
	}

	/**
	 * The first version with a changed step (the shipment's tracking numbers) and a new
	 * one (a request for a review, once the order is recorded).
	 */
	private WorkflowDefinition secondVersion(WorkflowDefinition first) {
		StepDefinition shipment = first.step(OrderWorkflow.CREATE_SHIPMENT)
			.orElseThrow()
			.withExecutor((context) -> Map.of("tracking_number",
					"SHP-" + context.get("order_id", String.class).substring(0, 8).toUpperCase()));
		StepDefinition review = StepDefinition.builder(ASK_FOR_REVIEW, "Ask for a review", (context) -> {
			String orderId = context.get("order_id", String.class);
			this.notificationService.send(context.get("email", String.class), "Your order " + orderId,
					"How was your order? Tell us and other customers.");
			return Map.of("review_asked", true);
		}).dependsOn(OrderWorkflow.UPDATE_ORDER_STATUS).required(false).build();
		WorkflowDefinition.Builder second = WorkflowDefinition.builder(first.id(), first.name())
			.description(first.description())
			.version(SECOND_VERSION)
			.failurePolicy(first.failurePolicy());
		first.metadata().forEach(second::metadata);
		first.steps().forEach((step) -> second.step(step.id().equals(OrderWorkflow.CREATE_SHIPMENT) ? shipment : step));
		return second.step(review).build();
	}

	private Order place() {
		return this.orders.place("c-1", "ann@example.com", "card_ok",
				List.of(new OrderLine("book-1", 2, new BigDecimal("12.50"))));
	}

	private WorkflowInstance status(Order order) {
		return this.env.orchestrator().status(order.workflowInstanceId()).orElseThrow();
	}

	private static String trackingNumber(WorkflowInstance instance) {
		Object trackingNumber = instance.step(OrderWorkflow.CREATE_SHIPMENT)
			.orElseThrow()
			.output()
			.get("tracking_number");
		assertThat(trackingNumber).as("the tracking number of %s", instance).isInstanceOf(String.class);
		return (String) trackingNumber;
	}

	private List<Mail> mailsAbout(Order order) {
		return this.notifications.sent()
			.stream()
			.filter((mail) -> mail.subject().equals("Your order " + order.id()))
			.toList();
	}

}
