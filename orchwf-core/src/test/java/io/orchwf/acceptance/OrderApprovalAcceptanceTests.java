package io.orchwf.acceptance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.orchwf.Orchestrator;
import io.orchwf.RetryPolicy;
import io.orchwf.StepDefinition;
import io.orchwf.StepException;
import io.orchwf.StepExecutor;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The order-processing workflow of seeds/temporal-lesson-7-order-workflow.md, end to end
 * on the Java API: parallel enrichment (customer profile, inventory snapshot, optional
 * recommendations), reserve stock, await the {@code approve-payment} signal with a
 * timeout while {@code add-line-item} signals add items, process the payment (retry,
 * typed errors), update the order status, send a best-effort confirmation; cancellation
 * at any stage and compensation (release stock, refund payment, cancellation email);
 * versioning of a running order. The lesson's promises, as orchwf makes them:
 * <ul>
 * <li>an approval signal lets the order complete, with the items added by signals
 * charged;</li>
 * <li>an approval timeout fails the order (the wait fails with type {@code timeout}) and
 * compensates: stock released, cancellation email sent, nothing charged;</li>
 * <li>a cancellation while the order awaits approval ends it CANCELLED and compensates
 * the same way;</li>
 * <li>transient payment errors are retried, typed permanent ones are not and release the
 * stock;</li>
 * <li>a failed status update refunds the payment, then releases the stock;</li>
 * <li>a failed confirmation (and failed recommendations) do not fail the order;</li>
 * <li>an order awaiting approval when a new version is deployed finishes on its own
 * version.</li>
 * </ul>
 */
class OrderApprovalAcceptanceTests extends WaitingAcceptanceSupport {

	private static final List<Map<String, Object>> INITIAL_ITEMS = List.of(Map.of("sku", "BOOK-1", "quantity", 1),
			Map.of("sku", "PEN-7", "quantity", 3));

	/** Every side effect and compensation, in the order it happened. */
	private final List<String> effects = new CopyOnWriteArrayList<>();

	private final AtomicReference<List<String>> chargedSkus = new AtomicReference<>();

	private final AtomicInteger paymentAttempts = new AtomicInteger();

	/** The three enrichment activities meet here: proof that they run in parallel. */
	private final CyclicBarrier enrichment = new CyclicBarrier(3);

	private StepExecutor payment = (ctx) -> charge(ctx.input(), ctx.signals("add-line-item"));

	private StepExecutor statusUpdate = (ctx) -> Map.of("order_status", "COMPLETED");

	private StepExecutor confirmation = (ctx) -> {
		this.effects.add("send_order_confirmation");
		return Map.of("confirmation_sent", true);
	};

	private StepExecutor recommendations = (ctx) -> Map.of("recommendations", List.of("BOOKMARK-2"));

	private Duration approvalTimeout = Duration.ofSeconds(10);

	private Map<String, Object> charge(Map<String, Object> input, List<Map<String, Object>> addedItems) {
		List<String> skus = new ArrayList<>();
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> items = (List<Map<String, Object>>) input.get("items");
		items.forEach((item) -> skus.add((String) item.get("sku")));
		addedItems.forEach((item) -> skus.add((String) item.get("sku")));
		this.chargedSkus.set(skus);
		this.effects.add("process_payment");
		return Map.of("charged", true, "charged_items", skus.size());
	}

	private StepExecutor enrich(Map<String, Object> output) {
		return (ctx) -> {
			this.enrichment.await(5, TimeUnit.SECONDS);
			return output;
		};
	}

