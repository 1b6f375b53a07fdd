package io.orchwf.sample.workflow;

/**
 * The names of the order workflow: its id, its steps and its signals. The steps are the
 * annotated beans of this package:
 *
 * <pre>
 * validate_order ─┬─ check_inventory ───────┐
 *                 ├─ fetch_customer ────────┼─ reserve_stock ── await_approval ── process_payment
 *                 └─ fetch_recommendations ─┘   (optional)       (signal)          (retried)
 *    ── create_shipment ── update_order_status ── send_confirmation (optional)
 * </pre>
 *
 * On a failure or a cancellation, the completed steps are undone in reverse order: the
 * payment refunded, the stock released, the customer told.
 */
public final class OrderWorkflow {

	/** The workflow's id. */
	public static final String ID = "order_processing";

	/** The signal that approves an order's payment. */
	public static final String APPROVE = "approve-payment";

	/** The signal that adds an item to an order before it is paid. */
	public static final String ADD_ITEM = "add-item";

	public static final String VALIDATE_ORDER = "validate_order";

	public static final String CHECK_INVENTORY = "check_inventory";

	public static final String FETCH_CUSTOMER = "fetch_customer";

	public static final String FETCH_RECOMMENDATIONS = "fetch_recommendations";

	public static final String RESERVE_STOCK = "reserve_stock";

	public static final String AWAIT_APPROVAL = "await_approval";

	public static final String PROCESS_PAYMENT = "process_payment";

	public static final String CREATE_SHIPMENT = "create_shipment";

	public static final String UPDATE_ORDER_STATUS = "update_order_status";

	public static final String SEND_CONFIRMATION = "send_confirmation";

	private OrderWorkflow() {
	}

}
