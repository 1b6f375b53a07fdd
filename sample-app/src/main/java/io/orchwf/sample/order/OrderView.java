package io.orchwf.sample.order;

import java.util.Optional;

import io.orchwf.WorkflowInstance;

/**
 * An order with its workflow.
 *
 * @param order the order
 * @param workflow its workflow instance
 */
public record OrderView(Order order, Optional<WorkflowInstance> workflow) {

	/**
	 * Where the order stands: its workflow's end, if it ended, tells first.
	 * @return the status
	 */
	public OrderStatus status() {
		return this.workflow.map((instance) -> switch (instance.status()) {
			case COMPLETED -> OrderStatus.COMPLETED;
			case CANCELLED -> OrderStatus.CANCELLED;
			case FAILED -> OrderStatus.FAILED;
			default -> this.order.status();
		}).orElse(this.order.status());
	}

}
