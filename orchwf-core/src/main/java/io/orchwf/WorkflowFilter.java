package io.orchwf;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Which workflow instances {@link Orchestrator#list} returns. Every criterion is
 * optional; set criteria must all match.
 *
 * <pre>{@code
 * WorkflowFilter failedOrders = WorkflowFilter.builder()
 *     .workflowId("order_processing")
 *     .status(WorkflowStatus.FAILED)
 *     .build();
 * }</pre>
 */
public final class WorkflowFilter {

	private static final WorkflowFilter ALL = builder().build();

	private final @Nullable String workflowId;

	private final Set<WorkflowStatus> statuses;

	private final @Nullable String businessId;

	private final @Nullable String correlationId;

	private final @Nullable String traceId;

	private final @Nullable String idempotencyKey;

	private final @Nullable Instant createdAfter;

	private final @Nullable Instant createdBefore;

	private WorkflowFilter(Builder builder) {
		this.workflowId = builder.workflowId;
		this.statuses = Collections.unmodifiableSet(builder.statuses.clone());
		this.businessId = builder.businessId;
		this.correlationId = builder.correlationId;
		this.traceId = builder.traceId;
		this.idempotencyKey = builder.idempotencyKey;
		this.createdAfter = builder.createdAfter;
		this.createdBefore = builder.createdBefore;
	}

	/**
	 * Start building a filter.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * The filter that matches every instance.
	 * @return the empty filter
	 */
	public static WorkflowFilter all() {
		return ALL;
	}

	/**
	 * Start building a filter with this one's criteria, to change some of them.
	 * @return a new builder holding every criterion of this filter
	 */
	public Builder toBuilder() {
		Builder builder = new Builder();
		builder.workflowId = this.workflowId;
		builder.statuses = this.statuses.isEmpty() ? EnumSet.noneOf(WorkflowStatus.class)
				: EnumSet.copyOf(this.statuses);
		builder.businessId = this.businessId;
		builder.correlationId = this.correlationId;
		builder.traceId = this.traceId;
		builder.idempotencyKey = this.idempotencyKey;
		builder.createdAfter = this.createdAfter;
		builder.createdBefore = this.createdBefore;
		return builder;
	}

	/**
	 * Only instances of this workflow id.
	 * @return the workflow id, or empty for any
	 */
	public Optional<String> workflowId() {
		return Optional.ofNullable(this.workflowId);
	}

	/**
	 * Only instances in one of these states.
	 * @return a read-only set; empty for any state
	 */
	public Set<WorkflowStatus> statuses() {
		return this.statuses;
	}

	/**
	 * Only instances with this business id.
	 * @return the business id, or empty for any
	 */
	public Optional<String> businessId() {
		return Optional.ofNullable(this.businessId);
	}

	/**
	 * Only instances with this correlation id.
	 * @return the correlation id, or empty for any
	 */
	public Optional<String> correlationId() {
		return Optional.ofNullable(this.correlationId);
	}

	/**
	 * Only instances with this trace id.
	 * @return the trace id, or empty for any
	 */
	public Optional<String> traceId() {
		return Optional.ofNullable(this.traceId);
	}

	/**
	 * Only the instance started with this idempotency key.
	 * @return the key, or empty for any
	 */
	public Optional<String> idempotencyKey() {
		return Optional.ofNullable(this.idempotencyKey);
	}

	/**
	 * Only instances created at or after this time.
	 * @return the lower bound, or empty for none
	 */
	public Optional<Instant> createdAfter() {
		return Optional.ofNullable(this.createdAfter);
	}

	/**
	 * Only instances created before this time.
	 * @return the upper bound, or empty for none
	 */
	public Optional<Instant> createdBefore() {
		return Optional.ofNullable(this.createdBefore);
	}

	@Override
	public String toString() {
		return "WorkflowFilter[workflowId=" + this.workflowId + ", statuses=" + this.statuses + ", businessId="
				+ this.businessId + ", correlationId=" + this.correlationId + ", traceId=" + this.traceId
				+ ", idempotencyKey=" + this.idempotencyKey + ", createdAfter=" + this.createdAfter + ", createdBefore="
				+ this.createdBefore + "]";
	}

	/**
	 * Builds a {@link WorkflowFilter}.
	 */
	public static final class Builder {

		private @Nullable String workflowId;

		private EnumSet<WorkflowStatus> statuses = EnumSet.noneOf(WorkflowStatus.class);

		private @Nullable String businessId;

		private @Nullable String correlationId;

		private @Nullable String traceId;

		private @Nullable String idempotencyKey;

		private @Nullable Instant createdAfter;

		private @Nullable Instant createdBefore;

		private Builder() {
		}

		/**
		 * Only instances of this workflow id.
		 * @param workflowId the workflow id, or {@code null} for any
		 * @return this builder
		 * @throws IllegalArgumentException if it contains U+0000 or an unpaired surrogate
		 */
		public Builder workflowId(@Nullable String workflowId) {
			this.workflowId = StorableText.require(workflowId, "workflowId");
			return this;
		}

		/**
		 * Only instances in one of these states; replaces earlier states.
		 * @param statuses the states; none for any
		 * @return this builder
		 */
		public Builder status(WorkflowStatus... statuses) {
			this.statuses = EnumSet.noneOf(WorkflowStatus.class);
			if (statuses != null) {
				this.statuses.addAll(Arrays.asList(statuses));
			}
			return this;
		}

		/**
		 * Only instances with this business id (metadata key {@code business_id}).
		 * @param businessId the business id, or {@code null} for any
		 * @return this builder
		 * @throws IllegalArgumentException if it contains U+0000 or an unpaired surrogate
		 */
		public Builder businessId(@Nullable String businessId) {
			this.businessId = StorableText.require(businessId, "businessId");
			return this;
		}

		/**
		 * Only instances with this correlation id.
		 * @param correlationId the correlation id, or {@code null} for any
		 * @return this builder
		 * @throws IllegalArgumentException if it contains U+0000 or an unpaired surrogate
		 */
		public Builder correlationId(@Nullable String correlationId) {
			this.correlationId = StorableText.require(correlationId, "correlationId");
			return this;
		}

		/**
		 * Only the instance started with this idempotency key
		 * ({@link StartOptions.Builder#idempotencyKey}).
		 * @param idempotencyKey the key, or {@code null} for any
		 * @return this builder
		 * @throws IllegalArgumentException if it contains U+0000 or an unpaired surrogate
		 */
		public Builder idempotencyKey(@Nullable String idempotencyKey) {
			this.idempotencyKey = StorableText.require(idempotencyKey, "idempotencyKey");
			return this;
		}

		/**
		 * Only instances with this trace id.
		 * @param traceId the trace id, or {@code null} for any
		 * @return this builder
		 * @throws IllegalArgumentException if it contains U+0000 or an unpaired surrogate
		 */
		public Builder traceId(@Nullable String traceId) {
			this.traceId = StorableText.require(traceId, "traceId");
			return this;
		}

		/**
		 * Only instances created at or after this time.
		 * @param createdAfter the lower bound, or {@code null} for none
		 * @return this builder
		 */
		public Builder createdAfter(@Nullable Instant createdAfter) {
			this.createdAfter = createdAfter;
			return this;
		}

		/**
		 * Only instances created before this time.
		 * @param createdBefore the upper bound, or {@code null} for none
		 * @return this builder
		 */
		public Builder createdBefore(@Nullable Instant createdBefore) {
			this.createdBefore = createdBefore;
			return this;
		}

		/**
		 * Build the filter.
		 * @return the filter
		 */
		public WorkflowFilter build() {
			return new WorkflowFilter(this);
		}

	}

}
