package io.orchwf.sample;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import io.orchwf.NonRetryableStepException;
import io.orchwf.StepExecutor;
import io.orchwf.StepInstance;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowStatus;
import io.orchwf.sample.SampleAppClient.PlacedOrder;
import io.orchwf.sample.order.Order;
import io.orchwf.sample.order.OrderLine;
import io.orchwf.sample.order.OrderStatus;
import io.orchwf.sample.order.Orders;
import io.orchwf.sample.shop.GatewayUnavailableException;
import io.orchwf.sample.shop.ShopProperties;
import io.orchwf.sample.shop.simulated.SimulatedInventory;
import io.orchwf.sample.shop.simulated.SimulatedNotifications;
import io.orchwf.sample.shop.simulated.SimulatedNotifications.Mail;
import io.orchwf.sample.shop.simulated.SimulatedPaymentGateway;
import io.orchwf.sample.shop.simulated.SimulatedPaymentGateway.Payment;
import io.orchwf.sample.workflow.OrderWorkflow;
import io.orchwf.test.OrchwfAssertions;
import io.orchwf.test.OrchwfTestEnvironment;
import io.orchwf.test.spring.AutoConfigureOrchwfTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.orchwf.sample.SampleAppClient.STEPS_BEFORE_APPROVAL;
import static io.orchwf.sample.SampleAppClient.STEP_IDS;
import static io.orchwf.sample.SampleAppClient.stepStatus;
import static io.orchwf.sample.SampleAppClient.stepStatuses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The testing list of the seeds' order workflow lesson, on the sample app with its own
 * settings (the 24-hour {@code shop.approval-timeout} included) under the test kit: an
 * approval signal gets the order charged and completed; an approval that never comes
 * fails the order after 24 hours of the test clock, releases the stock and tells the
 * customer; a declined payment, and a gateway that stays down through every retry,
 * release the stock; a failure after the charge refunds it and releases the stock; the
 * order's status and its workflow's steps, as the API shows them, after each stage; an
 * item added by signal while the order waits is charged. Each runs in a fraction of a
 * second of real time: the kit's clock skips the waits, and stubs inject the failures.
 *
 * <p>
 * The workflows live in the app's own H2 database ({@code orchwf.store=jdbc}, a file of
 * this class's), as they do in the app. The kit's in-memory store would not join the
 * transactions in which the app saves an order and starts its workflow, or saves an
 * approval and sends its signal: a workflow would run before its order is committed, and
 * one that fails at once would leave its order PLACED in the database;
 * {@link #anOrderWhoseWorkflowFailsAtOnceIsSavedFailed()} checks that here it is FAILED.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "orchwf.store=jdbc")
@AutoConfigureOrchwfTest
@DirtiesContext
class OrderWorkflowTests {

	@TempDir
	static Path dataDirectory;

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private OrchwfTestEnvironment env;

	@Autowired
	private Orders orders;

	@Autowired
	private ShopProperties shop;

	@Autowired
	private SimulatedInventory inventory;

	@Autowired
	private SimulatedPaymentGateway gateway;

	@Autowired
	private SimulatedNotifications notifications;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + dataDirectory.resolve("db").toAbsolutePath());
	}

	@Test
	void anApprovedOrderIsChargedAndCompleted() {
		Order order = place("card_ok", new OrderLine("book-1", 2, new BigDecimal("12.50")));
		WorkflowInstance waiting = awaitWaitingForApproval(order);
		OrchwfAssertions.assertThat(waiting).stepHasStatus(OrderWorkflow.PROCESS_PAYMENT, StepStatus.PENDING);

		this.orders.approve(order.id(), "ann");
		WorkflowInstance completed = this.env.awaitCompletion(order.workflowInstanceId()).instance();

		OrchwfAssertions.assertThat(completed)
			.hasStatus(WorkflowStatus.COMPLETED)
			.stepHasStatus(OrderWorkflow.AWAIT_APPROVAL, StepStatus.COMPLETED)
			.stepHasStatus(OrderWorkflow.PROCESS_PAYMENT, StepStatus.COMPLETED)
			.stepHasAttempts(OrderWorkflow.PROCESS_PAYMENT, 1)
			.stepHasStatus(OrderWorkflow.CREATE_SHIPMENT, StepStatus.COMPLETED)
			.stepHasStatus(OrderWorkflow.UPDATE_ORDER_STATUS, StepStatus.COMPLETED)
			.stepHasStatus(OrderWorkflow.SEND_CONFIRMATION, StepStatus.COMPLETED)
			.hasOutputEntry("charged", "25.00");
		Payment payment = paymentOf(completed);
		assertThat(payment.amount()).isEqualByComparingTo("25.00");
		assertThat(payment.paymentMethod()).isEqualTo("card_ok");
		assertThat(payment.refunded()).as("a completed order keeps its payment").isFalse();
		assertThat(this.inventory.isReserved(reservationOf(completed))).as("a completed order keeps its stock")
			.isTrue();
		assertThat(savedStatus(order)).isEqualTo(OrderStatus.COMPLETED);
		assertThat(this.orders.find(order.id()).order().approvedBy()).isEqualTo("ann");
		assertThat(mailsAbout(order)).singleElement()
			.satisfies((mail) -> assertThat(mail.body()).startsWith("Paid 25.00; tracking number TRK-"));
	}

	@Test
	void anOrderNobodyApprovesFailsAfterTheRealDayLongTimeoutReleasesTheStockAndTellsTheCustomer() {
		assertThat(this.shop.approvalTimeout()).as("the app's own approval timeout").isEqualTo(Duration.ofHours(24));
		Order order = place("card_ok", new OrderLine("book-1", 2, new BigDecimal("12.50")));
		WorkflowInstance waiting = awaitWaitingForApproval(order);
		String reservation = reservationOf(waiting);
		assertThat(this.inventory.isReserved(reservation)).as("the stock is held while the order waits").isTrue();
		Instant waitingSince = this.env.clock().instant();

		WorkflowInstance failed = this.env.awaitCompletion(order.workflowInstanceId()).instance();

		OrchwfAssertions.assertThat(failed)
			.hasStatus(WorkflowStatus.FAILED)
			.stepHasStatus(OrderWorkflow.AWAIT_APPROVAL, StepStatus.FAILED)
			.stepHasStatus(OrderWorkflow.PROCESS_PAYMENT, StepStatus.PENDING)
			.stepHasStatus(OrderWorkflow.RESERVE_STOCK, StepStatus.COMPENSATED)
			.stepHasStatus(OrderWorkflow.VALIDATE_ORDER, StepStatus.COMPENSATED);
		StepInstance wait = step(failed, OrderWorkflow.AWAIT_APPROVAL);
		assertThat(wait.errorType()).as("why %s failed", wait).contains("timeout");
		assertThat(Duration.between(wait.startedAt().orElseThrow(), wait.completedAt().orElseThrow()))
			.as("how long the order waited, by the workflow's clock")
			.isEqualTo(Duration.ofHours(24));
		assertThat(this.env.clock().instant()).isAfterOrEqualTo(waitingSince.plus(Duration.ofHours(24)));
		assertThat(this.inventory.isReserved(reservation)).as("the stock is released").isFalse();
		assertThat(savedStatus(order)).isEqualTo(OrderStatus.FAILED);
		assertThat(mailsAbout(order)).as("what the customer is told").singleElement().satisfies(this::isCancellation);
	}

	@Test
	void aDeclinedPaymentReleasesTheStock() {
		Order order = place("card_declined", new OrderLine("book-1", 2, new BigDecimal("12.50")));
		String reservation = reservationOf(awaitWaitingForApproval(order));

		this.orders.approve(order.id(), "ann");
		WorkflowInstance failed = this.env.awaitCompletion(order.workflowInstanceId()).instance();

		OrchwfAssertions.assertThat(failed)
			.hasStatus(WorkflowStatus.FAILED)
			.stepHasStatus(OrderWorkflow.PROCESS_PAYMENT, StepStatus.FAILED)
			.stepHasAttempts(OrderWorkflow.PROCESS_PAYMENT, 1)
			.stepHasStatus(OrderWorkflow.CREATE_SHIPMENT, StepStatus.PENDING)
			.stepHasStatus(OrderWorkflow.RESERVE_STOCK, StepStatus.COMPENSATED)
			.stepHasStatus(OrderWorkflow.VALIDATE_ORDER, StepStatus.COMPENSATED);
		StepInstance payment = step(failed, OrderWorkflow.PROCESS_PAYMENT);
		assertThat(payment.errorType()).as("why %s failed", payment).contains("card_declined");
		assertThat(payment.output()).as("no payment for a declined card").doesNotContainKey("payment_id");
		assertThat(this.inventory.isReserved(reservation)).as("the stock is released").isFalse();
		assertThat(savedStatus(order)).isEqualTo(OrderStatus.FAILED);
		assertThat(mailsAbout(order)).singleElement().satisfies(this::isCancellation);
	}

	@Test
	void aGatewayDownThroughEveryRetryReleasesTheStock() {
		this.env.stub(OrderWorkflow.ID, OrderWorkflow.PROCESS_PAYMENT, (context) -> {
			throw new GatewayUnavailableException("the payment gateway did not answer");
		});
		Order order = place("card_ok", new OrderLine("book-1", 2, new BigDecimal("12.50")));
		String reservation = reservationOf(awaitWaitingForApproval(order));

		this.orders.approve(order.id(), "ann");
		WorkflowInstance failed = this.env.awaitCompletion(order.workflowInstanceId()).instance();

		// @Retry(maxAttempts = 5), the backoffs between them skipped on the test clock
		OrchwfAssertions.assertThat(failed)
			.hasStatus(WorkflowStatus.FAILED)
			.stepHasStatus(OrderWorkflow.PROCESS_PAYMENT, StepStatus.FAILED)
			.stepHasAttempts(OrderWorkflow.PROCESS_PAYMENT, 5)
			.stepHasStatus(OrderWorkflow.RESERVE_STOCK, StepStatus.COMPENSATED)
			.stepHasStatus(OrderWorkflow.VALIDATE_ORDER, StepStatus.COMPENSATED);
		assertThat(step(failed, OrderWorkflow.PROCESS_PAYMENT).errorType()).contains(GatewayUnavailableException.TYPE);
		assertThat(this.inventory.isReserved(reservation)).as("the stock is released").isFalse();
		assertThat(savedStatus(order)).isEqualTo(OrderStatus.FAILED);
		assertThat(mailsAbout(order)).singleElement().satisfies(this::isCancellation);
	}

	@Test
	void aFailureAfterThePaymentRefundsItAndReleasesTheStock() {
		this.env.stub(OrderWorkflow.ID, OrderWorkflow.UPDATE_ORDER_STATUS, (context) -> {
			throw new IllegalStateException("the orders table is read-only");
		});
		Order order = place("card_ok", new OrderLine("book-1", 2, new BigDecimal("12.50")));
		String reservation = reservationOf(awaitWaitingForApproval(order));

		this.orders.approve(order.id(), "ann");
		WorkflowInstance failed = this.env.awaitCompletion(order.workflowInstanceId()).instance();

		OrchwfAssertions.assertThat(failed)
			.hasStatus(WorkflowStatus.FAILED)
			.stepHasStatus(OrderWorkflow.UPDATE_ORDER_STATUS, StepStatus.FAILED)
			.stepHasStatus(OrderWorkflow.SEND_CONFIRMATION, StepStatus.PENDING)
			.stepHasStatus(OrderWorkflow.PROCESS_PAYMENT, StepStatus.COMPENSATED)
			.stepHasStatus(OrderWorkflow.RESERVE_STOCK, StepStatus.COMPENSATED)
			.stepHasStatus(OrderWorkflow.VALIDATE_ORDER, StepStatus.COMPENSATED);
		Payment payment = paymentOf(failed);
		assertThat(payment.amount()).as("it was charged").isEqualByComparingTo("25.00");
		assertThat(payment.refunded()).as("and refunded").isTrue();
		assertThat(this.inventory.isReserved(reservation)).as("the stock is released").isFalse();
		assertThat(savedStatus(order)).isEqualTo(OrderStatus.FAILED);
		assertThat(mailsAbout(order)).as("a cancellation, no confirmation")
			.singleElement()
			.satisfies(this::isCancellation);
	}

	@Test
	void anOrderWhoseWorkflowFailsAtOnceIsSavedFailed() {
		this.env.stub(OrderWorkflow.ID, OrderWorkflow.CHECK_INVENTORY, (context) -> {
			throw new NonRetryableStepException("out_of_stock", "out of stock: book-1");
		});
		Order order = place("card_ok", new OrderLine("book-1", 2, new BigDecimal("12.50")));

		WorkflowInstance failed = this.env.awaitCompletion(order.workflowInstanceId()).instance();

		OrchwfAssertions.assertThat(failed)
			.hasStatus(WorkflowStatus.FAILED)
			.stepHasStatus(OrderWorkflow.CHECK_INVENTORY, StepStatus.FAILED)
			.stepHasStatus(OrderWorkflow.RESERVE_STOCK, StepStatus.PENDING)
			.stepHasStatus(OrderWorkflow.VALIDATE_ORDER, StepStatus.COMPENSATED);
		// the workflow started once the order was committed, so its compensation found
		// the order to mark
		assertThat(savedStatus(order)).isEqualTo(OrderStatus.FAILED);
		assertThat(mailsAbout(order)).singleElement().satisfies(this::isCancellation);
	}

	@Test
	void theApiShowsTheOrderAndItsStepsAfterEachStage() throws Exception {
		Pause reserving = pause(OrderWorkflow.RESERVE_STOCK);
		Pause paying = pause(OrderWorkflow.PROCESS_PAYMENT);
		SampleAppClient api = SampleAppClient.onPort(this.port);
		try {
			PlacedOrder order = api.placeOrder("card_ok");

			// enriched, reserving the stock
			reserving.awaitStarted();
			String enriched = api.order(order.orderId()).assertStatus(200).body();
			assertStatuses(enriched, "PLACED", "RUNNING");
			assertThat(stepStatuses(enriched).keySet()).as(enriched).containsExactlyElementsOf(STEP_IDS);
			for (String stepId : List.of(OrderWorkflow.VALIDATE_ORDER, OrderWorkflow.CHECK_INVENTORY,
					OrderWorkflow.FETCH_CUSTOMER, OrderWorkflow.FETCH_RECOMMENDATIONS)) {
				assertThat(stepStatus(enriched, stepId)).as("%s in %s", stepId, enriched).isEqualTo("COMPLETED");
			}
			assertThat(stepStatus(enriched, OrderWorkflow.RESERVE_STOCK)).as(enriched).isEqualTo("RUNNING");
			assertThat(stepStatus(enriched, OrderWorkflow.AWAIT_APPROVAL)).as(enriched).isEqualTo("PENDING");

			// reserved, waiting for the approval
			reserving.release();
			this.env.awaitIdle();
			String waiting = api.order(order.orderId()).assertStatus(200).body();
			assertStatuses(waiting, "PLACED", "WAITING");
			for (String stepId : STEPS_BEFORE_APPROVAL) {
				assertThat(stepStatus(waiting, stepId)).as("%s in %s", stepId, waiting).isEqualTo("COMPLETED");
			}
			assertThat(stepStatus(waiting, OrderWorkflow.AWAIT_APPROVAL)).as(waiting).isEqualTo("WAITING");
			assertThat(stepStatus(waiting, OrderWorkflow.PROCESS_PAYMENT)).as(waiting).isEqualTo("PENDING");

			// approved, paying
			api.approve(order.orderId()).assertStatus(202);
			paying.awaitStarted();
			String approved = api.order(order.orderId()).assertStatus(200).body();
			assertStatuses(approved, "PLACED", "RUNNING");
			assertThat(api.order(order.orderId()).<String>read("$.approvedBy")).isEqualTo("ann");
			assertThat(stepStatus(approved, OrderWorkflow.AWAIT_APPROVAL)).as(approved).isEqualTo("COMPLETED");
			assertThat(stepStatus(approved, OrderWorkflow.PROCESS_PAYMENT)).as(approved).isEqualTo("RUNNING");
			assertThat(stepStatus(approved, OrderWorkflow.CREATE_SHIPMENT)).as(approved).isEqualTo("PENDING");

			// paid, shipped, recorded, confirmed
			paying.release();
			this.env.awaitCompletion(order.workflowInstanceId());
			String completed = api.order(order.orderId()).assertStatus(200).body();
			assertStatuses(completed, "COMPLETED", "COMPLETED");
			stepStatuses(completed).forEach(
					(stepId, status) -> assertThat(status).as("%s in %s", stepId, completed).isEqualTo("COMPLETED"));
		}
		finally {
			reserving.release();
			paying.release();
		}
	}

	@Test
	void anItemAddedWhileTheOrderWaitsIsCharged() {
		Order order = place("card_ok", new OrderLine("book-1", 2, new BigDecimal("12.50")));
		awaitWaitingForApproval(order);

		Order changed = this.orders.addLine(order.id(), new OrderLine("pen-1", 3, new BigDecimal("1.25")));
		assertThat(changed.total()).isEqualByComparingTo("28.75");
		this.orders.approve(order.id(), "ann");
		WorkflowInstance completed = this.env.awaitCompletion(order.workflowInstanceId()).instance();

		OrchwfAssertions.assertThat(completed)
			.hasStatus(WorkflowStatus.COMPLETED)
			.hasOutputEntry("charged", "28.75")
			.hasOutputEntry("lines_charged", 2);
		assertThat(paymentOf(completed).amount()).as("what the gateway charged").isEqualByComparingTo("28.75");
		assertThat(mailsAbout(order)).singleElement()
			.satisfies((mail) -> assertThat(mail.body()).startsWith("Paid 28.75;"));
		assertThat(this.orders.find(order.id()).order().lines()).extracting(OrderLine::sku)
			.containsExactly("book-1", "pen-1");
	}

	private Order place(String paymentMethod, OrderLine... lines) {
		return this.orders.place("c-1", "ann@example.com", paymentMethod, List.of(lines));
	}

	private WorkflowInstance awaitWaitingForApproval(Order order) {
		this.env.awaitIdle();
		WorkflowInstance instance = this.env.orchestrator().status(order.workflowInstanceId()).orElseThrow();
		OrchwfAssertions.assertThat(instance)
			.hasStatus(WorkflowStatus.WAITING)
			.stepHasStatus(OrderWorkflow.RESERVE_STOCK, StepStatus.COMPLETED)
			.stepHasStatus(OrderWorkflow.AWAIT_APPROVAL, StepStatus.WAITING);
		assertThat(savedStatus(order)).isEqualTo(OrderStatus.PLACED);
		return instance;
	}

	private OrderStatus savedStatus(Order order) {
		return this.orders.find(order.id()).order().status();
	}

	private static StepInstance step(WorkflowInstance instance, String stepId) {
		return instance.step(stepId).orElseThrow(() -> new AssertionError("no step " + stepId + " in " + instance));
	}

	private static String reservationOf(WorkflowInstance instance) {
		Object reservation = step(instance, OrderWorkflow.RESERVE_STOCK).output().get("reservation_id");
		assertThat(reservation).as("the reservation of %s", instance).isInstanceOf(String.class);
		return (String) reservation;
	}

	private Payment paymentOf(WorkflowInstance instance) {
		Object paymentId = step(instance, OrderWorkflow.PROCESS_PAYMENT).output().get("payment_id");
		assertThat(paymentId).as("the payment of %s", instance).isInstanceOf(String.class);
		return this.gateway.payment((String) paymentId)
			.orElseThrow(() -> new AssertionError("the gateway has no payment " + paymentId));
	}

	private List<Mail> mailsAbout(Order order) {
		return this.notifications.sent()
			.stream()
			.filter((mail) -> mail.subject().equals("Your order " + order.id()))
			.toList();
	}

	private void isCancellation(Mail mail) {
		assertThat(mail.email()).isEqualTo("ann@example.com");
		assertThat(mail.body()).contains("not completed");
	}

	private static void assertStatuses(String order, String orderStatus, String workflowStatus) {
		assertThat(JsonPath.<String>read(order, "$.status")).as("the order's status in %s", order)
			.isEqualTo(orderStatus);
		assertThat(JsonPath.<String>read(order, "$.workflow.status")).as("the workflow's status in %s", order)
			.isEqualTo(workflowStatus);
	}

	/**
	 * Stub a step so that its attempts wait for the test before they run the step's own
	 * code, for a look at the order while the step runs.
	 */
	private Pause pause(String stepId) {
		StepExecutor own = this.env.orchestrator()
			.workflows()
			.stream()
			.filter((definition) -> definition.id().equals(OrderWorkflow.ID))
			.map((definition) -> definition.step(stepId).orElseThrow())
			.findFirst()
			.orElseThrow()
			.executor();
		Pause pause = new Pause();
		this.env.stub(OrderWorkflow.ID, stepId, (context) -> {
			pause.started.countDown();
			if (!pause.released.await(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("the test never let " + stepId + " go on");
			}
			return own.execute(context);
		});
		return pause;
	}

	private static final class Pause {

		private final CountDownLatch started = new CountDownLatch(1);

		private final CountDownLatch released = new CountDownLatch(1);

		void awaitStarted() throws InterruptedException {
			assertThat(this.started.await(10, TimeUnit.SECONDS)).as("the step started").isTrue();
		}

		void release() {
			this.released.countDown();
		}

	}

}
