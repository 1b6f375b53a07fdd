package io.orchwf.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

import io.orchwf.WorkflowStatus;
import org.jspecify.annotations.Nullable;

/**
 * The part of an instance row that transitions change.
 *
 * @param status the instance state
 * @param output the workflow output, JSON values
 * @param error the failure being handled or that ended the instance, or {@code null}
 * @param startedAt when the instance started running, or {@code null}
 * @param completedAt when it finished, or {@code null}
 * @param wakeAt when the instance becomes claimable once its lease is released, or
 * {@code null}
 */
public record InstanceState(WorkflowStatus status, Map<String, Object> output, @Nullable String error,
		@Nullable Instant startedAt, @Nullable Instant completedAt, @Nullable Instant wakeAt) {

	/**
	 * Create an instance state.
	 * @param status the instance state
	 * @param output the workflow output
	 * @param error the failure, or {@code null}
	 * @param startedAt when it started, or {@code null}
	 * @param completedAt when it finished, or {@code null}
	 * @param wakeAt when it becomes claimable, or {@code null}
	 */
	public InstanceState {
		Objects.requireNonNull(status, "status");
		Objects.requireNonNull(output, "output");
	}

}
