package io.orchwf.internal.engine.node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orchwf.StartOptions;
import io.orchwf.WorkflowNotFoundException;
import io.orchwf.internal.engine.run.ChildStart;
import io.orchwf.internal.engine.statemachine.ChildLinks;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.internal.json.JsonValues;
import io.orchwf.internal.plan.WorkflowPlan;
import io.orchwf.internal.plan.WorkflowRegistry;
import io.orchwf.store.StateStore;

/**
 * Creates the child instance of a child step: the latest version of its workflow, with
 * the parent's trace, correlation and business ids and the links back to the parent in
 * its metadata, and an idempotency key made from its id, so that a second start of one
 * child (after a lost node) finds the first.
 */
final class ChildInstances {

	private static final String CHILD_KEY_PREFIX = "orchwf:child:";

	private final WorkflowRegistry registry;

	private final StateStore store;

	private final InstanceCreation creation;

	private final NodeLifecycle lifecycle;

	ChildInstances(WorkflowRegistry registry, StateStore store, InstanceCreation creation, NodeLifecycle lifecycle) {
		this.registry = registry;
		this.store = store;
		this.creation = creation;
		this.lifecycle = lifecycle;
	}

	/**
	 * Create and start a child instance, unless it exists.
	 * @param start the child and its parent
	 * @throws WorkflowNotFoundException if no version of the workflow is registered
	 * @throws IllegalArgumentException if the store cannot hold the input
	 * @throws IllegalStateException if the node is closing
	 */
	void create(ChildStart start) {
		WorkflowPlan plan = this.registry.latest(start.workflowId())
			.orElseThrow(() -> new WorkflowNotFoundException(start.workflowId()));
		this.store.checkValue(start.input(), "input");
		JsonObject parentMetadata = start.parentMetadata();
		Map<String, Object> metadata = new LinkedHashMap<>();
		for (String key : List.of(InstanceCreation.TRACE_ID, InstanceCreation.CORRELATION_ID,
				InstanceCreation.BUSINESS_ID)) {
			if (parentMetadata.get(key) != null) {
				metadata.put(key, parentMetadata.get(key));
			}
		}
		metadata.put(ChildLinks.PARENT_INSTANCE_ID, start.parentId());
		metadata.put(ChildLinks.PARENT_STEP_ID, start.stepId());
		metadata.put(ChildLinks.PARENT_WORKFLOW_ID, start.parentWorkflowId());
		StartOptions options = StartOptions.builder().idempotencyKey(CHILD_KEY_PREFIX + start.childId()).build();
		JsonObject childMetadata = this.creation.metadata(JsonValues.object(metadata, "metadata"));
		this.lifecycle
			.whileOpen(() -> this.creation.create(plan, start.input(), childMetadata, options, start.childId()));
	}

}
