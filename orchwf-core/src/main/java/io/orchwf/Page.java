package io.orchwf;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param <T> the item type
 * @param items the items of this page, in listing order
 * @param total how many items match in all pages
 * @param limit the page size that was asked for
 * @param offset how many matching items precede this page
 */
public record Page<T>(List<T> items, long total, int limit, int offset) {

	/**
	 * Create a page.
	 * @param items the items of this page
	 * @param total how many items match in all pages
	 * @param limit the page size that was asked for
	 * @param offset how many matching items precede this page
	 */
	public Page {
		items = List.copyOf(items);
		if (total < 0 || limit < 0 || offset < 0) {
			throw new IllegalArgumentException(
					"total, limit and offset must not be negative: " + total + ", " + limit + ", " + offset);
		}
	}

	/**
	 * Whether more matching items follow this page.
	 * @return {@code true} if a next page has items
	 */
	public boolean hasNext() {
		return this.offset + this.items.size() < this.total;
	}

}
