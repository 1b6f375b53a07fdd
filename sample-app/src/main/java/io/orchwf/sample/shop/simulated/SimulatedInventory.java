package io.orchwf.sample.shop.simulated;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.orchwf.sample.order.OrderLine;
import io.orchwf.sample.shop.InventoryService;
import io.orchwf.sample.shop.ShopProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Service;

/**
 * A warehouse in memory: everything is in stock except
 * {@code shop.simulation.out-of-stock-skus}.
 */
@Service
public class SimulatedInventory implements InventoryService {

	private static final Logger logger = LoggerFactory.getLogger(SimulatedInventory.class);

	private final ShopProperties properties;

	private final Map<String, String> reservations = new ConcurrentHashMap<>();

	SimulatedInventory(ShopProperties properties) {
		this.properties = properties;
	}

	@Override
	public List<String> missing(List<OrderLine> lines) {
		return lines.stream()
			.map(OrderLine::sku)
			.filter(this.properties.simulation().outOfStockSkus()::contains)
			.distinct()
			.toList();
	}

	@Override
	public String reserve(String orderId, List<OrderLine> lines) {
		String reservationId = "res-" + orderId;
		if (this.reservations.putIfAbsent(reservationId, orderId) == null) {
			logger.info("Reserved stock for order {}: {} lines", orderId, lines.size());
		}
		return reservationId;
	}

	@Override
	public void release(String reservationId) {
		if (this.reservations.remove(reservationId) != null) {
			logger.info("Released reservation {}", reservationId);
		}
	}

	/**
	 * Whether a reservation holds stock: made and not released.
	 * @param reservationId the reservation, as {@link #reserve} answered it
	 * @return {@code true} while it holds stock
	 */
	public boolean isReserved(String reservationId) {
		return this.reservations.containsKey(reservationId);
	}

}