	private WorkflowDefinition orderWorkflow(String version) {
		StepDefinition acceptOrder = StepDefinition.builder("accept_order", "Accept Order", (ctx) -> {
			this.effects.add("accept_order");
			return Map.of("stage", "accepted");
		}).compensateWith((ctx) -> this.effects.add("send_cancellation_email")).build();
		StepDefinition inventory = StepDefinition
			.builder("fetch_inventory_snapshot", "Fetch Inventory Snapshot", enrich(Map.of("inventory_ok", true)))
			.dependsOn("accept_order")
			.async(true)
			.build();
		StepDefinition customer = StepDefinition
			.builder("fetch_customer_profile", "Fetch Customer Profile", enrich(Map.of("customer_tier", "gold")))
			.dependsOn("accept_order")
			.async(true)
			.build();
		StepDefinition recs = StepDefinition.builder("fetch_recommendations", "Fetch Recommendations", (ctx) -> {
			this.enrichment.await(5, TimeUnit.SECONDS);
			return this.recommendations.execute(ctx);
		}).dependsOn("accept_order").async(true).required(false).build();
		StepDefinition reserve = StepDefinition.builder("reserve_stock", "Reserve Stock", (ctx) -> {
			assertThat(ctx.input()).containsEntry("inventory_ok", true).containsEntry("customer_tier", "gold");
			this.effects.add("reserve_stock");
			return Map.of("reserved", true);
		})
			.dependsOn("fetch_inventory_snapshot", "fetch_customer_profile", "fetch_recommendations")
			.compensateWith((ctx) -> this.effects.add("release_stock"))
			.build();
		StepDefinition approval = StepDefinition.awaitSignal("await_approval", "approve-payment")
			.dependsOn("reserve_stock")
			.timeout(this.approvalTimeout)
			.build();
		StepDefinition pay = StepDefinition.builder("process_payment", "Process Payment", (ctx) -> {
			this.paymentAttempts.incrementAndGet();
			return this.payment.execute(ctx);
		})
			.dependsOn("await_approval")
			.retryPolicy(RetryPolicy.builder()
				.maxAttempts(5)
				.initialInterval(Duration.ofMillis(10))
				.multiplier(2.0)
				.maxInterval(Duration.ofMillis(50))
				.nonRetryableErrors("PermanentError", "ValidationError")
				.build())
			.compensateWith((ctx) -> this.effects.add("refund_payment"))
			.build();
		StepDefinition update = StepDefinition.builder("update_order_status", "Update Order Status", (ctx) -> {
			Map<String, Object> out = new HashMap<>(this.statusUpdate.execute(ctx));
			out.put("workflow_version", version);
			return out;
		}).dependsOn("process_payment").build();
		StepDefinition confirm = StepDefinition
			.builder("send_order_confirmation", "Send Order Confirmation", (ctx) -> this.confirmation.execute(ctx))
			.dependsOn("update_order_status")
			.required(false)
			.build();
		return WorkflowDefinition.builder("order_workflow", "Order Workflow")
			.version(version)
			.steps(acceptOrder, inventory, customer, recs, reserve, approval, pay, update, confirm)
			.build();
	}

	private Orchestrator orderNode() {
		Orchestrator orchestrator = node((builder) -> builder.workers(8));
		orchestrator.register(orderWorkflow("1.0.0"));
		return orchestrator;
	}

	private String startOrder(Orchestrator orchestrator) {
		return orchestrator.startAsync("order_workflow", Map.of("order_id", "o-42", "items", INITIAL_ITEMS),
				Map.of("business_id", "o-42"));
	}

