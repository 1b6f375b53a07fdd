package io.orchwf.internal.engine.write;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.WorkflowStatus;
import io.orchwf.internal.engine.write.TransitionWriter.WriteOutcome;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.InstanceState;
import io.orchwf.store.InstanceUpdate;
import io.orchwf.store.StoreException;
import io.orchwf.store.memory.InMemoryStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the group-commit writer commits: on the committers, or on an attempt's thread
 * when the node is idle.
 */
class GroupCommitTransitionWriterTests {

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	private final RecordingStore store = new RecordingStore();

	private final GroupCommitTransitionWriter writer = new GroupCommitTransitionWriter(this.store, 1);

	@AfterEach
	void close() {
		this.store.release.countDown();
		this.writer.close();
	}

	@Test
	void anIdleNodeCommitsOnTheAttemptThread() {
		InstanceUpdate update = running(created());
		CompletableFuture<WriteOutcome> outcome = this.writer.writeOnAttemptThread(update);
		assertThat(outcome).isCompletedWithValue(WriteOutcome.APPLIED);
		assertThat(this.store.threads).containsExactly(Thread.currentThread().getName());
	}

	@Test
	void otherWritesGoToTheCommitters() {
		CompletableFuture<WriteOutcome> outcome = this.writer.write(running(created()));
		assertThat(outcome).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(WriteOutcome.APPLIED);
		assertThat(this.store.threads).singleElement().asString().startsWith("orchwf-commit-");
	}

	@Test
	void whileACommitRunsTheTransitionWaitsForTheCommitters() throws InterruptedException {
		this.store.holdNext();
		CompletableFuture<WriteOutcome> first = this.writer.write(running(created()));
		assertThat(this.store.held.await(5, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<WriteOutcome> second = this.writer.writeOnAttemptThread(running(created()));
		assertThat(second).isNotDone();
		this.store.release.countDown();
		assertThat(first).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(WriteOutcome.APPLIED);
		assertThat(second).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(WriteOutcome.APPLIED);
		assertThat(this.store.threads).allSatisfy((name) -> assertThat(name).startsWith("orchwf-commit-"));
	}

	@Test
	void aPassingOutageOnTheAttemptThreadIsRetriedByTheCommitters() {
		this.store.failures.set(1);
		CompletableFuture<WriteOutcome> outcome = this.writer.writeOnAttemptThread(running(created()));
		assertThat(outcome).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(WriteOutcome.APPLIED);
		assertThat(this.store.threads).singleElement().asString().startsWith("orchwf-commit-");
	}

	@Test
	void aStaleFenceIsReportedOnTheAttemptThreadToo() {
		InstanceUpdate update = running(created());
		InstanceUpdate stale = new InstanceUpdate(update.instanceId(), update.fence() + 1, T0, update.state(), false,
				List.of(), List.of());
		assertThat(this.writer.writeOnAttemptThread(stale)).isCompletedWithValue(WriteOutcome.REJECTED);
	}

	private String created() {
		String id = UUID.randomUUID().toString();
		this.store.create(
				new InstanceRecord(id, "orders", "1", WorkflowStatus.PENDING, Map.of(), Map.of(), null, Map.of(), "t",
						"c", null, null, T0, null, null, null, "node-a", T0.plusSeconds(30), 1, null),
				List.of(), List.of());
		return id;
	}

	private static InstanceUpdate running(String id) {
		return new InstanceUpdate(id, 1, T0, new InstanceState(WorkflowStatus.RUNNING, Map.of(), null, T0, null, null),
				false, List.of(), List.of());
	}

	/**
	 * Records the threads that apply transitions; can fail or hold an apply.
	 */
	private static final class RecordingStore extends InMemoryStateStore {

		private final List<String> threads = new CopyOnWriteArrayList<>();

		private final AtomicInteger failures = new AtomicInteger();

		private final CountDownLatch held = new CountDownLatch(1);

		private final CountDownLatch release = new CountDownLatch(1);

		private volatile boolean holdNext;

		void holdNext() {
			this.holdNext = true;
		}

		@Override
		public Set<String> apply(List<InstanceUpdate> updates) {
			if (this.failures.getAndUpdate((n) -> Math.max(0, n - 1)) > 0) {
				throw new StoreException("database unavailable", null, true);
			}
			if (this.holdNext) {
				this.holdNext = false;
				this.held.countDown();
				try {
					this.release.await(5, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			Set<String> rejected = super.apply(updates);
			this.threads.add(Thread.currentThread().getName());
			return rejected;
		}

	}

}
