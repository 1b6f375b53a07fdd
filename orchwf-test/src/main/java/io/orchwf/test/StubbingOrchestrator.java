package io.orchwf.test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.orchwf.Orchestrator;
import io.orchwf.Page;
import io.orchwf.Schedule;
import io.orchwf.ScheduleInfo;
import io.orchwf.StartOptions;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowResult;
import io.orchwf.event.WorkflowEvent;
import org.jspecify.annotations.Nullable;

/**
 * An orchestrator that registers every workflow so that its steps consult the test
 * environment's stubs, and otherwise does what the orchestrator it wraps does.
 * {@link #workflows()} answers the definitions as they were written.
 */
final class StubbingOrchestrator implements Orchestrator {

	private final Orchestrator delegate;

	private final StepStubs stubs;

	private final Map<String, WorkflowDefinition> written = new ConcurrentHashMap<>();

	StubbingOrchestrator(Orchestrator delegate, StepStubs stubs) {
		this.delegate = delegate;
		this.stubs = stubs;
	}

	@Override
	public void register(WorkflowDefinition definition) {
		this.delegate.register(this.stubs.stubbable(definition));
		this.written.put(definition.id() + "\n" + definition.version(), definition);
	}

	@Override
	public List<WorkflowDefinition> workflows() {
		return this.delegate.workflows()
			.stream()
			.map((registered) -> this.written.getOrDefault(registered.id() + "\n" + registered.version(), registered))
			.toList();
	}

	@Override
	public WorkflowResult start(String workflowId, @Nullable Map<String, ?> input) {
		return this.delegate.start(workflowId, input);
	}

	@Override
	public WorkflowResult start(String workflowId, @Nullable Map<String, ?> input, @Nullable Map<String, ?> metadata) {
		return this.delegate.start(workflowId, input, metadata);
	}

	@Override
	public WorkflowResult start(String workflowId, @Nullable Map<String, ?> input, StartOptions options) {
		return this.delegate.start(workflowId, input, options);
	}

	@Override
	public String startAsync(String workflowId, @Nullable Map<String, ?> input) {
		return this.delegate.startAsync(workflowId, input);
	}

	@Override
	public String startAsync(String workflowId, @Nullable Map<String, ?> input, @Nullable Map<String, ?> metadata) {
		return this.delegate.startAsync(workflowId, input, metadata);
	}

	@Override
	public String startAsync(String workflowId, @Nullable Map<String, ?> input, StartOptions options) {
		return this.delegate.startAsync(workflowId, input, options);
	}

	@Override
	public Optional<WorkflowResult> awaitCompletion(String instanceId, Duration timeout) {
		return this.delegate.awaitCompletion(instanceId, timeout);
	}

	@Override
	public Optional<WorkflowInstance> status(String instanceId) {
		return this.delegate.status(instanceId);
	}

	@Override
	public Page<WorkflowInstance> list(WorkflowFilter filter, int limit, int offset) {
		return this.delegate.list(filter, limit, offset);
	}

	@Override
	public WorkflowResult resume(String instanceId) {
		return this.delegate.resume(instanceId);
	}

	@Override
	public WorkflowResult cancel(String instanceId, String reason) {
		return this.delegate.cancel(instanceId, reason);
	}

	@Override
	public int cancelAll(WorkflowFilter filter, String reason) {
		return this.delegate.cancelAll(filter, reason);
	}

	@Override
	public int resumeAll(WorkflowFilter filter) {
		return this.delegate.resumeAll(filter);
	}

	@Override
	public void signal(String instanceId, String signalName, @Nullable Map<String, ?> payload) {
		this.delegate.signal(instanceId, signalName, payload);
	}

	@Override
	public List<WorkflowEvent> history(String instanceId) {
		return this.delegate.history(instanceId);
	}

	@Override
	public void schedule(Schedule schedule) {
		this.delegate.schedule(schedule);
	}

	@Override
	public boolean unschedule(String name) {
		return this.delegate.unschedule(name);
	}

	@Override
	public List<ScheduleInfo> schedules() {
		return this.delegate.schedules();
	}

	@Override
	public void launch() {
		this.delegate.launch();
	}

	@Override
	public Clock clock() {
		return this.delegate.clock();
	}

	@Override
	public String nodeId() {
		return this.delegate.nodeId();
	}

	@Override
	public int activeInstances() {
		return this.delegate.activeInstances();
	}

	@Override
	public int busyWorkers() {
		return this.delegate.busyWorkers();
	}

	@Override
	public void close() {
		this.delegate.close();
	}

	@Override
	public String toString() {
		return this.delegate.toString();
	}

}
