package io.orchwf.spring.dashboard;

import java.util.List;

import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowInstance;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.store.SignalRecord;
import org.jspecify.annotations.Nullable;

/**
 * Everything the instance page shows of one instance.
 *
 * @param instance the instance with its steps
 * @param definition the definition of its workflow version, or {@code null} if this node
 * has not registered that version
 * @param history its events, in order
 * @param signals the signals it received, in arrival order
 * @param idempotencyKey the idempotency key it was started with, or {@code null}
 */
record InstanceView(WorkflowInstance instance, @Nullable WorkflowDefinition definition, List<WorkflowEvent> history,
		List<SignalRecord> signals, @Nullable String idempotencyKey) {

	InstanceView {
		history = List.copyOf(history);
		signals = List.copyOf(signals);
	}

}
