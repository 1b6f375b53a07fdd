package io.orchwf.internal.engine.attempt;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The deadline watch: a deadline that passes is told once, one unwatched never is, and a
 * deadline earlier than the one the watch sleeps for is not held up by it.
 */
class StepDeadlinesTests {

	private final StepDeadlines deadlines = new StepDeadlines();

	private final List<WatchedDeadline> passed = new CopyOnWriteArrayList<>();

	private final WatchedDeadline.Listener listener = this.passed::add;

	@AfterEach
	void close() {
		this.deadlines.close();
	}

	private static long inMillis(long millis) {
		return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
	}

	@Test
	void aDeadlineThatPassesIsToldOnce() throws InterruptedException {
		WatchedDeadline deadline = new WatchedDeadline() {
		};
		this.deadlines.watch(deadline, inMillis(20), this.listener);

		await().atMost(Duration.ofSeconds(2)).until(() -> this.passed.contains(deadline));
		Thread.sleep(100);
		assertThat(this.passed).containsExactly(deadline);
	}

	@Test
	void anUnwatchedDeadlineIsNeverTold() throws InterruptedException {
		WatchedDeadline left = new WatchedDeadline() {
		};
		WatchedDeadline kept = new WatchedDeadline() {
		};
		this.deadlines.watch(left, inMillis(30), this.listener);
		this.deadlines.watch(kept, inMillis(60), this.listener);
		this.deadlines.unwatch(left);

		await().atMost(Duration.ofSeconds(2)).until(() -> this.passed.contains(kept));
		assertThat(this.passed).containsExactly(kept);
	}

	@Test
	void anEarlierDeadlineWakesTheWatch() {
		WatchedDeadline late = new WatchedDeadline() {
		};
		WatchedDeadline early = new WatchedDeadline() {
		};
		this.deadlines.watch(late, inMillis(60_000), this.listener);
		long armed = System.nanoTime();
		this.deadlines.watch(early, inMillis(50), this.listener);

		await().atMost(Duration.ofSeconds(2)).until(() -> this.passed.contains(early));
		// well before the watch's longest sleep of a second
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - armed)).isLessThan(900);
		assertThat(this.passed).containsExactly(early);
	}

}
