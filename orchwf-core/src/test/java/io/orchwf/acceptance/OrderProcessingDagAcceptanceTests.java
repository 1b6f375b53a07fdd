package io.orchwf.acceptance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
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
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The e-commerce order DAG of seeds/orchwf-lesson-3-step-chaining.md, ported to the Java
 * API (sleeps shortened): validate_order -> (check_inventory -> reserve_inventory,
 * process_payment) -> create_shipment -> send_email (optional).
 */
class OrderProcessingDagAcceptanceTests extends AcceptanceSupport {

	private final List<String> trace = new CopyOnWriteArrayList<>();

	private final AtomicReference<Map<String, Object>> shipmentInput = new AtomicReference<>();

	private final List<String> released = new CopyOnWriteArrayList<>();

	/** check_inventory and process_payment meet here: proof that they run in parallel. */
	private final CyclicBarrier parallelBranches = new CyclicBarrier(2);

	private volatile boolean meetInParallel = true;

	private final CountDownLatch reserved = new CountDownLatch(1);

	private void meet() throws Exception {
		if (this.meetInParallel) {
			this.parallelBranches.await(3, TimeUnit.SECONDS);
		}
	}

	private StepExecutor traced(String id, long sleepMillis, StepExecutor body) {
		return (ctx) -> {
			this.trace.add("start:" + id);
			String orderId = (String) ctx.input().get("order_id");
			assertThat(orderId).isNotNull();
			sleep(sleepMillis);
			Map<String, Object> out = body.execute(ctx);
			this.trace.add("end:" + id);
			return out;
		};
	}

	private StepExecutor defaultPayment() {
		return (ctx) -> {
			meet();
			return Map.of("payment_id", "pay_123", "status", "success");
		};
	}

	private StepExecutor defaultEmail() {
		return (ctx) -> Map.of("email_sent", true);
	}

	private WorkflowDefinition orderProcessing(StepExecutor payment, RetryPolicy paymentRetry, StepExecutor email) {
		StepDefinition validateOrder = StepDefinition
			.builder("validate_order", "Validate Order",
					traced("validate_order", 10,
							(ctx) -> Map.of("order_id", ctx.input().get("order_id"), "valid", true)))
			.description("Validate order data")
			.retryPolicy(RetryPolicy.builder().maxAttempts(3).build())
			.build();
		StepDefinition checkInventory = StepDefinition
			.builder("check_inventory", "Check Inventory", traced("check_inventory", 20, (ctx) -> {
				meet();
				return Map.of("in_stock", true);
			}))
			.description("Check product availability")
			.dependsOn("validate_order")
			.async(true)
			.retryPolicy(RetryPolicy.builder().maxAttempts(5).initialInterval(Duration.ofSeconds(1)).build())
			.build();
		StepDefinition processPayment = StepDefinition
			.builder("process_payment", "Process Payment", traced("process_payment", 30, payment))
			.description("Process payment")
			.dependsOn("validate_order")
			.async(true)
			.retryPolicy(paymentRetry)
			.build();
		StepDefinition reserveInventory = StepDefinition
			.builder("reserve_inventory", "Reserve Inventory", traced("reserve_inventory", 15, (ctx) -> {
				this.reserved.countDown();
				return Map.of("reserved", true);
			}))
			.description("Reserve products")
			.dependsOn("check_inventory")
			.async(true)
			.compensateWith((ctx) -> this.released.add((String) ctx.input().get("order_id")))
			.build();
		StepDefinition createShipment = StepDefinition
			.builder("create_shipment", "Create Shipment", traced("create_shipment", 20, (ctx) -> {
				this.shipmentInput.set(ctx.input());
				String paymentId = (String) ctx.input().get("payment_id");
				assertThat(paymentId).isNotNull();
				return Map.of("shipment_id", "ship_123", "tracking", "TRK123456");
			}))
			.description("Create shipment")
			.dependsOn("process_payment", "reserve_inventory")
			.build();
		StepDefinition sendEmail = StepDefinition
			.builder("send_email", "Send Confirmation Email", traced("send_email", 10, email))
			.description("Send confirmation email")
			.dependsOn("create_shipment")
			.required(false)
			.async(true)
			.build();
		return WorkflowDefinition.builder("order_processing", "Order Processing Workflow")
			.description("Complete e-commerce order processing workflow")
			.version("1.0.0")
			.step(validateOrder)
			.step(checkInventory)
			.step(processPayment)
			.step(reserveInventory)
			.step(createShipment)
			.step(sendEmail)
			.build();
	}

	private WorkflowDefinition orderProcessing() {
		return orderProcessing(defaultPayment(),
				RetryPolicy.builder().maxAttempts(3).initialInterval(Duration.ofSeconds(2)).build(), defaultEmail());
	}

	private void assertBefore(String first, String second) {
		assertThat(this.trace).contains(first, second);
		assertThat(this.trace.indexOf(first)).as("%s before %s in %s", first, second, this.trace)
			.isLessThan(this.trace.indexOf(second));
	}

	@Test
	void theOrderIsProcessedEndToEnd() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(orderProcessing());
		WorkflowResult result = orchestrator.start("order_processing", Map.of("order_id", "order_123"),
				Map.of("trace_id", "trace_123", "business_id", "business_456"));

