package io.orchwf.internal.engine;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.orchwf.StepDefinition;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.internal.json.JsonValues;
import io.orchwf.internal.plan.WorkflowPlan;
import org.jspecify.annotations.Nullable;

/**
 * Runs the attempts of one instance: on the worker pool for async steps, on the
 * instance's lane for sync steps and compensations, each bounded by its timeout, with its
 * result normalized and checked against the store before it is reported to the run.
 */
final class AttemptRunner {

	private final RunHost host;

	private final WorkflowPlan plan;

	private final InstanceRun run;

	AttemptRunner(RunHost host, WorkflowPlan plan, InstanceRun run) {
		this.host = host;
		this.plan = plan;
		this.run = run;
	}

	void launch(Attempt attempt) {
		StepDefinition step = this.plan.step(attempt.step());
		// the elements of a forEach step always share the worker pool
		if ((step.async() || attempt.element() != Attempt.NO_ELEMENT) && !attempt.compensation()) {
			this.host.pools().submitAsync(step.priority(), () -> execute(attempt));
		}
		else {
			this.host.pools().submitLane(this.run, () -> execute(attempt));
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
		this.host.pools().stepStarted();
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
			this.host.pools().stepEnded();
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
			attempt.timeout(this.host.timers()
				.schedule(() -> this.host.pools().submitLane(null, () -> this.run.timedOut(attempt)), timeout.toNanos(),
						TimeUnit.NANOSECONDS));
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
			this.host.store().checkValue(output, what);
		}
		catch (IllegalArgumentException ex) {
			this.run.finished(attempt, null, StepFailure.permanent("invalid_output", ex.getMessage()));
			return;
		}
		this.run.finished(attempt, output, null);
	}

}
