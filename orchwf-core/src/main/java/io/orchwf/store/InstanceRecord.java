package io.orchwf.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import io.orchwf.WorkflowStatus;
import org.jspecify.annotations.Nullable;

/**
 * The stored row of one workflow instance: identity, data, state and lease.
 *
 * <p>
 * An instance is claimable by a node when it has no live lease and either its
 * {@code wakeAt} is due, or its lease expired while it was {@code RUNNING} or
 * {@code COMPENSATING}. Claiming increments {@code fence}; every later write of the owner
 * carries the fence it claimed with, so the writes of a node that lost its lease are
 * rejected.
 *
 * @param id the instance id
 * @param workflowId the workflow definition id
 * @param workflowVersion the definition version the instance runs on
 * @param status the instance state
 * @param input the workflow input, JSON values
 * @param output the workflow output, JSON values
 * @param error why the instance failed or was cancelled, or {@code null}; set on a
 * non-terminal instance, it records the failure that is being drained or compensated
 * @param metadata the instance metadata, JSON values
 * @param traceId the trace id
 * @param correlationId the correlation id
 * @param businessId the business id, or {@code null}
 * @param idempotencyKey the start's idempotency key, or {@code null}
 * @param createdAt when the instance was created
 * @param startedAt when it started running, or {@code null}
 * @param completedAt when it finished, or {@code null}
 * @param wakeAt when an unleased instance becomes claimable, or {@code null} if it waits
 * for something other than time (or has finished)
 * @param leaseOwner the node that drives the instance, or {@code null}
 * @param leaseExpiresAt when the owner's lease ends, or {@code null}
 * @param fence incremented by each claim; writes must carry the current value
 * @param cancelReason a cancellation requested from another node, not yet acted on, or
 * {@code null}
 * @param flow its key, priority and workflow limits; {@link FlowControl#NONE} for an
 * instance of an unlimited workflow
 */
