package io.orchwf.sample.workflow;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.orchwf.StepContext;
import io.orchwf.sample.order.OrderLine;
import io.orchwf.sample.shop.GatewayUnavailableException;
import io.orchwf.sample.shop.InventoryService;
import io.orchwf.sample.shop.PaymentGateway;
import io.orchwf.spring.Retry;
import io.orchwf.spring.WorkflowStep;
import io.orchwf.spring.WorkflowWait;

import org.springframework.stereotype.Component;

/**
 * Reserving the stock, waiting for the payment to be approved, and charging the customer
 * for every line, those added by signal while the order waited included.
 */
@Component
@WorkflowWait(workflow = OrderWorkflow.ID, id = OrderWorkflow.AWAIT_APPROVAL, dependsOn = OrderWorkflow.RESERVE_STOCK,
		signal = OrderWorkflow.APPROVE, timeout = "${shop.approval-timeout:24h}")
class PaymentSteps {

	private final InventoryService inventory;

	private final PaymentGateway gateway;

	PaymentSteps(InventoryService inventory, PaymentGateway gateway) {
		this.inventory = inventory;
		this.gateway = gateway;
	}

	@WorkflowStep(
			workflow = OrderWorkflow.ID, id = OrderWorkflow.RESERVE_STOCK, name = "Reserve stock", dependsOn = {
					OrderWorkflow.CHECK_INVENTORY, OrderWorkflow.FETCH_CUSTOMER, OrderWorkflow.FETCH_RECOMMENDATIONS },
			compensation = "releaseStock")
	Map<String, Object> reserveStock(StepContext context) {
		return Map.of("reservation_id", this.inventory.reserve(OrderInput.orderId(context), OrderInput.lines(context)));
	}

	void releaseStock(StepContext context) {
		this.inventory.release(context.get("reservation_id", String.class));
	}

	@WorkflowStep(workflow = OrderWorkflow.ID, id = OrderWorkflow.PROCESS_PAYMENT, name = "Process payment",
			dependsOn = OrderWorkflow.AWAIT_APPROVAL, async = true, timeout = "30s",
			retry = @Retry(maxAttempts = 5, initialInterval = "200ms", multiplier = 2.0, maxInterval = "5s",
					retryableErrors = GatewayUnavailableException.TYPE),
			compensation = "refund")
	Map<String, Object> charge(StepContext context) {
		List<OrderLine> lines = new ArrayList<>(OrderInput.lines(context));
		context.signals(OrderWorkflow.ADD_ITEM).forEach((item) -> lines.add(OrderInput.toLine(item)));
		BigDecimal amount = OrderInput.total(lines);
		String paymentId = this.gateway.charge(context.idempotencyKey(), context.get("payment_method", String.class),
				amount);
		return Map.of("payment_id", paymentId, "charged", amount.toPlainString(), "lines_charged", lines.size());
	}

	void refund(StepContext context) {
		this.gateway.refund(context.get("payment_id", String.class));
	}

}
