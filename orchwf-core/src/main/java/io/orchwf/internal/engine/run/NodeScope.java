package io.orchwf.internal.engine.run;

import io.orchwf.StepContext;
import io.orchwf.internal.engine.attempt.Attempt;
import io.orchwf.internal.engine.attempt.AttemptContext;
import io.orchwf.internal.engine.attempt.AttemptOwner;
import io.orchwf.internal.engine.statemachine.RunScope;
import io.orchwf.internal.plan.WorkflowPlan;

/**
 * The {@link RunScope} of a run on this node: the node's id and whether it closes, from
 * its host, and the contexts of the run's attempts.
 */
final class NodeScope implements RunScope {

	private final RunHost host;

	private final WorkflowPlan plan;

	private final AttemptOwner run;

	NodeScope(RunHost host, WorkflowPlan plan, AttemptOwner run) {
		this.host = host;
		this.plan = plan;
		this.run = run;
	}

	@Override
	public String nodeId() {
		return this.host.nodeId();
	}

	@Override
	public boolean isNodeClosing() {
		return this.host.isClosing();
	}

	@Override
	public StepContext contextOf(Attempt attempt) {
		return new AttemptContext(this.run, attempt, this.plan.step(attempt.step()).id());
	}

}
