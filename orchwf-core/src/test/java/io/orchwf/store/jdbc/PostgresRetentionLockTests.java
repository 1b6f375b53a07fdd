package io.orchwf.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.orchwf.Orchestrator;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowStatus;
import io.orchwf.store.StateStore;
import io.orchwf.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On PostgreSQL, retention deletes on one node at a time, and never waits for a row
 * another transaction holds: a deletion asked for while another node deletes deletes
 * nothing at once, and an expired instance locked by someone else is left for a later
 * batch.
 */
@Timeout(30)
class PostgresRetentionLockTests {

	private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

	private static final Instant CUTOFF = T0.plus(Duration.ofHours(1));

	@Test
	void anotherNodeDeletingMeansThisOneDeletesNothingAndDoesNotWait() throws SQLException {
		try (TestDatabase database = TestDatabase.postgres(4)) {
			StateStore store = JdbcStateStore.builder(database.dataSource()).build();
			completed(store, 3);
			try (Connection otherNode = database.dataSource().getConnection()) {
				otherNode.setAutoCommit(false);
				try (PreparedStatement lock = otherNode.prepareStatement(
						"SELECT pg_advisory_xact_lock(hashtext(current_schema() || '.orchwf_retention'))")) {
					lock.execute();
				}
				long started = System.nanoTime();
				assertThat(store.deleteFinished(WorkflowStatus.COMPLETED, CUTOFF, 1_000)).isZero();
				assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
				otherNode.rollback();
			}
			assertThat(store.deleteFinished(WorkflowStatus.COMPLETED, CUTOFF, 1_000)).isEqualTo(3);
		}
	}

	@Test
	void anInstanceAnotherTransactionHoldsIsLeftForALaterBatch() throws SQLException {
		try (TestDatabase database = TestDatabase.postgres(4)) {
			StateStore store = JdbcStateStore.builder(database.dataSource()).build();
			List<String> ids = completed(store, 3);
			try (Connection holder = database.dataSource().getConnection()) {
				holder.setAutoCommit(false);
				try (PreparedStatement lock = holder
					.prepareStatement("SELECT id FROM orchwf_instances WHERE id = CAST(? AS uuid) FOR UPDATE")) {
					lock.setString(1, ids.get(0));
					lock.executeQuery().close();
				}
				assertThat(store.deleteFinished(WorkflowStatus.COMPLETED, CUTOFF, 1_000)).isEqualTo(2);
				holder.rollback();
			}
			assertThat(store.load(ids.get(0))).isPresent();
			assertThat(store.deleteFinished(WorkflowStatus.COMPLETED, CUTOFF, 1_000)).isEqualTo(1);
			assertThat(store.load(ids.get(0))).isEmpty();
		}
	}

	/** Instances that completed at T0, by the orchestrator's clock. */
	private static List<String> completed(StateStore store, int count) {
		List<String> ids = new ArrayList<>();
		try (Orchestrator orchestrator = Orchestrator.builder(store).clock(Clock.fixed(T0, ZoneOffset.UTC)).build()) {
			orchestrator.register(WorkflowDefinition.builder("done", "Done")
				.step(StepDefinition.builder("only", "Only", (context) -> Map.of()).build())
				.build());
			for (int i = 0; i < count; i++) {
				ids.add(orchestrator.start("done", Map.of()).instanceId());
			}
		}
		return ids;
	}

}
