package io.orchwf.acceptance;

import java.time.Duration;

import io.orchwf.RetryPolicy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract, "Defining workflows" (RetryPolicy) and "Semantics / Retry": values,
 * validation and the delay formula.
 */
class RetryPolicyAcceptanceTests {

	@Test
	void defaultsAreThreeAttemptsOneSecondDoublingCappedAtThirtySeconds() {
		RetryPolicy policy = RetryPolicy.defaults();
		assertThat(policy.maxAttempts()).isEqualTo(3);
		assertThat(policy.initialInterval()).isEqualTo(Duration.ofSeconds(1));
		assertThat(policy.multiplier()).isEqualTo(2.0);
		assertThat(policy.maxInterval()).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void noneIsASingleAttempt() {
		assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
	}

	@Test
	void builderKeepsTheGivenValues() {
		RetryPolicy policy = RetryPolicy.builder()
			.maxAttempts(5)
			.initialInterval(Duration.ofMillis(250))
			.multiplier(1.5)
			.maxInterval(Duration.ofSeconds(60))
			.jitter(0.2)
			.retryableErrors("timeout", "connection_refused")
			.nonRetryableErrors("validation")
			.build();
		assertThat(policy.maxAttempts()).isEqualTo(5);
		assertThat(policy.initialInterval()).isEqualTo(Duration.ofMillis(250));
		assertThat(policy.multiplier()).isEqualTo(1.5);
		assertThat(policy.maxInterval()).isEqualTo(Duration.ofSeconds(60));
		assertThat(policy.jitter()).isEqualTo(0.2);
		assertThat(policy.retryableErrors()).containsExactlyInAnyOrder("timeout", "connection_refused");
		assertThat(policy.nonRetryableErrors()).containsExactly("validation");
	}

	@Test
	void maxAttemptsBelowOneIsRejected() {
		assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(0).build())
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> RetryPolicy.builder().maxAttempts(-3).build())
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void multiplierBelowOneIsRejected() {
		assertThatThrownBy(() -> RetryPolicy.builder().multiplier(0.99).build())
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> RetryPolicy.builder().multiplier(0).build())
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void negativeIntervalsAreRejected() {
		assertThatThrownBy(() -> RetryPolicy.builder().initialInterval(Duration.ofMillis(-1)).build())
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> RetryPolicy.builder().maxInterval(Duration.ofSeconds(-1)).build())
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void jitterOutsideZeroToOneIsRejected() {
		assertThatThrownBy(() -> RetryPolicy.builder().jitter(-0.01).build())
			.isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> RetryPolicy.builder().jitter(1.01).build())
			.isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void boundaryValuesAreAccepted() {
		assertThatCode(() -> RetryPolicy.builder()
			.maxAttempts(1)
			.multiplier(1.0)
			.jitter(0.0)
			.initialInterval(Duration.ZERO)
			.maxInterval(Duration.ZERO)
			.build()).doesNotThrowAnyException();
		assertThatCode(() -> RetryPolicy.builder().jitter(1.0).build()).doesNotThrowAnyException();
	}

	@Test
	void delayGrowsGeometricallyFromTheInitialInterval() {
		RetryPolicy policy = RetryPolicy.builder()
			.maxAttempts(10)
			.initialInterval(Duration.ofMillis(100))
			.multiplier(2.0)
			.maxInterval(Duration.ofSeconds(10))
			.jitter(0)
			.build();
		assertThat(policy.delayBeforeRetry(1)).isEqualTo(Duration.ofMillis(100));
		assertThat(policy.delayBeforeRetry(2)).isEqualTo(Duration.ofMillis(200));
		assertThat(policy.delayBeforeRetry(3)).isEqualTo(Duration.ofMillis(400));
		assertThat(policy.delayBeforeRetry(4)).isEqualTo(Duration.ofMillis(800));
	}

	@Test
	void delayIsCappedAtTheMaxInterval() {
		RetryPolicy policy = RetryPolicy.builder()
			.maxAttempts(10)
			.initialInterval(Duration.ofMillis(100))
			.multiplier(3.0)
			.maxInterval(Duration.ofMillis(500))
			.jitter(0)
			.build();
		assertThat(policy.delayBeforeRetry(2)).isEqualTo(Duration.ofMillis(300));
		assertThat(policy.delayBeforeRetry(3)).isEqualTo(Duration.ofMillis(500));
		assertThat(policy.delayBeforeRetry(8)).isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void jitterStaysWithinItsFractionOfTheDelay() {
		RetryPolicy policy = RetryPolicy.builder()
			.maxAttempts(10)
			.initialInterval(Duration.ofMillis(1000))
			.multiplier(2.0)
			.maxInterval(Duration.ofSeconds(60))
			.jitter(0.2)
			.build();
		for (int i = 0; i < 200; i++) {
			assertThat(policy.delayBeforeRetry(1).toMillis()).isBetween(800L, 1200L);
			assertThat(policy.delayBeforeRetry(2).toMillis()).isBetween(1600L, 2400L);
		}
	}

	@Test
	void errorTypesAreMatchedAgainstTheLists() {
		RetryPolicy onlySome = RetryPolicy.builder()
			.retryableErrors("timeout", "connection_refused")
			.nonRetryableErrors("validation")
			.build();
		assertThat(onlySome.isRetryable("timeout")).isTrue();
		assertThat(onlySome.isRetryable("connection_refused")).isTrue();
		assertThat(onlySome.isRetryable("IllegalStateException")).isFalse();
		assertThat(onlySome.isRetryable("validation")).isFalse();

		RetryPolicy everything = RetryPolicy.builder().nonRetryableErrors("validation").build();
		assertThat(everything.isRetryable("anything")).isTrue();
		assertThat(everything.isRetryable("validation")).isFalse();
	}

}
