package io.orchwf;

/**
 * Undoes the effect of a completed step when its workflow fails or is cancelled (the saga
 * pattern).
 *
 * <p>
 * Compensators run one at a time, in reverse completion order. The context's
 * {@link StepContext#input()} is the step's input overlaid with the step's own output, so
 * a refund can read the payment id its step returned.
 */
@FunctionalInterface
public interface StepCompensator {

	/**
	 * Undo the step.
	 * @param context the compensated step's input and output
	 * @throws Exception if compensation failed; the failure is recorded and the remaining
	 * compensators still run
	 */
	void compensate(StepContext context) throws Exception;

}
