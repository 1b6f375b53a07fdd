package io.orchwf.spring.e2e;

import java.util.Map;

import io.orchwf.Orchestrator;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Saves an order and starts its workflow in one transaction.
 */
@Service
public class OrderService {

	private final JdbcTemplate jdbc;

	private final Orchestrator orchestrator;

	public OrderService(JdbcTemplate jdbc, Orchestrator orchestrator) {
		this.jdbc = jdbc;
		this.orchestrator = orchestrator;
	}

	/**
	 * Save an order and start its workflow.
	 * @param orderId the order
	 * @param failAfterStart whether to fail (and roll back) after the start
	 * @return the workflow instance id
	 */
	@Transactional
	public String place(String orderId, boolean failAfterStart) {
		this.jdbc.update("INSERT INTO shop_orders (id, status) VALUES (?, 'PLACED')", orderId);
		String instanceId = this.orchestrator.startAsync("orders", Map.of("order_id", orderId),
				Map.of("business_id", orderId));
		if (failAfterStart) {
			throw new IllegalStateException("the order could not be placed");
		}
		return instanceId;
	}

}
