package io.orchwf.sample.workflow;

import java.util.Map;

import io.orchwf.StepContext;
import io.orchwf.sample.order.Orders;
import io.orchwf.sample.shop.NotificationService;
import io.orchwf.spring.WorkflowStep;

import org.springframework.stereotype.Component;

/**
 * What follows the payment: the shipment, the order's new status, and a confirmation,
 * which is optional: a mail server that is down does not undo a paid order.
 */
@Component
class FulfilmentSteps {

	private final Orders orders;

	private final NotificationService notifications;

	FulfilmentSteps(Orders orders, NotificationService notifications) {
		this.orders = orders;
		this.notifications = notifications;
	}

	@WorkflowStep(workflow = OrderWorkflow.ID, id = OrderWorkflow.CREATE_SHIPMENT, name = "Create shipment",
			dependsOn = OrderWorkflow.PROCESS_PAYMENT)
	Map<String, Object> createShipment(StepContext context) {
		return Map.of("tracking_number", "TRK-" + OrderInput.orderId(context).substring(0, 8).toUpperCase());
	}

	@WorkflowStep(workflow = OrderWorkflow.ID, id = OrderWorkflow.UPDATE_ORDER_STATUS, name = "Update order status",
			dependsOn = OrderWorkflow.CREATE_SHIPMENT)
	Map<String, Object> updateOrderStatus(StepContext context) {
		this.orders.completed(OrderInput.orderId(context));
		return Map.of("order_status", "COMPLETED");
	}

	@WorkflowStep(workflow = OrderWorkflow.ID, id = OrderWorkflow.SEND_CONFIRMATION, name = "Send confirmation",
			dependsOn = OrderWorkflow.UPDATE_ORDER_STATUS, required = false)
	Map<String, Object> sendConfirmation(StepContext context) {
		this.notifications.send(context.get("email", String.class), "Your order " + OrderInput.orderId(context),
				"Paid " + context.get("charged", String.class) + "; tracking number "
						+ context.get("tracking_number", String.class));
		return Map.of("confirmation_sent", true);
	}

}
