package io.orchwf.sample.web;

import java.math.BigDecimal;
import java.util.List;

import io.orchwf.sample.order.OrderLine;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * The bodies the order API accepts. Every text is {@link PlainText}, and no value is
 * larger than its column: what the database cannot hold is a 400 naming the field, not a
 * 500 from the insert.
 */
final class OrderRequests {

	private OrderRequests() {
	}

	/**
	 * {@code POST /orders}.
	 *
	 * @param customerId who orders; at most 243 characters, so that the default e-mail
	 * address ({@code <customerId>@example.com}) fits the 255 of its column
	 * @param email where to write to them; default {@code <customerId>@example.com}
	 * @param paymentMethod {@code card_ok} (default), {@code card_declined} or
	 * {@code card_flaky}
	 * @param items what they order
	 */
	record PlaceOrder(@NotBlank @Size(max = 243) @PlainText String customerId,
			@Nullable @Email @Size(max = 255) @PlainText String email,
			@Nullable @Pattern(regexp = "card_ok|card_declined|card_flaky",
					message = "must be one of card_ok, card_declined, card_flaky") @PlainText String paymentMethod,
			@NotEmpty @Size(max = 100) List<@Valid @NotNull Item> items) {

		List<OrderLine> lines() {
			return this.items.stream().map(Item::line).toList();
		}

	}

	/**
	 * An order line; also the body of {@code POST /orders/{id}/items}.
	 *
	 * @param sku the product
	 * @param quantity how many, 1 to 1000, a whole number (Jackson refuses {@code 1.5}
	 * rather than cut it to 1:
	 * {@code spring.jackson.deserialization.accept-float-as-int})
	 * @param unitPrice the price of one, at least 0, with at most 10 digits before the
	 * decimal point and 2 after it, as the {@code NUMERIC(12, 2)} column holds it
	 */
	record Item(@NotBlank @Size(max = 255) @PlainText String sku, @NotNull @Min(1) @Max(1000) Integer quantity,
			@NotNull @DecimalMin("0") @Digits(integer = 10, fraction = 2,
					message = "must have at most 10 digits before the decimal point and 2 after it") BigDecimal unitPrice) {

		OrderLine line() {
			return new OrderLine(this.sku, this.quantity, this.unitPrice);
		}

	}

	/**
	 * {@code POST /orders/{id}/approve}.
	 *
	 * @param approvedBy who approves the payment
	 */
	record Approve(@NotBlank @Size(max = 255) @PlainText String approvedBy) {
	}

	/**
	 * {@code POST /orders/{id}/cancel}.
	 *
	 * @param reason why; default "cancelled by the customer"
	 */
	record Cancel(@Nullable @Size(max = 1000) @PlainText String reason) {
	}

}
