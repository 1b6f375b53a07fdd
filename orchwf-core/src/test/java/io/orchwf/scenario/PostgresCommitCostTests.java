package io.orchwf.scenario;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.orchwf.Orchestrator;
import io.orchwf.WorkflowDefinition;
import io.orchwf.store.StateStore;
import io.orchwf.store.jdbc.JdbcStateStore;
import io.orchwf.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How many transactions the seed's 6-step order DAG costs on PostgreSQL: at most one per
 * step plus the start when instances run one at a time, fewer when many run at once and
 * share commits. Counted at the store (write transactions) and, for the record, from
 * {@code pg_stat_database.xact_commit} (every transaction, reads and polling included).
 */
class PostgresCommitCostTests extends ScenarioSupport {

	private static WorkflowDefinition orderDag() {
		return workflow("order_processing", step("validate_order", (context) -> Map.of("valid", true)),
				step("check_inventory", (context) -> Map.of("in_stock", true)).dependsOn("validate_order").async(true),
				step("process_payment", (context) -> Map.of("payment_id", "pay")).dependsOn("validate_order")
					.async(true),
				step("reserve_inventory", (context) -> Map.of("reserved", true)).dependsOn("check_inventory")
					.async(true),
				step("create_shipment", (context) -> Map.of("shipment_id", "ship")).dependsOn("process_payment",
						"reserve_inventory"),
				step("send_email", (context) -> Map.of("email_sent", true)).dependsOn("create_shipment")
					.required(false)
					.async(true));
	}

	@Test
	void oneAtATimeAWorkflowCostsAtMostOneWriteTransactionPerStepPlusItsStart() throws Exception {
		Cost cost = measure(50, false);
		assertThat(cost.writesPerWorkflow()).isLessThanOrEqualTo(7.0);
	}

	@Test
	void manyAtOnceShareCommits() throws Exception {
		Cost sequential = measure(50, false);
		Cost concurrent = measure(500, true);
		assertThat(concurrent.writesPerWorkflow()).isLessThan(sequential.writesPerWorkflow());
	}

	private Cost measure(int workflows, boolean atOnce) throws Exception {
		AtomicLong writes = new AtomicLong();
		long commitsBefore;
		long commitsAfter;
		try (TestDatabase database = TestDatabase.postgres(16)) {
			StateStore counting = StoreInterceptor.wrap(JdbcStateStore.builder(database.dataSource()).build(),
					(method, args, call) -> {
						if (method.getName().equals("create") || method.getName().equals("apply")) {
							writes.incrementAndGet();
						}
						return call.proceed();
					});
			commitsBefore = commits(database);
			try (Orchestrator orchestrator = Orchestrator.builder(counting).workers(16).build()) {
				orchestrator.register(orderDag());
				if (atOnce) {
					List<String> ids = new ArrayList<>();
					for (int i = 0; i < workflows; i++) {
						ids.add(orchestrator.startAsync("order_processing", Map.of("order_id", "o-" + i)));
					}
					for (String id : ids) {
						assertThat(orchestrator.awaitCompletion(id, WAIT).orElseThrow().success()).isTrue();
					}
				}
				else {
					for (int i = 0; i < workflows; i++) {
						assertThat(orchestrator.start("order_processing", Map.of("order_id", "o-" + i)).success())
							.isTrue();
					}
				}
			}
			// closing the pool ends its backends, which flushes their statistics
			((com.zaxxer.hikari.HikariDataSource) database.dataSource()).getHikariPoolMXBean().softEvictConnections();
			Thread.sleep(200);
			commitsAfter = commits(database);
		}
		Cost cost = new Cost(workflows, writes.get(), commitsAfter - commitsBefore - 1);
		System.out.printf(
				"COMMITS %s: %d workflows, %.2f write transactions per workflow, %.2f commits per workflow "
						+ "in pg_stat_database (all transactions, reads and polling included)%n",
				atOnce ? "at once" : "one at a time", workflows, cost.writesPerWorkflow(), cost.commitsPerWorkflow());
		return cost;
	}

	private static long commits(TestDatabase database) throws Exception {
		try (Connection connection = database.dataSource().getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("SELECT pg_stat_clear_snapshot()");
			try (ResultSet row = statement
				.executeQuery("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
				row.next();
				return row.getLong(1);
			}
		}
	}

	private record Cost(int workflows, long writes, long commits) {

		double writesPerWorkflow() {
			return (double) this.writes / this.workflows;
		}

		double commitsPerWorkflow() {
			return (double) this.commits / this.workflows;
		}

	}

}
