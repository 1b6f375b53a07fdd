package io.orchwf.spring.dashboard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.util.MultiValueMap;

/**
 * What the instance list asks for: the filters ({@code workflow}, {@code status}, one or
 * more, {@code businessId}, {@code id}: an instance id or an idempotency key) and the
 * page ({@code limit}, {@code offset}). Read from a query string or from the hidden
 * fields of a bulk action's form, and written back into links, so that a page, its paging
 * links and its bulk actions all mean the same instances.
 *
 * @param workflowId only instances of this workflow
 * @param statuses only instances in one of these states; empty for any
 * @param businessId only instances with this business id
 * @param idOrKey only the instance with this id or idempotency key
 * @param limit the page size
 * @param offset how many matching instances precede the page
 */
record ListQuery(@Nullable String workflowId, Set<WorkflowStatus> statuses, @Nullable String businessId,
		@Nullable String idOrKey, int limit, int offset) {

	static final int DEFAULT_LIMIT = 20;

	static final int MAX_LIMIT = 200;

	static final List<Integer> LIMITS = List.of(20, 50, 100, 200);

	ListQuery {
		statuses = Set.copyOf(statuses);
	}

	/**
	 * Read a query from request parameters.
	 * @param parameters the parameters
	 * @return the query
	 * @throws DashboardException (400) if a value is invalid, naming it
	 */
	static ListQuery from(MultiValueMap<String, String> parameters) {
		return new ListQuery(Forms.storableText("workflow", parameters.getFirst("workflow")),
				statuses(parameters.get("status")), Forms.storableText("businessId", parameters.getFirst("businessId")),
				Forms.storableText("id", parameters.getFirst("id")), limit(parameters.getFirst("limit")),
				offset(parameters.getFirst("offset")));
	}

	/**
	 * The same query on another page.
	 * @param newOffset the offset of that page
	 * @return the query
	 */
	ListQuery withOffset(int newOffset) {
		return new ListQuery(this.workflowId, this.statuses, this.businessId, this.idOrKey, this.limit,
				Math.max(0, newOffset));
	}

	/**
	 * Whether any filter is set.
	 * @return {@code true} unless every instance matches
	 */
	boolean filtered() {
		return this.workflowId != null || !this.statuses.isEmpty() || this.businessId != null || this.idOrKey != null;
	}

	/**
	 * The API's filter of this query, without the id or key, which no filter expresses.
	 * @return the filter
	 * @throws DashboardException (400) if the API refuses a value
	 */
	WorkflowFilter filter() {
		try {
			return WorkflowFilter.builder()
				.workflowId(this.workflowId)
				.status(this.statuses.toArray(WorkflowStatus[]::new))
				.businessId(this.businessId)
				.build();
		}
		catch (IllegalArgumentException ex) {
			throw new DashboardException(HttpStatus.BAD_REQUEST, Forms.messageOf(ex, "The filter is invalid"));
		}
	}

	/**
	 * Whether an instance meets this query's filters other than the id or key.
	 * @param workflow the instance's workflow id
	 * @param status its state
	 * @param business its business id
	 * @return {@code true} if it matches
	 */
	boolean matches(String workflow, WorkflowStatus status, @Nullable String business) {
		return (this.workflowId == null || this.workflowId.equals(workflow))
				&& (this.statuses.isEmpty() || this.statuses.contains(status))
				&& (this.businessId == null || this.businessId.equals(business));
	}

	/**
	 * The query as request parameters, in a stable order, leaving defaults out.
	 * @return name and value pairs
	 */
	List<String[]> parameters() {
		List<String[]> parameters = new ArrayList<>();
		add(parameters, "workflow", this.workflowId);
		sortedStatuses().forEach((status) -> add(parameters, "status", status.name()));
		add(parameters, "businessId", this.businessId);
		add(parameters, "id", this.idOrKey);
		if (this.limit != DEFAULT_LIMIT) {
			add(parameters, "limit", Integer.toString(this.limit));
		}
		if (this.offset != 0) {
			add(parameters, "offset", Integer.toString(this.offset));
		}
		return parameters;
	}

	/**
	 * The states asked for, in their declared order.
	 * @return the states
	 */
	List<WorkflowStatus> sortedStatuses() {
		return Arrays.stream(WorkflowStatus.values()).filter(this.statuses::contains).toList();
	}

	private static void add(List<String[]> parameters, String name, @Nullable String value) {
		if (value != null) {
			parameters.add(new String[] { name, value });
		}
	}

	private static Set<WorkflowStatus> statuses(@Nullable List<String> values) {
		Set<WorkflowStatus> statuses = EnumSet.noneOf(WorkflowStatus.class);
		if (values == null) {
			return statuses;
		}
		for (String value : values) {
			for (String name : value.split(",")) {
				if (!name.isBlank()) {
					statuses.add(status(name.trim()));
				}
			}
		}
		return statuses;
	}

	private static WorkflowStatus status(String name) {
		try {
			return WorkflowStatus.valueOf(name.toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new DashboardException(HttpStatus.BAD_REQUEST,
					"Unknown status " + Forms.echo(name) + ": use one of " + Arrays.toString(WorkflowStatus.values()));
		}
	}

	private static int limit(@Nullable String value) {
		if (value == null || value.isBlank()) {
			return DEFAULT_LIMIT;
		}
		Integer limit = Forms.wholeNumber(value);
		if (limit == null || limit < 1 || limit > MAX_LIMIT) {
			throw new DashboardException(HttpStatus.BAD_REQUEST,
					"limit must be a whole number from 1 to " + MAX_LIMIT + " but was " + Forms.echo(value));
		}
		return limit;
	}

	private static int offset(@Nullable String value) {
		if (value == null || value.isBlank()) {
			return 0;
		}
		Integer offset = Forms.wholeNumber(value);
		if (offset == null) {
			throw new DashboardException(HttpStatus.BAD_REQUEST,
					"offset must be a whole number from 0 but was " + Forms.echo(value));
		}
		return offset;
	}

}
