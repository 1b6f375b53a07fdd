package io.orchwf.internal.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

import io.orchwf.RetryPolicy;
import io.orchwf.StepDefinition;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowDefinition;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.store.StepRecord;
import io.orchwf.store.WorkflowKey;

/**
 * A {@link WorkflowDefinition} compiled for execution: steps by index, dependency edges
 * as arrays, the topological order that fixes data flow, and each step's effective retry
 * policy and timeout. Built once at registration, read concurrently afterwards.
 */
public final class WorkflowPlan {

	private final WorkflowDefinition definition;

	private final WorkflowKey key;

	private final StepDefinition[] steps;

	private final Map<String, Integer> indexById;

	private final int[][] dependencies;

	private final int[] topologicalOrder;

	private final int[][] ancestorsInTopologicalOrder;

	private final boolean[][] isAncestor;

	private final int[] schedulingOrder;

	private final RetryPolicy[] retryPolicies;

	private final Duration[] timeouts;

	private final String[] outputNames;

	/** Each step's row before it first runs, the same for every instance. */
	private final StepRecord[] pendingRecords;

	/**
	 * Compile a definition.
	 * @param definition the validated definition
	 * @param defaultRetryPolicy the policy of steps that set none
	 * @param defaultTimeout the timeout of steps that set none
	 */
	public WorkflowPlan(WorkflowDefinition definition, RetryPolicy defaultRetryPolicy, Duration defaultTimeout) {
		this.definition = definition;
		this.key = new WorkflowKey(definition.id(), definition.version());
		List<StepDefinition> list = definition.steps();
		int count = list.size();
		this.steps = list.toArray(StepDefinition[]::new);
		this.indexById = new HashMap<>();
		this.outputNames = new String[count];
		this.pendingRecords = new StepRecord[count];
		for (int i = 0; i < count; i++) {
			this.indexById.put(this.steps[i].id(), i);
			this.outputNames[i] = "output of step " + this.steps[i].id();
			// with the engine's empty output, so that a step state made from it knows it
			// as its own row
			this.pendingRecords[i] = new StepRecord(this.steps[i].id(), i, StepStatus.PENDING, 0, JsonObject.empty(),
					null, null, null, null, null, 0);
		}
		this.dependencies = new int[count][];
		for (int i = 0; i < count; i++) {
			this.dependencies[i] = this.steps[i].dependsOn().stream().mapToInt(this.indexById::get).toArray();
		}
		this.topologicalOrder = topologicalOrder(this.dependencies);
		this.isAncestor = ancestors(this.dependencies, this.topologicalOrder);
		this.ancestorsInTopologicalOrder = new int[count][];
		for (int i = 0; i < count; i++) {
			final int step = i;
			this.ancestorsInTopologicalOrder[i] = Arrays.stream(this.topologicalOrder)
				.filter((candidate) -> this.isAncestor[step][candidate])
				.toArray();
		}
		this.schedulingOrder = java.util.stream.IntStream.range(0, count)
			.boxed()
			.sorted(Comparator.comparingInt((Integer i) -> -this.steps[i].priority()).thenComparingInt((i) -> i))
			.mapToInt(Integer::intValue)
			.toArray();
		this.retryPolicies = new RetryPolicy[count];
		this.timeouts = new Duration[count];
		for (int i = 0; i < count; i++) {
			this.retryPolicies[i] = this.steps[i].retryPolicy().orElse(defaultRetryPolicy);
			this.timeouts[i] = this.steps[i].timeout().orElse(defaultTimeout);
		}
	}

