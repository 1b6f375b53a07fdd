package io.orchwf.internal.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.orchwf.StepInstance;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowResult;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.StepRecord;
import io.orchwf.store.StoredInstance;

/**
 * Turns stored rows into the API's value types.
 */
final class InstanceViews {

	private InstanceViews() {
	}

	static WorkflowInstance instance(StoredInstance stored) {
		InstanceRecord row = stored.instance();
		List<StepRecord> stepRows = new ArrayList<>(stored.steps());
		stepRows.sort(Comparator.comparingInt(StepRecord::position));
		List<StepInstance> steps = new ArrayList<>(stepRows.size());
		for (StepRecord step : stepRows) {
			steps.add(new StepInstance(step.stepId(), step.status(), step.output(), Optional.ofNullable(step.error()),
					Optional.ofNullable(step.errorType()), step.attempts(), Optional.ofNullable(step.startedAt()),
					Optional.ofNullable(step.completedAt())));
		}
		return new WorkflowInstance(row.id(), row.workflowId(), row.workflowVersion(), row.status(), row.input(),
				row.output(), Optional.ofNullable(row.error()), steps, row.metadata(), row.traceId(),
				row.correlationId(), row.businessId(), row.createdAt(), row.startedAt(),
				Optional.ofNullable(row.completedAt()));
	}

	static WorkflowResult result(StoredInstance stored) {
		return new WorkflowResult(instance(stored));
	}

}
