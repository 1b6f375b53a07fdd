package io.orchwf.sample.workflow;

import java.util.List;
import java.util.Map;

import io.orchwf.NonRetryableStepException;
import io.orchwf.StepContext;
import io.orchwf.StepExecutor;
import io.orchwf.sample.order.OrderLine;
import io.orchwf.sample.order.Orders;
import io.orchwf.sample.shop.NotificationService;
import io.orchwf.spring.WorkflowStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The first step: the order must have lines, each for a positive quantity. Its
 * compensation, the last to run when an order fails or is cancelled, records the end of
 * the order and tells the customer.
 */
@Component
@WorkflowStep(workflow = OrderWorkflow.ID, id = OrderWorkflow.VALIDATE_ORDER, name = "Validate order",
		compensation = "orderEnded")
class ValidateOrder implements StepExecutor {

	private static final Logger logger = LoggerFactory.getLogger(ValidateOrder.class);

	private final Orders orders;

	private final NotificationService notifications;

	ValidateOrder(Orders orders, NotificationService notifications) {
		this.orders = orders;
		this.notifications = notifications;
	}

	@Override
	public Map<String, Object> execute(StepContext context) {
		List<OrderLine> lines = OrderInput.lines(context);
		if (lines.isEmpty() || lines.stream().anyMatch((line) -> line.quantity() < 1)) {
			throw new NonRetryableStepException("invalid_order", "an order needs lines of positive quantities");
		}
		return Map.of("valid", true);
	}

	void orderEnded(StepContext context) {
		String orderId = OrderInput.orderId(context);
		this.orders.ended(orderId);
		try {
			this.notifications.send(context.get("email", String.class), "Your order " + orderId,
					"We are sorry: your order was not completed; any payment taken for it has been refunded.");
		}
		catch (RuntimeException ex) {
			// the e-mail is a courtesy: the order is undone whether or not it goes out
			logger.warn("Could not tell the customer of order {} that it ended: {}", orderId, ex.getMessage());
		}
	}

}
