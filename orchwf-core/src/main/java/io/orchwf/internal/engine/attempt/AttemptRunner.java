package io.orchwf.internal.engine.attempt;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;

import io.orchwf.StepDefinition;
import io.orchwf.internal.engine.pool.StepPools;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.internal.json.JsonValues;
import io.orchwf.internal.plan.WorkflowPlan;
import org.jspecify.annotations.Nullable;

/**
 * Runs the attempts of one instance: on the worker pool for async steps, on the
 * instance's lane for sync steps and compensations, each bounded by its timeout and run
 * within the orchestrator's step interceptors, with its result normalized and checked
 * against the store before it is reported to the run.
 */
public final class AttemptRunner {

	private final AttemptServices services;

	/** One listener for every attempt's timeout, so that arming one allocates nothing. */
	private final WatchedDeadline.Listener onTimeout = this::timedOut;

	private final StepPools pools;

	private final WorkflowPlan plan;

	private final AttemptOwner run;

	/**
	 * Create the runner of one instance's attempts.
	 * @param services what the node's attempts share; the run is the key of its lane
	 * @param plan the instance's workflow version
	 * @param run the run the attempts report to
	 */
	public AttemptRunner(AttemptServices services, WorkflowPlan plan, AttemptOwner run) {
		this.services = services;
		this.pools = services.pools();
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
		if (!attempt.enter(this.services.clock().get())) {
			return;
		}
		armTimeout(attempt);
		StepDefinition step = this.plan.step(attempt.step());
		Map<String, Object> result = null;
		Throwable failure = null;
		this.pools.stepStarted();
		try {
			AttemptContext context = new AttemptContext(this.run, attempt, step.id());
			result = this.services.interception()
				.run(context, attempt.compensation(), attempt.element(), () -> runCode(step, attempt, context));
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

	private static @Nullable Map<String, Object> runCode(StepDefinition step, Attempt attempt, AttemptContext context)
			throws Exception {
		if (attempt.compensation()) {
			Objects.requireNonNull(step.compensator().orElse(null), "compensator").compensate(context);
			return null;
		}
		return step.executor().execute(context);
	}

	private void armTimeout(Attempt attempt) {
		Duration timeout = this.plan.timeout(attempt.step());
		attempt.armTimeout(this.services.deadlines(), this.onTimeout, timeout.toNanos());
	}

	/**
	 * An attempt's timeout passed, on the deadline watch's thread: its run hears of it on
	 * a node thread.
	 */
	private void timedOut(WatchedDeadline deadline) {
		try {
			this.pools.submitLane(null, () -> this.run.timedOut((Attempt) deadline));
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
			this.services.store().checkValue(output, what);
		}
		catch (IllegalArgumentException ex) {
			this.run.finished(attempt, null, StepFailure.permanent("invalid_output", ex.getMessage()));
			return;
		}
		this.run.finished(attempt, output, null);
	}

}