	@Test
	void anApprovedOrderCompletesAndChargesTheItemsAddedBySignals() {
		Orchestrator orchestrator = orderNode();
		String id = startOrder(orchestrator);
		// an item added before the order even waits for approval is kept
		orchestrator.signal(id, "add-line-item", Map.of("sku", "MUG-3", "quantity", 2));

		WorkflowInstance awaiting = awaitWaiting(orchestrator, id, "await_approval");
		assertThat(stepOf(awaiting, "reserve_stock").status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(stepOf(awaiting, "fetch_recommendations").status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(stepOf(awaiting, "process_payment").status()).isEqualTo(StepStatus.PENDING);
		assertThat(this.effects).containsExactly("accept_order", "reserve_stock");

		orchestrator.signal(id, "add-line-item", Map.of("sku", "LAMP-9", "quantity", 1));
		orchestrator.signal(id, "approve-payment", Map.of("approvedBy", "ann"));
		WorkflowResult result = finish(orchestrator, id);

		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.success()).isTrue();
		assertThat(this.chargedSkus.get()).containsExactly("BOOK-1", "PEN-7", "MUG-3", "LAMP-9");
		assertThat(result.output()).containsEntry("approvedBy", "ann")
			.containsEntry("charged", true)
			.containsEntry("charged_items", 4)
			.containsEntry("order_status", "COMPLETED")
			.containsEntry("confirmation_sent", true)
			.containsEntry("customer_tier", "gold")
			.containsEntry("recommendations", List.of("BOOKMARK-2"));
		assertThat(stepOf(result.instance(), "await_approval").output()).isEqualTo(Map.of("approvedBy", "ann"));
		assertThat(this.effects).containsExactly("accept_order", "reserve_stock", "process_payment",
				"send_order_confirmation");
		assertThat(result.instance().steps()).extracting((s) -> s.status()).containsOnly(StepStatus.COMPLETED);
	}

	@Test
	void anApprovalTimeoutFailsTheOrderAndCompensates() {
		this.approvalTimeout = Duration.ofMillis(300);
		Orchestrator orchestrator = orderNode();
		String id = startOrder(orchestrator);
		awaitWaiting(orchestrator, id, "await_approval");

		WorkflowResult result = finish(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.error())
			.hasValueSatisfying((error) -> assertThat(error).startsWith("step await_approval failed after 1 attempt"));
		assertThat(this.paymentAttempts.get()).isZero();
		// compensation in reverse completion order: stock released, then the email
		assertThat(this.effects).containsExactly("accept_order", "reserve_stock", "release_stock",
				"send_cancellation_email");
		assertThat(stepOf(result.instance(), "reserve_stock").status()).isEqualTo(StepStatus.COMPENSATED);
		assertThat(stepOf(result.instance(), "accept_order").status()).isEqualTo(StepStatus.COMPENSATED);
		assertThat(stepOf(result.instance(), "await_approval").status()).isEqualTo(StepStatus.FAILED);
		await().atMost(LONG_WAIT)
			.untilAsserted(() -> assertThat(eventsOf(id, WorkflowEventType.STEP_FAILED))
				.filteredOn((e) -> "await_approval".equals(e.stepId()))
				.extracting(WorkflowEvent::data)
				.anySatisfy((data) -> assertThat(data).containsEntry("errorType", "timeout")));
		assertThatThrownBy(() -> orchestrator.signal(id, "approve-payment", Map.of("approvedBy", "late")))
			.isInstanceOf(IllegalStateException.class);
	}

	@Test
	void cancellingAnOrderAwaitingApprovalCompensatesAndEndsCancelled() {
		Orchestrator orchestrator = orderNode();
		String id = startOrder(orchestrator);
		awaitWaiting(orchestrator, id, "await_approval");
		orchestrator.signal(id, "add-line-item", Map.of("sku", "MUG-3", "quantity", 2));

		WorkflowResult result = orchestrator.cancel(id, "customer changed their mind");
		if (!result.status().isTerminal()) {
			result = finish(orchestrator, id);
		}
		assertThat(result.status()).isEqualTo(WorkflowStatus.CANCELLED);
		assertThat(result.success()).isFalse();
		assertThat(result.error())
			.hasValueSatisfying((error) -> assertThat(error).contains("customer changed their mind"));
		assertThat(this.paymentAttempts.get()).isZero();
		assertThat(this.effects).containsExactly("accept_order", "reserve_stock", "release_stock",
				"send_cancellation_email");
		assertThat(stepOf(result.instance(), "await_approval").status()).isNotIn(StepStatus.COMPLETED,
				StepStatus.WAITING);
		assertThat(stepOf(result.instance(), "process_payment").status()).isNotEqualTo(StepStatus.COMPLETED);
		assertThatThrownBy(() -> orchestrator.signal(id, "approve-payment", Map.of("approvedBy", "ann")))
			.isInstanceOf(IllegalStateException.class);
		await().atMost(LONG_WAIT)
			.untilAsserted(() -> assertThat(eventsOf(id, WorkflowEventType.WORKFLOW_CANCELLED)).singleElement()
				.extracting(WorkflowEvent::data)
				.satisfies((data) -> assertThat(String.valueOf(data.get("reason"))).contains("customer changed")));
	}

	@Test
	void transientPaymentErrorsAreRetried() {
		StepExecutor charging = this.payment;
		this.payment = (ctx) -> {
			if (ctx.attempt() < 3) {
				throw new StepException("connection_refused", "payment gateway unreachable");
			}
			return charging.execute(ctx);
		};
		Orchestrator orchestrator = orderNode();
		String id = startOrder(orchestrator);
		awaitWaiting(orchestrator, id, "await_approval");
		orchestrator.signal(id, "approve-payment", Map.of("approvedBy", "ann"));

		WorkflowResult result = finish(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(this.paymentAttempts.get()).isEqualTo(3);
		assertThat(stepOf(result.instance(), "process_payment").attempts()).isEqualTo(3);
		assertThat(this.effects).doesNotContain("release_stock", "refund_payment", "send_cancellation_email");
	}

	@Test
	void aPermanentPaymentErrorIsNotRetriedAndReleasesTheStock() {
		this.payment = (ctx) -> {
			throw new StepException("PermanentError", "card reported stolen");
		};
		Orchestrator orchestrator = orderNode();
		String id = startOrder(orchestrator);
		awaitWaiting(orchestrator, id, "await_approval");
		orchestrator.signal(id, "approve-payment", Map.of("approvedBy", "ann"));

		WorkflowResult result = finish(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.error())
			.hasValueSatisfying((error) -> assertThat(error).startsWith("step process_payment failed after 1 attempt: ")
				.contains("card reported stolen"));
		assertThat(this.paymentAttempts.get()).isEqualTo(1);
		// nothing was charged, so nothing is refunded
		assertThat(this.effects).containsExactly("accept_order", "reserve_stock", "release_stock",
				"send_cancellation_email");
	}

	@Test
	void aFailedStatusUpdateRefundsThePaymentThenReleasesTheStock() {
		this.statusUpdate = (ctx) -> {
			throw new StepException("ValidationError", "order table locked");
		};
		Orchestrator orchestrator = orderNode();
		String id = startOrder(orchestrator);
		awaitWaiting(orchestrator, id, "await_approval");
		orchestrator.signal(id, "approve-payment", Map.of("approvedBy", "ann"));

		WorkflowResult result = finish(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(this.effects).containsExactly("accept_order", "reserve_stock", "process_payment", "refund_payment",
				"release_stock", "send_cancellation_email");
		assertThat(stepOf(result.instance(), "process_payment").status()).isEqualTo(StepStatus.COMPENSATED);
		assertThat(stepOf(result.instance(), "send_order_confirmation").status()).isNotEqualTo(StepStatus.COMPLETED);
	}

	@Test
	void aFailedConfirmationAndFailedRecommendationsDoNotFailTheOrder() {
		this.recommendations = (ctx) -> {
			throw new IllegalStateException("recommendation service down");
		};
		this.confirmation = (ctx) -> {
			throw new IllegalStateException("smtp down");
		};
		Orchestrator orchestrator = orderNode();
		String id = startOrder(orchestrator);
		awaitWaiting(orchestrator, id, "await_approval");
		orchestrator.signal(id, "approve-payment", Map.of("approvedBy", "ann"));

		WorkflowResult result = finish(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(stepOf(result.instance(), "fetch_recommendations").status()).isEqualTo(StepStatus.FAILED);
		assertThat(stepOf(result.instance(), "send_order_confirmation").status()).isEqualTo(StepStatus.FAILED);
		assertThat(result.output()).containsEntry("charged", true).doesNotContainKey("recommendations");
		assertThat(this.effects).containsExactly("accept_order", "reserve_stock", "process_payment");
	}

	@Test
	void anOrderAwaitingApprovalFinishesOnItsVersionWhenANewOneIsDeployed() {
		Orchestrator orchestrator = orderNode();
		String id = startOrder(orchestrator);
		awaitWaiting(orchestrator, id, "await_approval");

		orchestrator.register(orderWorkflow("2.0.0"));
		String newer = startOrder(orchestrator);
		assertThat(instance(orchestrator, newer).workflowVersion()).isEqualTo("2.0.0");

		orchestrator.signal(id, "approve-payment", Map.of("approvedBy", "ann"));
		WorkflowResult result = finish(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.instance().workflowVersion()).isEqualTo("1.0.0");
		assertThat(result.output()).containsEntry("workflow_version", "1.0.0");

		awaitWaiting(orchestrator, newer, "await_approval");
		orchestrator.signal(newer, "approve-payment", Map.of("approvedBy", "bob"));
		WorkflowResult newerResult = finish(orchestrator, newer);
		assertThat(newerResult.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(newerResult.output()).containsEntry("workflow_version", "2.0.0").containsEntry("approvedBy", "bob");
	}

}
