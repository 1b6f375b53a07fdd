package io.orchwf;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * A retention keeps every kind for ever until it is set, refuses periods that would
 * delete at once, and never answers for unfinished instances.
 */
class RetentionTests {

	@Test
	void keepsEverythingForEverByDefault() {
		Retention retention = Retention.keepForever();
		assertThat(retention.keepsForever()).isTrue();
		assertThat(retention.completed()).isEmpty();
		assertThat(retention.failed()).isEmpty();
		assertThat(retention.cancelled()).isEmpty();
		assertThat(retention.checkEvery()).isEqualTo(Duration.ofMinutes(1));
		assertThat(Retention.builder().build()).isEqualTo(retention);
	}

	@Test
	void keepsEachKindForItsOwnPeriod() {
		Retention retention = Retention.builder()
			.completed(Duration.ofDays(7))
			.failed(Duration.ofDays(30))
			.checkEvery(Duration.ofSeconds(10))
			.build();
		assertThat(retention.keepsForever()).isFalse();
		assertThat(retention.of(WorkflowStatus.COMPLETED)).hasValue(Duration.ofDays(7));
		assertThat(retention.failed()).hasValue(Duration.ofDays(30));
		assertThat(retention.cancelled()).as("unset: kept for ever").isEmpty();
		assertThat(retention.checkEvery()).isEqualTo(Duration.ofSeconds(10));
		assertThat(Retention.builder().completed(Duration.ofDays(7)).completed(null).build().keepsForever()).isTrue();
	}

	@Test
	void refusesPeriodsThatAreNotPositive() {
		assertThatIllegalArgumentException().isThrownBy(() -> Retention.builder().completed(Duration.ZERO))
			.withMessage("completed must be a positive duration but was PT0S; leave it unset (null) to keep "
					+ "completed instances for ever");
		assertThatIllegalArgumentException().isThrownBy(() -> Retention.builder().failed(Duration.ofDays(-1)))
			.withMessageStartingWith("failed must be a positive duration");
		assertThatIllegalArgumentException().isThrownBy(() -> Retention.builder().checkEvery(Duration.ZERO))
			.withMessage("checkEvery must be a positive duration but was PT0S");
	}

	@Test
	void unfinishedInstancesHaveNoRetention() {
		assertThatIllegalArgumentException().isThrownBy(() -> Retention.keepForever().of(WorkflowStatus.RUNNING))
			.withMessageContaining("RUNNING instances are unfinished and never deleted");
	}

}