	private static int[] topologicalOrder(int[][] dependencies) {
		int count = dependencies.length;
		int[] waitingOn = new int[count];
		List<List<Integer>> dependents = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			dependents.add(new ArrayList<>());
		}
		for (int i = 0; i < count; i++) {
			waitingOn[i] = dependencies[i].length;
			for (int dependency : dependencies[i]) {
				dependents.get(dependency).add(i);
			}
		}
		// Kahn's algorithm, taking the earliest-defined ready step first, so that the
		// merge order of outputs is stable and follows the definition where it can.
		PriorityQueue<Integer> ready = new PriorityQueue<>();
		for (int i = 0; i < count; i++) {
			if (waitingOn[i] == 0) {
				ready.add(i);
			}
		}
		int[] order = new int[count];
		int next = 0;
		while (!ready.isEmpty()) {
			int step = ready.poll();
			order[next++] = step;
			for (int dependent : dependents.get(step)) {
				if (--waitingOn[dependent] == 0) {
					ready.add(dependent);
				}
			}
		}
		if (next != count) {
			throw new IllegalStateException("dependency cycle in a validated definition");
		}
		return order;
	}

	private static boolean[][] ancestors(int[][] dependencies, int[] topologicalOrder) {
		int count = dependencies.length;
		boolean[][] ancestors = new boolean[count][count];
		for (int step : topologicalOrder) {
			for (int dependency : dependencies[step]) {
				ancestors[step][dependency] = true;
				for (int i = 0; i < count; i++) {
					ancestors[step][i] |= ancestors[dependency][i];
				}
			}
		}
		return ancestors;
	}

	/**
	 * Whether some step waits for signals: a signal wait, or a child workflow, whose end
	 * arrives as a signal.
	 * @return {@code true} if the instance's signals matter to its run
	 */
	public boolean waitsForSignals() {
		for (StepDefinition step : this.steps) {
			if (step.kind() == StepDefinition.Kind.AWAIT_SIGNAL || step.kind() == StepDefinition.Kind.CHILD_WORKFLOW) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The workflow definition.
	 * @return the definition
	 */
	public WorkflowDefinition definition() {
		return this.definition;
	}

	/**
	 * The workflow id and version.
	 * @return the key
	 */
	public WorkflowKey key() {
		return this.key;
	}

	/**
	 * The number of steps.
	 * @return the step count
	 */
	public int size() {
		return this.steps.length;
	}

	/**
	 * A step's row before it first runs: immutable, so every new instance shares it.
	 * @param index the step's index in definition order
	 * @return the pending row
	 */
	public StepRecord pendingRecord(int index) {
		return this.pendingRecords[index];
	}

	/**
	 * A step by index.
	 * @param index the step's index in definition order
	 * @return the step
	 */
	public StepDefinition step(int index) {
		return this.steps[index];
	}

	/**
	 * What a step's output is called in errors, joined once rather than for every
	 * attempt.
	 * @param index the step's index
	 * @return the description
	 */
	public String outputName(int index) {
		return this.outputNames[index];
	}

	/**
	 * A step's index.
	 * @param stepId the step id
	 * @return the index, or -1 if the workflow has no such step
	 */
	public int indexOf(String stepId) {
		Integer index = this.indexById.get(stepId);
		return (index != null) ? index : -1;
	}

	/**
	 * The direct dependencies of a step.
	 * @param index the step's index
	 * @return the indexes of its dependencies
	 */
	public int[] dependencies(int index) {
		return this.dependencies[index];
	}

	/**
	 * Every step in topological order, earliest-defined first among ready steps.
	 * @return step indexes
	 */
	public int[] topologicalOrder() {
		return this.topologicalOrder;
	}

	/**
	 * A step's ancestors (direct and indirect dependencies) in topological order: the
	 * order in which their outputs are laid over the workflow input.
	 * @param index the step's index
	 * @return the ancestors' indexes
	 */
	public int[] ancestorsInTopologicalOrder(int index) {
		return this.ancestorsInTopologicalOrder[index];
	}

	/**
	 * Whether one step is an ancestor of another.
	 * @param index the step
	 * @param candidate the possible ancestor
	 * @return {@code true} if {@code index} depends on {@code candidate}, directly or not
	 */
	public boolean isAncestor(int index, int candidate) {
		return this.isAncestor[index][candidate];
	}

	/**
	 * Every step, highest priority first, ties in definition order: the order in which
	 * steps ready at the same time start.
	 * @return step indexes
	 */
	public int[] schedulingOrder() {
		return this.schedulingOrder;
	}

	/**
	 * A step's effective retry policy.
	 * @param index the step's index
	 * @return its own policy, else the orchestrator's default
	 */
	public RetryPolicy retryPolicy(int index) {
		return this.retryPolicies[index];
	}

	/**
	 * A step's effective attempt timeout.
	 * @param index the step's index
	 * @return its own timeout, else the orchestrator's default
	 */
	public Duration timeout(int index) {
		return this.timeouts[index];
	}

}
