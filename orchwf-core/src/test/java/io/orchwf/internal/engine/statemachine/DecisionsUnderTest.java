package io.orchwf.internal.engine.statemachine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.orchwf.RetryPolicy;
import io.orchwf.StepContext;
import io.orchwf.StepResult;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.internal.engine.attempt.Attempt;
import io.orchwf.internal.engine.attempt.StepFailure;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.internal.json.JsonValues;
import io.orchwf.internal.plan.WorkflowPlan;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.SignalRecord;
import io.orchwf.store.StepRecord;
import org.jspecify.annotations.Nullable;

/**
 * The decisions of one instance, driven by hand: no orchestrator, no store, no threads. A
 * test gives the states (a definition, stored steps, signals), feeds inputs (an attempt
 * ended, time passed) and reads what was decided: the steps and events of each transition
 * and what it asks for after its commit.
 */
final class DecisionsUnderTest {

	static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

	private final WorkflowPlan plan;

	private final InstanceRecord record;

	private final List<SignalRecord> signals = new ArrayList<>();

	private StepBook steps;

	private RunDecisions decisions;

	private Instant now = T0;

	private DecisionsUnderTest(WorkflowDefinition definition, WorkflowStatus status, List<StepRecord> stored) {
		this.plan = new WorkflowPlan(definition, RetryPolicy.none(), Duration.ofMinutes(5));
		this.record = new InstanceRecord("0190b8e2-0000-7000-8000-000000000001", definition.id(), definition.version(),
				status, Map.of("order", "o-1"), Map.of(), null, Map.of(), "t", "c", null, null, T0, null, null, null,
				"node-test", T0.plusSeconds(30), 1, null);
		open(stored);
	}

	/**
	 * A new instance of a workflow.
	 */
	static DecisionsUnderTest newInstance(WorkflowDefinition definition) {
		return new DecisionsUnderTest(definition, WorkflowStatus.PENDING, List.of());
	}

	/**
	 * An instance with stored steps, as a node claims it.
	 */
	static DecisionsUnderTest stored(WorkflowDefinition definition, WorkflowStatus status, StepRecord... steps) {
		return new DecisionsUnderTest(definition, status, List.of(steps));
	}

	private void open(List<StepRecord> stored) {
		this.steps = new StepBook(this.plan, JsonValues.object(this.record.input(), "input"), stored);
		this.decisions = new RunDecisions(new Scope(), this.plan, this.record, JsonObject.empty(), this.steps,
				new SignalBox(this.plan.waitsForSignals(), List.copyOf(this.signals)));
	}

	/**
	 * A signal the instance has received (before it is claimed).
	 */
	DecisionsUnderTest signal(String name, Map<String, Object> payload) {
		this.signals.add(new SignalRecord(this.signals.size() + 1, name, payload, this.now));
		open(this.steps.records());
		return this;
	}

	void advanceTime(Duration duration) {
		this.now = this.now.plus(duration);
	}

	Instant now() {
		return this.now;
	}

	Transition begin() {
		return decide((transition) -> this.decisions.begin(transition, this.now));
	}

	Transition recover() {
		return decide((transition) -> this.decisions.recover(transition, this.now, new CompletableFuture<>()));
	}

	/**
	 * The instance parked or was handed back: a node claims it again from what was
	 * stored, and recovers it.
	 */
	Transition reclaim() {
		open(this.steps.records());
		return recover();
	}

	Transition resumeFailed() {
		return decide((transition) -> this.decisions.resumeFailed(transition, this.now,
				new java.util.concurrent.CompletableFuture<>()));
	}

	Transition completes(Attempt attempt, Map<String, Object> output) {
		return decide((transition) -> this.decisions.finished(transition, attempt, JsonValues.object(output, "output"),
				null, this.now));
	}

	Transition fails(Attempt attempt, StepFailure failure) {
		return decide((transition) -> this.decisions.finished(transition, attempt, null, failure, this.now));
	}

	Transition compensated(Attempt attempt) {
		return decide((transition) -> this.decisions.finished(transition, attempt, null, null, this.now));
	}

	Transition cancel(String reason) {
		return decide((transition) -> this.decisions.cancel(transition, this.now, reason));
	}

	private Transition decide(java.util.function.Consumer<Transition> input) {
		Transition transition = new Transition(this.now);
		input.accept(transition);
		this.decisions.advance(transition, this.now);
		return transition;
	}

	StepStatus status(String stepId) {
		return step(stepId).status;
	}

	StepState step(String stepId) {
		return this.steps.at(this.plan.indexOf(stepId));
	}

	WorkflowStatus workflowStatus() {
		return this.decisions.state().status();
	}

	@Nullable String error() {
		return this.decisions.state().error();
	}

	String stepId(Attempt attempt) {
		return this.plan.step(attempt.step()).id();
	}

	/**
	 * The attempts a transition launches, in order.
	 */
	static List<Attempt> launched(Transition transition) {
		return transition.followUps()
			.stream()
			.filter(FollowUp.Launch.class::isInstance)
			.map((followUp) -> ((FollowUp.Launch) followUp).attempt())
			.toList();
	}

	/**
	 * The ids of the steps whose attempts a transition launches, in order.
	 */
	List<String> launchedSteps(Transition transition) {
		return launched(transition).stream().map(this::stepId).toList();
	}

	static List<String> events(Transition transition) {
		return transition.events()
			.stream()
			.map((event) -> event.type() + ((event.stepId() != null) ? " " + event.stepId() : ""))
			.toList();
	}

	static @Nullable WorkflowEvent event(Transition transition, WorkflowEventType type) {
		return transition.events().stream().filter((event) -> event.type() == type).findFirst().orElse(null);
	}

	static <T extends FollowUp> List<T> followUps(Transition transition, Class<T> type) {
		return transition.followUps().stream().filter(type::isInstance).map(type::cast).toList();
	}

	private final class Scope implements RunScope {

		@Override
		public String nodeId() {
			return "node-test";
		}

		@Override
		public boolean isNodeClosing() {
			return false;
		}

		@Override
		public StepContext contextOf(Attempt attempt) {
			return new ConditionContext(attempt, DecisionsUnderTest.this.steps);
		}

	}

	/**
	 * What a step's condition (or a timer's until function) sees in these tests: the
	 * input of its attempt and the outputs and results of its ancestors.
	 */
	private record ConditionContext(Attempt current, StepBook steps) implements StepContext {

		@Override
		public String instanceId() {
			return "0190b8e2-0000-7000-8000-000000000001";
		}

		@Override
		public String workflowId() {
			return "test";
		}

		@Override
		public String stepId() {
			return "step-" + this.current.step();
		}

		@Override
		public int attempt() {
			return this.current.number();
		}

		@Override
		public Map<String, Object> input() {
			return this.current.input();
		}

		@Override
		public <T> @Nullable T get(String key, Class<T> type) {
			return JsonValues.convert(this.current.input().get(key), type, key);
		}

		@Override
		public Map<String, Object> stepOutput(String stepId) {
			return this.steps.outputVisibleTo(this.current, stepId);
		}

		@Override
		public Optional<StepResult> stepResult(String stepId) {
			return this.steps.resultVisibleTo(this.current, stepId);
		}

		@Override
		public Map<String, Object> metadata() {
			return Map.of();
		}

		@Override
		public String idempotencyKey() {
			return instanceId() + ":" + stepId();
		}

		@Override
		public List<Map<String, Object>> signals(String name) {
			return List.of();
		}

		@Override
		public boolean isCancelled() {
			return false;
		}

	}

}
