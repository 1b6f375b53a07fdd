package io.orchwf.internal.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.orchwf.RetryPolicy;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowDefinitionException;
import io.orchwf.store.WorkflowKey;

/**
 * The workflows an orchestrator can run, by id and version. Registration can happen at
 * any time; reads are lock-free.
 */
public final class WorkflowRegistry {

	private final RetryPolicy defaultRetryPolicy;

	private final Duration defaultTimeout;

	private final Map<String, TreeMap<String, WorkflowPlan>> plans = new ConcurrentHashMap<>();

	private volatile List<WorkflowKey> keys = List.of();

	/**
	 * Create an empty registry.
	 * @param defaultRetryPolicy the policy of steps that set none
	 * @param defaultTimeout the timeout of steps that set none
	 */
	public WorkflowRegistry(RetryPolicy defaultRetryPolicy, Duration defaultTimeout) {
		this.defaultRetryPolicy = defaultRetryPolicy;
		this.defaultTimeout = defaultTimeout;
	}

	/**
	 * Register a definition.
	 * @param definition the definition
	 * @return its compiled plan
	 * @throws WorkflowDefinitionException if another definition with the same id and
	 * version is registered
	 */
	public synchronized WorkflowPlan register(WorkflowDefinition definition) {
		TreeMap<String, WorkflowPlan> versions = new TreeMap<>(WorkflowDefinition.versionOrder());
		TreeMap<String, WorkflowPlan> existing = this.plans.get(definition.id());
		if (existing != null) {
			versions.putAll(existing);
		}
		WorkflowPlan current = versions.get(definition.version());
		if (current != null) {
			if (current.definition() == definition) {
				return current;
			}
			throw new WorkflowDefinitionException(definition.id(), null, "Workflow '" + definition.id() + "' version '"
					+ definition.version() + "' is already registered; give the changed definition a new version");
		}
		WorkflowPlan plan = new WorkflowPlan(definition, this.defaultRetryPolicy, this.defaultTimeout);
		versions.put(definition.version(), plan);
		this.plans.put(definition.id(), versions);
		List<WorkflowKey> keys = new ArrayList<>(this.keys);
		keys.add(plan.key());
		this.keys = List.copyOf(keys);
		return plan;
	}

	/**
	 * The highest registered version of a workflow.
	 * @param workflowId the workflow id
	 * @return its plan, or empty if none is registered
	 */
	public Optional<WorkflowPlan> latest(String workflowId) {
		TreeMap<String, WorkflowPlan> versions = this.plans.get(workflowId);
		return (versions != null) ? Optional.of(versions.lastEntry().getValue()) : Optional.empty();
	}

	/**
	 * One version of a workflow.
	 * @param workflowId the workflow id
	 * @param version the version
	 * @return its plan, or empty if that version is not registered
	 */
	public Optional<WorkflowPlan> find(String workflowId, String version) {
		TreeMap<String, WorkflowPlan> versions = this.plans.get(workflowId);
		return (versions != null) ? Optional.ofNullable(versions.get(version)) : Optional.empty();
	}

	/**
	 * Every registered workflow version.
	 * @return the keys, in registration order
	 */
	public List<WorkflowKey> keys() {
		return this.keys;
	}

	/**
	 * Every registered definition, highest version last within an id.
	 * @return the definitions
	 */
	public List<WorkflowDefinition> definitions() {
		List<WorkflowDefinition> definitions = new ArrayList<>();
		this.plans.values()
			.forEach((versions) -> versions.values().forEach((plan) -> definitions.add(plan.definition())));
		return definitions;
	}

}