		assertThat(result.error()).isEmpty();
		assertThat(result.success()).isTrue();
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.output()).containsEntry("order_id", "order_123")
			.containsEntry("valid", true)
			.containsEntry("in_stock", true)
			.containsEntry("payment_id", "pay_123")
			.containsEntry("status", "success")
			.containsEntry("reserved", true)
			.containsEntry("shipment_id", "ship_123")
			.containsEntry("tracking", "TRK123456")
			.containsEntry("email_sent", true);

		WorkflowInstance instance = result.instance();
		assertThat(instance.workflowId()).isEqualTo("order_processing");
		assertThat(instance.workflowVersion()).isEqualTo("1.0.0");
		assertThat(instance.traceId()).isEqualTo("trace_123");
		assertThat(instance.businessId()).isEqualTo("business_456");
		assertThat(instance.steps()).extracting((s) -> s.stepId())
			.containsExactly("validate_order", "check_inventory", "process_payment", "reserve_inventory",
					"create_shipment", "send_email");
		assertThat(instance.steps()).allSatisfy((s) -> {
			assertThat(s.status()).isEqualTo(StepStatus.COMPLETED);
			assertThat(s.attempts()).isEqualTo(1);
		});

		assertBefore("end:validate_order", "start:check_inventory");
		assertBefore("end:validate_order", "start:process_payment");
		assertBefore("end:check_inventory", "start:reserve_inventory");
		assertBefore("end:process_payment", "start:create_shipment");
		assertBefore("end:reserve_inventory", "start:create_shipment");
		assertBefore("end:create_shipment", "start:send_email");

		assertThat(this.shipmentInput.get()).containsEntry("order_id", "order_123")
			.containsEntry("payment_id", "pay_123")
			.containsEntry("reserved", true)
			.containsEntry("in_stock", true)
			.containsEntry("valid", true)
			.doesNotContainKey("email_sent");
		assertThat(this.released).isEmpty();
	}

	@Test
	void aFailedConfirmationEmailDoesNotFailTheOrder() {
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(orderProcessing(defaultPayment(), RetryPolicy.none(), (ctx) -> {
			throw new StepException("smtp_unavailable", "mail server down");
		}));
		WorkflowResult result = orchestrator.start("order_processing", Map.of("order_id", "order_124"));
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.success()).isTrue();
		assertThat(result.instance().step("send_email").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
		assertThat(result.instance().step("create_shipment").orElseThrow().status()).isEqualTo(StepStatus.COMPLETED);
		assertThat(result.output()).containsEntry("shipment_id", "ship_123").doesNotContainKey("email_sent");
		assertThat(this.released).isEmpty();
	}

	@Test
	void aDeclinedPaymentFailsTheOrderAndReleasesTheReservation() {
		AtomicInteger paymentAttempts = new AtomicInteger();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(orderProcessing((ctx) -> {
			if (paymentAttempts.incrementAndGet() == 1) {
				meet();
			}
			// fail only once the reservation is made, so that it is compensated
			this.reserved.await(3, TimeUnit.SECONDS);
			throw new IllegalStateException("card declined");
		}, RetryPolicy.builder()
			.maxAttempts(3)
			.initialInterval(Duration.ofMillis(20))
			.maxInterval(Duration.ofMillis(20))
			.build(), defaultEmail()));
		WorkflowResult result = orchestrator.start("order_processing", Map.of("order_id", "order_125"));

		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(result.success()).isFalse();
		assertThat(result.error()).hasValue("step process_payment failed after 3 attempts: card declined");
		assertThat(paymentAttempts.get()).isEqualTo(3);
		assertThat(this.trace).doesNotContain("start:create_shipment", "start:send_email");
		assertThat(this.released).containsExactly("order_125");
		assertThat(result.instance().step("reserve_inventory").orElseThrow().status())
			.isEqualTo(StepStatus.COMPENSATED);
		assertThat(result.instance().step("process_payment").orElseThrow().status()).isEqualTo(StepStatus.FAILED);
		assertThat(result.instance().step("process_payment").orElseThrow().attempts()).isEqualTo(3);
	}

	@Test
	void aFlakyPaymentGatewayIsRetriedOnItsRetryableErrors() {
		AtomicInteger paymentAttempts = new AtomicInteger();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(orderProcessing((ctx) -> {
			if (paymentAttempts.incrementAndGet() == 1) {
				meet();
				throw new StepException("connection_refused", "gateway unreachable");
			}
			if (ctx.attempt() == 2) {
				throw new StepException("timeout", "gateway slow");
			}
			return Map.of("payment_id", "pay_456", "status", "success");
		}, RetryPolicy.builder()
			.maxAttempts(5)
			.initialInterval(Duration.ofMillis(10))
			.multiplier(2.0)
			.maxInterval(Duration.ofMillis(60))
			.retryableErrors("timeout", "connection_refused")
			.build(), defaultEmail()));
		WorkflowResult result = orchestrator.start("order_processing", Map.of("order_id", "order_126"));
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.output()).containsEntry("payment_id", "pay_456");
		assertThat(result.instance().step("process_payment").orElseThrow().attempts()).isEqualTo(3);
		assertThat(this.shipmentInput.get()).containsEntry("payment_id", "pay_456");
	}

	@Test
	void manyOrdersRunSideBySideEachWithItsOwnData() {
		// no meeting point here: many instances interleave
		this.meetInParallel = false;
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(orderProcessing(
				(ctx) -> Map.of("payment_id", "pay_" + ctx.input().get("order_id"), "status", "success"),
				RetryPolicy.none(), defaultEmail()));
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			ids.add(orchestrator.startAsync("order_processing", Map.of("order_id", "order_" + i)));
		}
		for (int i = 0; i < ids.size(); i++) {
			WorkflowResult result = awaitResult(orchestrator, ids.get(i));
			assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
			assertThat(result.output()).containsEntry("order_id", "order_" + i)
				.containsEntry("payment_id", "pay_order_" + i);
		}
	}

}
