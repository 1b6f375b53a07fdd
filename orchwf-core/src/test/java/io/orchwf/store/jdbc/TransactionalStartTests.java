package io.orchwf.store.jdbc;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.Orchestrator;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowStatus;
import io.orchwf.store.StateStore;
import io.orchwf.testing.CallerTransactions;
import io.orchwf.testing.SharedPostgres;
import io.orchwf.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A start inside the caller's transaction commits or rolls back with it, and runs only
 * after it commits.
 */
class TransactionalStartTests {

	private final AtomicInteger executions = new AtomicInteger();

	private CallerTransactions transactions;

	private StateStore store;

	private StateStore observer;

	private Orchestrator orchestrator;

	@BeforeEach
	void createOrchestrator() {
		SharedPostgres.emptyStore();
		TestDatabase database = SharedPostgres.database();
		this.transactions = new CallerTransactions(database.dataSource());
		this.store = JdbcStateStore.builder(database.dataSource()).connectionProvider(this.transactions).build();
		this.observer = JdbcStateStore.builder(database.dataSource()).build();
		this.orchestrator = Orchestrator.builder(this.store).pollInterval(Duration.ofMillis(50)).build();
		this.orchestrator.register(WorkflowDefinition.builder("order", "Order")
			.step(StepDefinition
				.builder("charge", "Charge", (context) -> Map.of("n", this.executions.incrementAndGet()))
				.build())
			.build());
	}

	@AfterEach
	void closeOrchestrator() {
		if (this.orchestrator != null) {
			this.orchestrator.close();
		}
	}

	@Test
	void aStartInsideACommittedTransactionRunsOnlyAfterTheCommit() throws Exception {
		this.transactions.begin();
		String id = this.orchestrator.startAsync("order", Map.of("order_id", "o-1"));
		assertThat(this.observer.load(id)).as("invisible before the commit").isEmpty();
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(this.executions).hasValue(0));
		this.transactions.commit();
		var result = this.orchestrator.awaitCompletion(id, Duration.ofSeconds(10)).orElseThrow();
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(this.executions).hasValue(1);
	}

	@Test
	void aStartInsideARolledBackTransactionLeavesNothingAndNeverRuns() throws Exception {
		this.transactions.begin();
		String id = this.orchestrator.startAsync("order", Map.of("order_id", "o-2"));
		this.transactions.rollback();
		assertThat(this.observer.load(id)).isEmpty();
		assertThat(this.observer.history(id)).isEmpty();
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(2))
			.untilAsserted(() -> assertThat(this.executions).hasValue(0));
	}

}
