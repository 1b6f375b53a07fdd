package io.orchwf.internal.engine.support;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTests {

	@Test
	void theDelayDoublesUpToItsCap() {
		Duration max = Duration.ofSeconds(10);
		assertThat(Backoff.doubled(Duration.ofMillis(200), max)).isEqualTo(Duration.ofMillis(400));
		assertThat(Backoff.doubled(Duration.ofSeconds(6), max)).isEqualTo(max);
		assertThat(Backoff.doubled(max, max)).isEqualTo(max);
	}

	@Test
	void engineThreadsAreNamedDaemons() {
		Thread first = DaemonThreads.named("orchwf-test-").newThread(() -> {
		});
		assertThat(first.isDaemon()).isTrue();
		assertThat(first.getName()).isEqualTo("orchwf-test-1");
	}

}
