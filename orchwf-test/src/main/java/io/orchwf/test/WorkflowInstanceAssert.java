package io.orchwf.test;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

import io.orchwf.StepInstance;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowStatus;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * AssertJ assertions on a {@link WorkflowInstance}. Every failure shows the instance's
 * status and each of its steps, so that a failed test says what happened.
 */
public final class WorkflowInstanceAssert extends AbstractAssert<WorkflowInstanceAssert, WorkflowInstance> {

	WorkflowInstanceAssert(WorkflowInstance actual) {
		super(actual, WorkflowInstanceAssert.class);
	}

	/**
	 * The instance has the status.
	 * @param expected the status
	 * @return this
	 */
	public WorkflowInstanceAssert hasStatus(WorkflowStatus expected) {
		isNotNull();
		if (this.actual.status() != expected) {
			failWithMessage("Expected status %s, but %s", expected, describe());
		}
		return this;
	}

	/**
	 * One of the instance's steps has the status.
	 * @param stepId the step
	 * @param expected the status
	 * @return this
	 */
	public WorkflowInstanceAssert stepHasStatus(String stepId, StepStatus expected) {
		StepInstance step = step(stepId);
		if (step.status() != expected) {
			failWithMessage("Expected step '%s' to be %s, but %s", stepId, expected, describe());
		}
		return this;
	}

	/**
	 * One of the instance's steps has started this many attempts.
	 * @param stepId the step
	 * @param expected the count
	 * @return this
	 */
	public WorkflowInstanceAssert stepHasAttempts(String stepId, int expected) {
		StepInstance step = step(stepId);
		if (step.attempts() != expected) {
			failWithMessage("Expected step '%s' to have had %d attempt(s), but it had %d: %s", stepId, expected,
					step.attempts(), describe());
		}
		return this;
	}

	/**
	 * The instance's output has the entry.
	 * @param key the key
	 * @param expected the value, as the output holds it once stored (numbers as
	 * {@code Long} or {@code Double} or {@code BigDecimal}, lists, maps)
	 * @return this
	 */
	public WorkflowInstanceAssert hasOutputEntry(String key, @Nullable Object expected) {
		isNotNull();
		Objects.requireNonNull(key, "key");
		if (!this.actual.output().containsKey(key)) {
			failWithMessage("Expected the output to have '%s', but it has %s; %s", key, this.actual.output().keySet(),
					describe());
		}
		Object value = this.actual.output().get(key);
		if (!sameValue(value, expected)) {
			failWithMessage("Expected output '%s' to be <%s>, but it is <%s>; %s", key, expected, value, describe());
		}
		return this;
	}

	private StepInstance step(String stepId) {
		isNotNull();
		Objects.requireNonNull(stepId, "stepId");
		Optional<StepInstance> step = this.actual.steps()
			.stream()
			.filter((candidate) -> candidate.stepId().equals(stepId))
			.findFirst();
		if (step.isEmpty()) {
			failWithMessage("Expected a step '%s', but %s", stepId, describe());
		}
		return step.get();
	}

	private String describe() {
		return InstanceDescription.of(this.actual);
	}

	/**
	 * Equal, or the same number: stored outputs hold whole numbers as {@code Long}, so an
	 * expected {@code 3} matches a stored {@code 3L}.
	 */
	private static boolean sameValue(@Nullable Object actual, @Nullable Object expected) {
		if (Objects.equals(actual, expected)) {
			return true;
		}
		if (actual instanceof Number a && expected instanceof Number e) {
			return new BigDecimal(a.toString()).compareTo(new BigDecimal(e.toString())) == 0;
		}
		return false;
	}

}
