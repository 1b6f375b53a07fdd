package io.orchwf.test.spring;

import io.orchwf.test.OrchwfTestEnvironment;
import org.springframework.core.Ordered;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.support.AbstractTestExecutionListener;

/**
 * Clears the stubs of the {@link OrchwfTestEnvironment} bean after each test method, so
 * that a stub set by one test never reaches another that shares its application context.
 */
public final class ClearStubsTestExecutionListener extends AbstractTestExecutionListener {

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE - 100;
	}

	@Override
	public void afterTestMethod(TestContext testContext) {
		if (testContext.hasApplicationContext()) {
			testContext.getApplicationContext()
				.getBeanProvider(OrchwfTestEnvironment.class)
				.ifAvailable(OrchwfTestEnvironment::clearStubs);
		}
	}

}
