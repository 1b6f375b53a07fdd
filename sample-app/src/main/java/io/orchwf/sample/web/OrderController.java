package io.orchwf.sample.web;

import java.net.URI;

import io.orchwf.sample.order.Order;
import io.orchwf.sample.order.Orders;
import io.orchwf.sample.web.OrderRequests.Approve;
import io.orchwf.sample.web.OrderRequests.Cancel;
import io.orchwf.sample.web.OrderRequests.Item;
import io.orchwf.sample.web.OrderRequests.PlaceOrder;
import io.orchwf.sample.web.OrderResponses.Action;
import io.orchwf.sample.web.OrderResponses.LineAdded;
import io.orchwf.sample.web.OrderResponses.OrderDetails;
import io.orchwf.sample.web.OrderResponses.Placed;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The order API. Everything that happens to an order after it is placed happens in its
 * workflow, so the answers are 202: accepted, and going on.
 */
@RestController
@RequestMapping("/orders")
class OrderController {

	private static final String DEFAULT_PAYMENT_METHOD = "card_ok";

	private final Orders orders;

	OrderController(Orders orders) {
		this.orders = orders;
	}

	@PostMapping
	ResponseEntity<Placed> place(@Valid @RequestBody PlaceOrder request) {
		String email = (request.email() != null) ? request.email() : request.customerId() + "@example.com";
		String paymentMethod = (request.paymentMethod() != null) ? request.paymentMethod() : DEFAULT_PAYMENT_METHOD;
		Order order = this.orders.place(request.customerId(), email, paymentMethod, request.lines());
		return ResponseEntity.accepted()
			.location(URI.create("/orders/" + order.id()))
			.body(new Placed(order.id(), order.workflowInstanceId()));
	}

	@GetMapping("/{orderId}")
	OrderDetails get(@PathVariable String orderId) {
		return OrderDetails.of(this.orders.find(orderId));
	}

	@PostMapping("/{orderId}/approve")
	ResponseEntity<Action> approve(@PathVariable String orderId, @Valid @RequestBody Approve request) {
		return ResponseEntity.accepted().body(new Action(orderId, this.orders.approve(orderId, request.approvedBy())));
	}

	@PostMapping("/{orderId}/items")
	ResponseEntity<LineAdded> addItem(@PathVariable String orderId, @Valid @RequestBody Item item) {
		Order order = this.orders.addLine(orderId, item.line());
		return ResponseEntity.accepted().body(new LineAdded(orderId, order.total()));
	}

	@PostMapping("/{orderId}/cancel")
	ResponseEntity<Action> cancel(@PathVariable String orderId,
			@Valid @RequestBody(required = false) @Nullable Cancel request) {
		String reason = (request != null && request.reason() != null && !request.reason().isBlank()) ? request.reason()
				: "cancelled by the customer";
		return ResponseEntity.accepted().body(new Action(orderId, this.orders.cancel(orderId, reason)));
	}

}
