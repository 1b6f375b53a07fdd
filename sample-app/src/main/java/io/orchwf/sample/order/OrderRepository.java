package io.orchwf.sample.order;

import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.CrudRepository;

/**
 * Stores orders.
 */
public interface OrderRepository extends CrudRepository<Order, String> {

	/**
	 * Move an order from one status to another, bumping its version so that a concurrent
	 * change of the order (a line added) fails rather than overwrites the status.
	 * @param id the order
	 * @param from the status it must have
	 * @param to the new status
	 * @return 1 if it moved, 0 if the order is not in {@code from}
	 */
	@Modifying
	@Query("UPDATE orders SET status = :to, version = version + 1 WHERE id = :id AND status = :from")
	int move(String id, String from, String to);

}
