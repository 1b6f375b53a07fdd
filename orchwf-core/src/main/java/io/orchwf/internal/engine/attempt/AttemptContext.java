package io.orchwf.internal.engine.attempt;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.orchwf.StepContext;
import io.orchwf.StepResult;
import io.orchwf.internal.json.JsonValues;
import org.jspecify.annotations.Nullable;

/**
 * The {@link StepContext} of one attempt.
 */
public final class AttemptContext implements StepContext {

	private final AttemptOwner run;

	private final Attempt attempt;

	private final String stepId;

	public AttemptContext(AttemptOwner run, Attempt attempt, String stepId) {
		this.run = run;
		this.attempt = attempt;
		this.stepId = stepId;
	}

	@Override
	public String instanceId() {
		return this.run.instanceId();
	}

	@Override
	public String workflowId() {
		return this.run.workflowId();
	}

	@Override
	public String stepId() {
		return this.stepId;
	}

	@Override
	public int attempt() {
		return this.attempt.number();
	}

	@Override
	public Map<String, Object> input() {
		return this.attempt.input();
	}

	@Override
	public <T> @Nullable T get(String key, Class<T> type) {
		return JsonValues.convert(this.attempt.input().get(key), type, "input value '" + key + "'");
	}

	@Override
	public Map<String, Object> stepOutput(String stepId) {
		return this.run.outputVisibleTo(this.attempt, stepId);
	}

	@Override
	public Optional<StepResult> stepResult(String stepId) {
		return this.run.resultVisibleTo(this.attempt, stepId);
	}

	@Override
	public Map<String, Object> metadata() {
		return this.run.metadata();
	}

	@Override
	public String idempotencyKey() {
		int element = this.attempt.element();
		return this.run.instanceId() + ":" + this.stepId + ((element != Attempt.NO_ELEMENT) ? ":" + element : "");
	}

	@Override
	public List<Map<String, Object>> signals(String name) {
		return this.run.signals(name);
	}

	@Override
	public boolean isCancelled() {
		return this.attempt.isInterrupted();
	}

	@Override
	public String toString() {
		return "StepContext[instance=" + instanceId() + ", step=" + this.stepId + ", attempt=" + attempt() + "]";
	}

}
