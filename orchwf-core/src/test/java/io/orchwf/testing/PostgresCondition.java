package io.orchwf.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The condition behind {@link EnabledIfPostgres}. JUnit evaluates conditions before it
 * calls any other extension of the test, so the Spring extension never builds a context
 * for a test that has no database; a required but missing database fails the test here,
 * once, with the message saying how to provide one.
 */
final class PostgresCondition implements ExecutionCondition {

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		if (TestPostgres.available()) {
			return ConditionEvaluationResult.enabled("PostgreSQL is available");
		}
		TestPostgres.reportMissing();
		if (TestPostgres.required()) {
			return Assertions.fail(TestPostgres.missingMessage());
		}
		return ConditionEvaluationResult.disabled(TestPostgres.missingMessage());
	}

}
