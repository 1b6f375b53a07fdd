package io.orchwf.sample.order;

import java.math.BigDecimal;

import org.springframework.data.relational.core.mapping.Table;

/**
 * One line of an order.
 *
 * @param sku the product
 * @param quantity how many
 * @param unitPrice the price of one
 */
@Table("order_lines")
public record OrderLine(String sku, int quantity, BigDecimal unitPrice) {

	/**
	 * The line's amount.
	 * @return quantity times unit price
	 */
	public BigDecimal amount() {
		return this.unitPrice.multiply(BigDecimal.valueOf(this.quantity));
	}

}