public record InstanceRecord(String id, String workflowId, String workflowVersion, WorkflowStatus status,
		Map<String, Object> input, Map<String, Object> output, @Nullable String error, Map<String, Object> metadata,
		String traceId, String correlationId, @Nullable String businessId, @Nullable String idempotencyKey,
		Instant createdAt, @Nullable Instant startedAt, @Nullable Instant completedAt, @Nullable Instant wakeAt,
		@Nullable String leaseOwner, @Nullable Instant leaseExpiresAt, long fence, @Nullable String cancelReason,
		FlowControl flow) {

	/**
	 * Create an instance row.
	 * @param id the instance id
	 * @param workflowId the workflow definition id
	 * @param workflowVersion the definition version
	 * @param status the instance state
	 * @param input the workflow input
	 * @param output the workflow output
	 * @param error the failure, or {@code null}
	 * @param metadata the instance metadata
	 * @param traceId the trace id
	 * @param correlationId the correlation id
	 * @param businessId the business id, or {@code null}
	 * @param idempotencyKey the idempotency key, or {@code null}
	 * @param createdAt when the instance was created
	 * @param startedAt when it started, or {@code null}
	 * @param completedAt when it finished, or {@code null}
	 * @param wakeAt when it becomes claimable, or {@code null}
	 * @param leaseOwner the owning node, or {@code null}
	 * @param leaseExpiresAt when the lease ends, or {@code null}
	 * @param fence the fencing version
	 * @param cancelReason a pending cancellation, or {@code null}
	 * @param flow its key, priority and limits
	 */
	public InstanceRecord {
		Objects.requireNonNull(id, "id");
		Objects.requireNonNull(workflowId, "workflowId");
		Objects.requireNonNull(workflowVersion, "workflowVersion");
		Objects.requireNonNull(status, "status");
		Objects.requireNonNull(input, "input");
		Objects.requireNonNull(output, "output");
		Objects.requireNonNull(metadata, "metadata");
		Objects.requireNonNull(traceId, "traceId");
		Objects.requireNonNull(correlationId, "correlationId");
		Objects.requireNonNull(createdAt, "createdAt");
		Objects.requireNonNull(flow, "flow");
	}

	/**
	 * Create the row of an instance of a workflow without concurrency limits.
	 * @param id the instance id
	 * @param workflowId the workflow definition id
	 * @param workflowVersion the definition version
	 * @param status the instance state
	 * @param input the workflow input
	 * @param output the workflow output
	 * @param error the failure, or {@code null}
	 * @param metadata the instance metadata
	 * @param traceId the trace id
	 * @param correlationId the correlation id
	 * @param businessId the business id, or {@code null}
	 * @param idempotencyKey the idempotency key, or {@code null}
	 * @param createdAt when the instance was created
	 * @param startedAt when it started, or {@code null}
	 * @param completedAt when it finished, or {@code null}
	 * @param wakeAt when it becomes claimable, or {@code null}
	 * @param leaseOwner the owning node, or {@code null}
	 * @param leaseExpiresAt when the lease ends, or {@code null}
	 * @param fence the fencing version
	 * @param cancelReason a pending cancellation, or {@code null}
	 */
	public InstanceRecord(String id, String workflowId, String workflowVersion, WorkflowStatus status,
			Map<String, Object> input, Map<String, Object> output, @Nullable String error, Map<String, Object> metadata,
			String traceId, String correlationId, @Nullable String businessId, @Nullable String idempotencyKey,
			Instant createdAt, @Nullable Instant startedAt, @Nullable Instant completedAt, @Nullable Instant wakeAt,
			@Nullable String leaseOwner, @Nullable Instant leaseExpiresAt, long fence, @Nullable String cancelReason) {
		this(id, workflowId, workflowVersion, status, input, output, error, metadata, traceId, correlationId,
				businessId, idempotencyKey, createdAt, startedAt, completedAt, wakeAt, leaseOwner, leaseExpiresAt,
				fence, cancelReason, FlowControl.NONE);
	}

	/**
	 * This row with a new mutable state, as an {@link InstanceUpdate} writes it.
	 * @param state the new state
	 * @return the changed row
	 */
	public InstanceRecord with(InstanceState state) {
		return new InstanceRecord(this.id, this.workflowId, this.workflowVersion, state.status(), this.input,
				state.output(), state.error(), this.metadata, this.traceId, this.correlationId, this.businessId,
				this.idempotencyKey, this.createdAt, state.startedAt(), state.completedAt(), state.wakeAt(),
				this.leaseOwner, this.leaseExpiresAt, this.fence, this.cancelReason, this.flow);
	}

	/**
	 * This row leased to a node with the next fence, as a claim writes it.
	 * @param owner the claiming node
	 * @param expiresAt when the lease ends, or {@code null} if the store keeps it
	 * elsewhere (with the node)
	 * @return the changed row
	 */
	public InstanceRecord leasedTo(String owner, @Nullable Instant expiresAt) {
		return new InstanceRecord(this.id, this.workflowId, this.workflowVersion, this.status, this.input, this.output,
				this.error, this.metadata, this.traceId, this.correlationId, this.businessId, this.idempotencyKey,
				this.createdAt, this.startedAt, this.completedAt, this.wakeAt, owner, expiresAt, this.fence + 1,
				this.cancelReason, this.flow);
	}

	/**
	 * This row with its lease renewed or released.
	 * @param owner the owner, or {@code null} to release
	 * @param expiresAt when the lease ends, or {@code null} to release
	 * @return the changed row
	 */
	public InstanceRecord withLease(@Nullable String owner, @Nullable Instant expiresAt) {
		return new InstanceRecord(this.id, this.workflowId, this.workflowVersion, this.status, this.input, this.output,
				this.error, this.metadata, this.traceId, this.correlationId, this.businessId, this.idempotencyKey,
				this.createdAt, this.startedAt, this.completedAt, this.wakeAt, owner, expiresAt, this.fence,
				this.cancelReason, this.flow);
	}

	/**
	 * This row with a cancellation requested or cleared, and its wake-up time.
	 * @param reason the cancellation reason, or {@code null} to clear it
	 * @param wakeAt the new wake-up time, or {@code null}
	 * @return the changed row
	 */
	public InstanceRecord withCancelRequest(@Nullable String reason, @Nullable Instant wakeAt) {
		return new InstanceRecord(this.id, this.workflowId, this.workflowVersion, this.status, this.input, this.output,
				this.error, this.metadata, this.traceId, this.correlationId, this.businessId, this.idempotencyKey,
				this.createdAt, this.startedAt, this.completedAt, wakeAt, this.leaseOwner, this.leaseExpiresAt,
				this.fence, reason, this.flow);
	}

	/**
	 * The mutable part of this row.
	 * @return the state
	 */
	public InstanceState state() {
		return new InstanceState(this.status, this.output, this.error, this.startedAt, this.completedAt, this.wakeAt);
	}

}
