package io.orchwf.sample.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.PersistenceCreator;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.MappedCollection;
import org.springframework.data.relational.core.mapping.Table;

/**
 * An order: the aggregate Spring Data JDBC stores in {@code orders} and
 * {@code order_lines}.
 */
@Table("orders")
public class Order {

	@Id
	private final String id;

	private final String customerId;

	private final String email;

	private final String paymentMethod;

	private OrderStatus status;

	private @Nullable String workflowInstanceId;

	private @Nullable String approvedBy;

	private final Instant createdAt;

	@MappedCollection(idColumn = "order_id", keyColumn = "position")
	private final List<OrderLine> lines;

	@Version
	private @Nullable Long version;

	@PersistenceCreator
	Order(String id, String customerId, String email, String paymentMethod, OrderStatus status,
			@Nullable String workflowInstanceId, @Nullable String approvedBy, Instant createdAt, List<OrderLine> lines,
			@Nullable Long version) {
		this.id = id;
		this.customerId = customerId;
		this.email = email;
		this.paymentMethod = paymentMethod;
		this.approvedBy = approvedBy;
		this.status = status;
		this.workflowInstanceId = workflowInstanceId;
		this.createdAt = createdAt;
		this.lines = new ArrayList<>(lines);
		this.version = version;
	}

	/**
	 * A new order.
	 * @param id its id
	 * @param customerId who orders
	 * @param email where to write to them
	 * @param paymentMethod how they pay
	 * @param lines what they order
	 * @param now when
	 * @return the order, not yet saved
	 */
	public static Order place(String id, String customerId, String email, String paymentMethod, List<OrderLine> lines,
			Instant now) {
		return new Order(id, customerId, email, paymentMethod, OrderStatus.PLACED, null, null, now, lines, null);
	}

	public String id() {
		return this.id;
	}

	public String customerId() {
		return this.customerId;
	}

	public String email() {
		return this.email;
	}

	public String paymentMethod() {
		return this.paymentMethod;
	}

	public OrderStatus status() {
		return this.status;
	}

	public @Nullable String workflowInstanceId() {
		return this.workflowInstanceId;
	}

	/**
	 * Who approved the order's payment.
	 * @return who, or {@code null} while it waits for its approval
	 */
	public @Nullable String approvedBy() {
		return this.approvedBy;
	}

	public Instant createdAt() {
		return this.createdAt;
	}

	public List<OrderLine> lines() {
		return List.copyOf(this.lines);
	}

	/**
	 * What the order costs.
	 * @return the sum of its lines
	 */
	public BigDecimal total() {
		return this.lines.stream().map(OrderLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
	}

	void processedBy(String instanceId) {
		this.workflowInstanceId = instanceId;
	}

	void approve(String by) {
		this.approvedBy = by;
	}

	void add(OrderLine line) {
		this.lines.add(line);
	}

}
