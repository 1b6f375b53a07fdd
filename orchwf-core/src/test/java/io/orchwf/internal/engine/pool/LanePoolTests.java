package io.orchwf.internal.engine.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class LanePoolTests {

	private final Set<Thread> created = ConcurrentHashMap.newKeySet();

	private final ThreadFactory factory = (runnable) -> {
		Thread thread = new Thread(runnable, "lane-test");
		thread.setDaemon(true);
		this.created.add(thread);
		return thread;
	};

	private LanePool pool;

	@AfterEach
	void shutDown() throws InterruptedException {
		if (this.pool != null) {
			this.pool.shutdownNow();
			this.pool.awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	private LanePool pool(Duration keepAlive) {
		this.pool = new LanePool(this.factory, keepAlive);
		return this.pool;
	}

	@Test
	void aTaskNeverWaitsBehindABlockedOne() throws InterruptedException {
		LanePool lanes = pool(Duration.ofSeconds(30));
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch secondRan = new CountDownLatch(1);
		lanes.execute(() -> awaitQuietly(release));
		lanes.execute(secondRan::countDown);
		assertThat(secondRan.await(5, TimeUnit.SECONDS)).isTrue();
		release.countDown();
	}

	@Test
	void reusesIdleThreadsForTasksSubmittedOneAfterAnother() throws InterruptedException {
		LanePool lanes = pool(Duration.ofSeconds(30));
		for (int i = 0; i < 1_000; i++) {
			CountDownLatch ran = new CountDownLatch(1);
			lanes.execute(ran::countDown);
			assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
		}
		// a task can arrive while the previous thread is still on its way to idle, and
		// the
		// thread woken for it may lose it to that one: a few threads, not one per task
		assertThat(this.created).hasSizeLessThanOrEqualTo(4);
	}

	@Test
	void neverStrandsATaskSubmittedWhileAReservedThreadLooks() throws InterruptedException {
		// small bursts from one caller, each awaited before the next: a task submitted as
		// a
		// thread woken for an earlier one finds the queue empty must still run, with no
		// later task coming along to pick it up
		LanePool lanes = pool(Duration.ofSeconds(30));
		for (int i = 0; i < 20_000; i++) {
			int burst = 1 + i % 4;
			CountDownLatch ran = new CountDownLatch(burst);
			for (int t = 0; t < burst; t++) {
				lanes.execute(ran::countDown);
			}
			assertThat(ran.await(5, TimeUnit.SECONDS)).as("burst %d ran", i).isTrue();
		}
	}

	@Test
	void idleThreadsRetireAfterTheKeepAlive() {
		LanePool lanes = pool(Duration.ofMillis(20));
		CountDownLatch release = new CountDownLatch(1);
		for (int i = 0; i < 4; i++) {
			lanes.execute(() -> awaitQuietly(release));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.created.size() == 4);
		release.countDown();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.created.stream().noneMatch(Thread::isAlive));
		AtomicBoolean ran = new AtomicBoolean();
		lanes.execute(() -> ran.set(true));
		await().atMost(Duration.ofSeconds(5)).untilTrue(ran);
	}

	@Test
	void runsEveryTaskOnceUnderConcurrentSubmittersWhileThreadsRetire() throws InterruptedException {
		// a keep-alive this short makes threads retire all the time, racing the
		// reservations
		LanePool lanes = pool(Duration.ofNanos(50_000));
		int submitters = 4;
		int perSubmitter = 5_000;
		AtomicLong ran = new AtomicLong();
		List<Thread> threads = new ArrayList<>();
		for (int s = 0; s < submitters; s++) {
			Thread submitter = new Thread(() -> {
				for (int i = 0; i < perSubmitter; i++) {
					lanes.execute(() -> {
						if (ThreadLocalRandom.current().nextInt(50) == 0) {
							sleepMicros(200);
						}
						ran.incrementAndGet();
					});
				}
			});
			threads.add(submitter);
			submitter.start();
		}
		for (Thread submitter : threads) {
			submitter.join();
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> ran.get() == (long) submitters * perSubmitter);
		sleepMicros(50_000);
		assertThat(ran.get()).isEqualTo((long) submitters * perSubmitter);
	}

	@Test
	void anInterruptLeftByOneTaskDoesNotReachTheNext() throws InterruptedException {
		LanePool lanes = pool(Duration.ofSeconds(30));
		CountDownLatch first = new CountDownLatch(1);
		lanes.execute(() -> {
			Thread.currentThread().interrupt();
			first.countDown();
		});
		assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
		Thread lane = this.created.iterator().next();
		await().atMost(Duration.ofSeconds(5)).until(() -> lane.getState() == Thread.State.TIMED_WAITING);
		AtomicBoolean interrupted = new AtomicBoolean(true);
		CountDownLatch second = new CountDownLatch(1);
		lanes.execute(() -> {
			interrupted.set(Thread.currentThread().isInterrupted());
			second.countDown();
		});
		assertThat(second.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(interrupted).isFalse();
		assertThat(this.created).hasSize(1);
	}

	@Test
	void shutdownRunsWhatWasSubmittedThenRejectsAndEnds() throws InterruptedException {
		LanePool lanes = pool(Duration.ofSeconds(30));
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger finished = new AtomicInteger();
		for (int i = 0; i < 3; i++) {
			lanes.execute(() -> {
				awaitQuietly(release);
				finished.incrementAndGet();
			});
		}
		lanes.shutdown();
		assertThatExceptionOfType(RejectedExecutionException.class).isThrownBy(() -> lanes.execute(() -> {
		})).withMessageContaining("shut down");
		assertThat(lanes.awaitTermination(50, TimeUnit.MILLISECONDS)).isFalse();
		release.countDown();
		assertThat(lanes.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
		assertThat(finished).hasValue(3);
		assertThat(this.created).noneMatch(Thread::isAlive);
	}

	@Test
	void shutdownNowInterruptsRunningTasks() throws InterruptedException {
		LanePool lanes = pool(Duration.ofSeconds(30));
		CountDownLatch started = new CountDownLatch(1);
		AtomicBoolean interrupted = new AtomicBoolean();
		lanes.execute(() -> {
			started.countDown();
			try {
				Thread.sleep(30_000);
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
			}
		});
		assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
		lanes.shutdownNow();
		assertThat(lanes.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
		assertThat(interrupted).isTrue();
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void sleepMicros(long micros) {
		try {
			TimeUnit.MICROSECONDS.sleep(micros);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
