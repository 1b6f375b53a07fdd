package io.orchwf.sample.workflow;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orchwf.StepContext;
import io.orchwf.sample.order.Order;
import io.orchwf.sample.order.OrderLine;

/**
 * How an order travels through its workflow: as JSON values in the workflow's input,
 * amounts as strings so that no cent is lost to floating point.
 */
public final class OrderInput {

	static final String ORDER_ID = "order_id";

	private OrderInput() {
	}

	/**
	 * The workflow input of an order.
	 * @param order the order
	 * @return its input
	 */
	public static Map<String, Object> of(Order order) {
		Map<String, Object> input = new LinkedHashMap<>();
		input.put(ORDER_ID, order.id());
		input.put("customer_id", order.customerId());
		input.put("email", order.email());
		input.put("payment_method", order.paymentMethod());
		input.put("items", order.lines().stream().map(OrderInput::line).toList());
		return input;
	}

	/**
	 * An order line as JSON values, as the input lists it and as an {@code add-item}
	 * signal carries it.
	 * @param line the line
	 * @return its values
	 */
	public static Map<String, Object> line(OrderLine line) {
		return Map.of("sku", line.sku(), "quantity", line.quantity(), "unit_price", line.unitPrice().toPlainString());
	}

	static String orderId(StepContext context) {
		return context.get(ORDER_ID, String.class);
	}

	static List<OrderLine> lines(StepContext context) {
		List<OrderLine> lines = new ArrayList<>();
		Object items = context.input().get("items");
		if (items instanceof List<?> list) {
			list.forEach((item) -> lines.add(toLine((Map<?, ?>) item)));
		}
		return lines;
	}

	static OrderLine toLine(Map<?, ?> item) {
		return new OrderLine(String.valueOf(item.get("sku")), ((Number) item.get("quantity")).intValue(),
				new BigDecimal(String.valueOf(item.get("unit_price"))));
	}

	static BigDecimal total(List<OrderLine> lines) {
		return lines.stream().map(OrderLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
	}

}
