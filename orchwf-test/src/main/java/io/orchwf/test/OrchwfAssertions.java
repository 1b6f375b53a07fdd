package io.orchwf.test;

import io.orchwf.WorkflowInstance;

/**
 * Entry point of orchwf's AssertJ assertions.
 *
 * <pre class="code">
 * OrchwfAssertions.assertThat(result.instance())
 *     .hasStatus(WorkflowStatus.FAILED)
 *     .stepHasStatus("reserve_stock", StepStatus.COMPENSATED)
 *     .stepHasAttempts("process_payment", 3);
 * </pre>
 */
public final class OrchwfAssertions {

	private OrchwfAssertions() {
	}

	/**
	 * Assertions on an instance, as read from the orchestrator.
	 * @param actual the instance
	 * @return its assertions
	 */
	public static WorkflowInstanceAssert assertThat(WorkflowInstance actual) {
		return new WorkflowInstanceAssert(actual);
	}

}
