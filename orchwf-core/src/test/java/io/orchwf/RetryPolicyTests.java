package io.orchwf;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RetryPolicyTests {

	@Test
	void defaultsAreThreeAttemptsFromOneSecondDoublingUpToThirtySeconds() {
		RetryPolicy policy = RetryPolicy.defaults();
		assertThat(policy.maxAttempts()).isEqualTo(3);
		assertThat(policy.initialInterval()).isEqualTo(Duration.ofSeconds(1));
		assertThat(policy.multiplier()).isEqualTo(2.0);
		assertThat(policy.maxInterval()).isEqualTo(Duration.ofSeconds(30));
		assertThat(policy.jitter()).isZero();
		assertThat(policy.retryableErrors()).isEmpty();
		assertThat(policy.nonRetryableErrors()).isEmpty();
	}

	@Test
	void noneMakesASingleAttempt() {
		assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
	}

	@Test
	void delayGrowsByTheMultiplierAndIsCappedAtTheMaximum() {
		RetryPolicy policy = RetryPolicy.builder()
			.initialInterval(Duration.ofMillis(100))
			.multiplier(3.0)
			.maxInterval(Duration.ofMillis(1000))
			.build();
		assertThat(policy.delayBeforeRetry(1)).isEqualTo(Duration.ofMillis(100));
		assertThat(policy.delayBeforeRetry(2)).isEqualTo(Duration.ofMillis(300));
		assertThat(policy.delayBeforeRetry(3)).isEqualTo(Duration.ofMillis(900));
		assertThat(policy.delayBeforeRetry(4)).isEqualTo(Duration.ofMillis(1000));
		assertThat(policy.delayBeforeRetry(60)).isEqualTo(Duration.ofMillis(1000));
	}

	@Test
	void jitterSpreadsDelaysWithinItsFractionAndNeverBeyondTheMaximum() {
		RetryPolicy policy = RetryPolicy.builder()
			.initialInterval(Duration.ofMillis(1000))
			.maxInterval(Duration.ofMillis(1100))
			.jitter(0.2)
			.build();
		long distinct = java.util.stream.IntStream.range(0, 200)
			.mapToObj((i) -> policy.delayBeforeRetry(1))
			.peek((delay) -> assertThat(delay).isBetween(Duration.ofMillis(800), Duration.ofMillis(1100)))
			.distinct()
			.count();
		assertThat(distinct).isGreaterThan(1);
	}

	@Test
	void everyTypeIsRetryableWhenNoListIsGiven() {
		assertThat(RetryPolicy.defaults().isRetryable("anything")).isTrue();
	}

	@Test
	void retryableListLimitsRetriesAndNonRetryableListWins() {
		RetryPolicy policy = RetryPolicy.builder()
			.retryableErrors("timeout", "connection_refused")
			.nonRetryableErrors("timeout")
			.build();
		assertThat(policy.isRetryable("connection_refused")).isTrue();
		assertThat(policy.isRetryable("timeout")).isFalse();
		assertThat(policy.isRetryable("validation")).isFalse();
	}

	@Test
	void rejectsInvalidValuesNamingThem() {
		assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.builder().maxAttempts(0))
			.withMessageContaining("maxAttempts");
		assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.builder().multiplier(0.5))
			.withMessageContaining("multiplier");
		assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.builder().multiplier(Double.NaN))
			.withMessageContaining("multiplier");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RetryPolicy.builder().initialInterval(Duration.ofSeconds(-1)))
			.withMessageContaining("initialInterval");
		assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.builder().maxInterval(null))
			.withMessageContaining("maxInterval");
		assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.builder().jitter(1.5))
			.withMessageContaining("jitter");
		assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.builder().jitter(-0.1))
			.withMessageContaining("jitter");
		assertThatIllegalArgumentException().isThrownBy(() -> RetryPolicy.builder().retryableErrors("ok", " "))
			.withMessageContaining("retryableErrors");
	}

	@Test
	void toBuilderCopiesEveryValue() {
		RetryPolicy policy = RetryPolicy.builder()
			.maxAttempts(7)
			.initialInterval(Duration.ofMillis(5))
			.multiplier(1.5)
			.maxInterval(Duration.ofMillis(50))
			.jitter(0.1)
			.retryableErrors("a")
			.nonRetryableErrors("b")
			.build();
		assertThat(policy.toBuilder().build()).isEqualTo(policy).hasSameHashCodeAs(policy);
		assertThat(policy.toBuilder().maxAttempts(2).build()).isNotEqualTo(policy);
	}

}
