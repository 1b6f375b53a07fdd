package io.orchwf.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TestClockTests {

	private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

	@Test
	void standsStillUntilAdvanced() throws InterruptedException {
		TestClock clock = new TestClock(T0);
		Thread.sleep(5);
		assertThat(clock.instant()).isEqualTo(T0);
		clock.advance(Duration.ofDays(2));
		assertThat(clock.instant()).isEqualTo(T0.plus(Duration.ofDays(2)));
		assertThat(clock.millis()).isEqualTo(T0.plus(Duration.ofDays(2)).toEpochMilli());
	}

	@Test
	void keepsMicrosecondsAsTheStoresDo() {
		assertThat(new TestClock(Instant.parse("2030-01-01T00:00:00.123456789Z")).instant())
			.isEqualTo(Instant.parse("2030-01-01T00:00:00.123456Z"));
	}

	@Test
	void neverGoesBack() {
		TestClock clock = new TestClock(T0);
		assertThatIllegalArgumentException().isThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
			.withMessageContaining("only moves forward");
		clock.moveTo(T0.minusSeconds(5));
		assertThat(clock.instant()).isEqualTo(T0);
	}

	@Test
	void isInUtcAndAZonedViewFollowsIt() {
		TestClock clock = new TestClock(T0);
		assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
		assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
		Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));
		clock.advance(Duration.ofHours(1));
		assertThat(paris.instant()).isEqualTo(T0.plus(Duration.ofHours(1)));
		assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
	}

	@Test
	void startingNowIsCloseToTheRealTime() {
		Instant before = Clock.systemUTC().instant().minusMillis(1);
		assertThat(TestClock.startingNow().instant()).isBetween(before, Clock.systemUTC().instant().plusMillis(1));
	}

}
