package io.orchwf.internal.engine.attempt;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.orchwf.StepDefinition;
import io.orchwf.internal.engine.pool.StepPools;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.internal.json.JsonValues;
import io.orchwf.internal.plan.WorkflowPlan;
import io.orchwf.store.StateStore;
import org.jspecify.annotations.Nullable;

/**
 * Runs the attempts of one instance: on the worker pool for async steps, on the
 * instance's lane for sync steps and compensations, each bounded by its timeout, with its
 * result normalized and checked against the store before it is reported to the run.
 */
public final class AttemptRunner {

	private final StepPools pools;

	private final ScheduledExecutorService timers;

	private final StateStore store;

	private final WorkflowPlan plan;

	private final AttemptOwner run;

	/**
	 * Create the runner of one instance's attempts.
	 * @param pools the node's pools; the run is the key of its lane
	 * @param timers the node's timer, which bounds attempts by their timeouts
	 * @param store the store, which checks that outputs can be stored
	 * @param plan the instance's workflow version
	 * @param run the run the attempts report to
	 */
	public AttemptRunner(StepPools pools, ScheduledExecutorService timers, StateStore store, WorkflowPlan plan,
			AttemptOwner run) {
		this.pools = pools;
		this.timers = timers;
		this.store = store;
		this.plan = plan;
		this.run = run;
	}

	public void launch(Attempt attempt) {
		StepDefinition step = this.plan.step(attempt.step());
		// the elements of a forEach step always share the worker pool
		if ((step.async() || attempt.element() != Attempt.NO_ELEMENT) && !attempt.compensation()) {
			this.pools.submitAsync(step.priority(), () -> execute(attempt));
		}
		else {
			this.pools.submitLane(this.run, () -> execute(attempt));
		}
	}

	private void execute(Attempt attempt) {
		if (!attempt.enter()) {
			return;
		}
		armTimeout(attempt);
		StepDefinition step = this.plan.step(attempt.step());
		Map<String, Object> result = null;
		Throwable failure = null;
		this.pools.stepStarted();
		try {
			AttemptContext context = new AttemptContext(this.run, attempt, step.id());
			if (attempt.compensation()) {
				Objects.requireNonNull(step.compensator().orElse(null), "compensator").compensate(context);
			}
			else {
				result = step.executor().execute(context);
			}
		}
		catch (Throwable ex) {
			failure = ex;
		}
		finally {
			attempt.exit();
			this.pools.stepEnded();
		}
		if (failure != null) {
			this.run.finished(attempt, null, StepFailure.of(failure));
		}
		else if (attempt.compensation()) {
			this.run.finished(attempt, null, null);
		}
		else {
			reportOutput(attempt, step, result);
		}
	}

	private void armTimeout(Attempt attempt) {
		Duration timeout = this.plan.timeout(attempt.step());
		try {
			attempt.timeout(this.timers.schedule(() -> this.pools.submitLane(null, () -> this.run.timedOut(attempt)),
					timeout.toNanos(), TimeUnit.NANOSECONDS));
		}
		catch (RejectedExecutionException ex) {
			// the node is closing: the attempt runs unbounded until the drain ends
		}
	}

	private void reportOutput(Attempt attempt, StepDefinition step, @Nullable Map<String, Object> result) {
		String what = this.plan.outputName(attempt.step());
		JsonObject output;
		try {
			output = JsonValues.object(result, what);
			this.store.checkValue(output, what);
		}
		catch (IllegalArgumentException ex) {
			this.run.finished(attempt, null, StepFailure.permanent("invalid_output", ex.getMessage()));
			return;
		}
		this.run.finished(attempt, output, null);
	}

}
