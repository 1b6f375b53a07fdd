package io.orchwf.sample.shop;

import java.util.List;

import io.orchwf.sample.order.OrderLine;

/**
 * The warehouse.
 */
public interface InventoryService {

	/**
	 * Check that every line is in stock.
	 * @param lines the lines
	 * @return the skus that are not
	 */
	List<String> missing(List<OrderLine> lines);

	/**
	 * Reserve the stock of an order; reserving the same order again changes nothing.
	 * @param orderId the order
	 * @param lines its lines
	 * @return the reservation's id
	 */
	String reserve(String orderId, List<OrderLine> lines);

	/**
	 * Release a reservation; releasing it again changes nothing.
	 * @param reservationId the reservation
	 */
	void release(String reservationId);

}
