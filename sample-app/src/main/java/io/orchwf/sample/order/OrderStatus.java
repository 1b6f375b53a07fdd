package io.orchwf.sample.order;

/**
 * Where an order stands for the shop.
 */
public enum OrderStatus {

	/** Placed; its workflow runs or waits for approval. */
	PLACED,

	/** Paid, shipped and recorded. */
	COMPLETED,

	/** Cancelled by the customer; what was done is undone. */
	CANCELLED,

	/**
	 * Its workflow failed (payment declined, approval timed out...); what was done is
	 * undone.
	 */
	FAILED

}
