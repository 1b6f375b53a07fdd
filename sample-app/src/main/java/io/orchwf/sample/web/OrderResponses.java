package io.orchwf.sample.web;

import java.math.BigDecimal;
import java.util.List;

import io.orchwf.StepInstance;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowStatus;
import io.orchwf.sample.order.Order;
import io.orchwf.sample.order.OrderLine;
import io.orchwf.sample.order.OrderStatus;
import io.orchwf.sample.order.OrderView;
import org.jspecify.annotations.Nullable;

/**
 * The bodies the order API answers with.
 */
final class OrderResponses {

	private OrderResponses() {
	}

	record Placed(String orderId, String workflowInstanceId) {
	}

	record Action(String orderId, WorkflowStatus workflowStatus) {
	}

	record LineAdded(String orderId, BigDecimal total) {
	}

	record OrderDetails(String orderId, String customerId, String email, String paymentMethod, OrderStatus status,
			@Nullable String approvedBy, List<OrderLine> items, BigDecimal total, @Nullable Workflow workflow) {

		static OrderDetails of(OrderView view) {
			Order order = view.order();
			return new OrderDetails(order.id(), order.customerId(), order.email(), order.paymentMethod(), view.status(),
					order.approvedBy(), order.lines(), order.total(), view.workflow().map(Workflow::of).orElse(null));
		}

	}

	record Workflow(String instanceId, WorkflowStatus status, @Nullable String error, List<Step> steps) {

		static Workflow of(WorkflowInstance instance) {
			return new Workflow(instance.id(), instance.status(), instance.error().orElse(null),
					instance.steps().stream().map(Step::of).toList());
		}

	}

	record Step(String id, String status, int attempts, @Nullable String error) {

		static Step of(StepInstance step) {
			return new Step(step.stepId(), step.status().name(), step.attempts(), step.error().orElse(null));
		}

	}

}
