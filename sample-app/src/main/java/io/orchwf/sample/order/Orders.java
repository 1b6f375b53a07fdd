package io.orchwf.sample.order;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.orchwf.Orchestrator;
import io.orchwf.StartOptions;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.sample.workflow.OrderInput;
import io.orchwf.sample.workflow.OrderWorkflow;

import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What customers and the workflow do with orders. Placing an order saves it and starts
 * its workflow in one transaction: either both happen or neither does.
 */
@Service
public class Orders {

	private final OrderRepository repository;

	private final Orchestrator orchestrator;

	Orders(OrderRepository repository, Orchestrator orchestrator) {
		this.repository = repository;
		this.orchestrator = orchestrator;
	}

	/**
	 * Place an order and start its workflow.
	 * @param customerId who orders
	 * @param email where to write to them
	 * @param paymentMethod how they pay
	 * @param lines what they order
	 * @return the saved order
	 */
	@Transactional
	public Order place(String customerId, String email, String paymentMethod, List<OrderLine> lines) {
		Order order = Order.place(UUID.randomUUID().toString(), customerId, email, paymentMethod, lines, Instant.now());
		// joins this transaction: the workflow exists if and only if the order is saved,
		// and it starts running once the order is committed
		String instanceId = this.orchestrator.startAsync(OrderWorkflow.ID, OrderInput.of(order),
				StartOptions.builder()
					.metadata(Map.of("business_id", order.id()))
					.idempotencyKey("order-" + order.id())
					.build());
		order.processedBy(instanceId);
		return this.repository.save(order);
	}

	/**
	 * Save a change to an order, refusing it if the order changed since it was read (an
	 * approval, an item, or its workflow ending it meanwhile).
	 */
	private Order save(Order order) {
		try {
			return this.repository.save(order);
		}
		catch (OptimisticLockingFailureException ex) {
			throw new OrderConflictException("Order " + order.id() + " changed meanwhile; read it and try again");
		}
	}

	/**
	 * An order with its workflow.
	 * @param orderId the order
	 * @return the order
	 * @throws OrderNotFoundException if there is none
	 */
	public OrderView find(String orderId) {
		Order order = this.repository.findById(orderId).orElseThrow(() -> new OrderNotFoundException(orderId));
		return new OrderView(order, workflowOf(order));
	}

	private Optional<WorkflowInstance> workflowOf(Order order) {
		String instanceId = order.workflowInstanceId();
		return (instanceId != null) ? this.orchestrator.status(instanceId) : Optional.empty();
	}

	/**
	 * Approve an order's payment.
	 * @param orderId the order
	 * @param approvedBy who approves
	 * @return the workflow's status
	 */
	@Transactional
	public WorkflowStatus approve(String orderId, String approvedBy) {
		OrderView view = find(orderId);
		WorkflowInstance workflow = running(view, "approved");
		Order order = view.order();
		// recorded on the order, in the signal's transaction: a second approval is
		// refused
		// even before the workflow has taken the first
		if (order.approvedBy() != null) {
			throw new OrderConflictException("Order " + orderId + " is approved already, by " + order.approvedBy());
		}
		order.approve(approvedBy);
		save(order);
		this.orchestrator.signal(workflow.id(), OrderWorkflow.APPROVE, Map.of("approvedBy", approvedBy));
		return workflow.status();
	}

	/**
	 * Add a line to an order that is not paid yet. The line is saved, and sent to the
	 * workflow as a signal, in one transaction.
	 * @param orderId the order
	 * @param line the line
	 * @return the order, with the line
	 */
	@Transactional
	public Order addLine(String orderId, OrderLine line) {
		OrderView view = find(orderId);
		WorkflowInstance workflow = running(view, "changed");
		Order order = view.order();
		if (order.approvedBy() != null || stepStatus(workflow, OrderWorkflow.PROCESS_PAYMENT) != StepStatus.PENDING) {
			throw new OrderConflictException(
					"Order " + orderId + " is approved for payment; it can no longer be changed");
		}
		order.add(line);
		Order saved = save(order);
		this.orchestrator.signal(workflow.id(), OrderWorkflow.ADD_ITEM, OrderInput.line(line));
		return saved;
	}

	/**
	 * Cancel an order: its workflow stops, undoes what it did, and ends cancelled.
	 * @param orderId the order
	 * @param reason why
	 * @return the workflow's status
	 */
	public WorkflowStatus cancel(String orderId, String reason) {
		OrderView view = find(orderId);
		WorkflowInstance workflow = running(view, "cancelled");
		WorkflowResult result = this.orchestrator.cancel(workflow.id(), reason);
		if (result.status() != WorkflowStatus.CANCELLED) {
			throw new OrderConflictException(
					"Order " + orderId + " ended " + result.status() + " before it could be " + "cancelled");
		}
		this.repository.move(orderId, OrderStatus.PLACED.name(), OrderStatus.CANCELLED.name());
		this.repository.move(orderId, OrderStatus.FAILED.name(), OrderStatus.CANCELLED.name());
		return result.status();
	}

	/**
	 * The workflow paid and shipped the order.
	 * @param orderId the order
	 */
	@Transactional
	public void completed(String orderId) {
		this.repository.move(orderId, OrderStatus.PLACED.name(), OrderStatus.COMPLETED.name());
	}

	/**
	 * The workflow undid the order: it failed, unless the customer cancelled it.
	 * @param orderId the order
	 */
	@Transactional
	public void ended(String orderId) {
		this.repository.move(orderId, OrderStatus.PLACED.name(), OrderStatus.FAILED.name());
	}

	private static WorkflowInstance running(OrderView view, String action) {
		WorkflowInstance workflow = view.workflow()
			.orElseThrow(() -> new OrderConflictException("Order " + view.order().id() + " has no workflow"));
		if (workflow.status().isTerminal()) {
			throw new OrderConflictException("Order " + view.order().id() + " has ended ("
					+ view.status().name().toLowerCase() + "); it can no longer be " + action);
		}
		return workflow;
	}

	private static StepStatus stepStatus(WorkflowInstance workflow, String stepId) {
		return workflow.step(stepId).map((step) -> step.status()).orElse(StepStatus.PENDING);
	}

}
