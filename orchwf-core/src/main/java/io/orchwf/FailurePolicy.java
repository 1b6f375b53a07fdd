package io.orchwf;

/**
 * What a workflow does when one of its required steps fails after its last attempt.
 */
public enum FailurePolicy {

	/**
	 * Stop scheduling, interrupt running steps, compensate and fail. The default.
	 */
	FAIL_FAST,

	/**
	 * Let running steps and the branches that do not depend on the failed step finish,
	 * then compensate and fail.
	 */
	COMPLETE_ALL

}
