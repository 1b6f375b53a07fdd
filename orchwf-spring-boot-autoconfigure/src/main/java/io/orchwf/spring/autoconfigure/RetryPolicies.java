package io.orchwf.spring.autoconfigure;

import io.orchwf.RetryPolicy;

/**
 * Turns {@code orchwf.default-retry.*} into a {@link RetryPolicy}.
 */
final class RetryPolicies {

	private RetryPolicies() {
	}

	static RetryPolicy fromProperties(OrchwfProperties.DefaultRetry retry) {
		try {
			return RetryPolicy.builder()
				.maxAttempts(retry.getMaxAttempts())
				.initialInterval(retry.getInitialInterval())
				.multiplier(retry.getMultiplier())
				.maxInterval(retry.getMaxInterval())
				.jitter(retry.getJitter())
				.retryableErrors(retry.getRetryableErrors().toArray(String[]::new))
				.nonRetryableErrors(retry.getNonRetryableErrors().toArray(String[]::new))
				.build();
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("orchwf.default-retry is invalid: " + ex.getMessage(), ex);
		}
	}

}
