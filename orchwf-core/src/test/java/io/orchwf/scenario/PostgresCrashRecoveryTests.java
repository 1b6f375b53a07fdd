package io.orchwf.scenario;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.orchwf.Orchestrator;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.scenario.process.CrashableWorkflow;
import io.orchwf.scenario.process.DoomedNode;
import io.orchwf.store.StateStore;
import io.orchwf.testing.SharedPostgres;
import io.orchwf.testing.TestDatabase;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node is killed with SIGKILL in the middle of its workflows; another node finishes
 * every one of them, rerunning only the interrupted step.
 */
class PostgresCrashRecoveryTests extends ScenarioSupport {

	private static final int INSTANCES = 6;

	@Override
	protected StateStore newStore() {
		StateStore store = SharedPostgres.emptyStore();
		SharedPostgres.database().execute(CrashableWorkflow.EXECUTIONS_TABLE);
		SharedPostgres.database().execute("DELETE FROM test_executions");
		return store;
	}

	@Test
	void anotherNodeFinishesTheWorkflowsOfANodeKilledMidRun() throws Exception {
		TestDatabase database = SharedPostgres.database();
		TestDatabase.PostgresAddress address = TestDatabase.postgresAddress();
		Process doomed = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), DoomedNode.class.getName(), address.url(), address.user(),
				address.password(), database.schema(), Integer.toString(INSTANCES))
			.redirectErrorStream(true)
			.start();
		try {
			assertThat(readyWithin(doomed, Duration.ofSeconds(60))).as("the doomed node got its workflows going")
				.isTrue();
		}
		finally {
			doomed.destroyForcibly();
			assertThat(doomed.waitFor(10, TimeUnit.SECONDS)).isTrue();
		}
		assertThat(doomed.exitValue()).as("killed by SIGKILL").isEqualTo(137);

		Orchestrator survivor = orchestrator((builder) -> builder.nodeId("survivor"));
		survivor.register(CrashableWorkflow.definition(database.dataSource(), "survivor", false));
		List<WorkflowInstance> instances = survivor
			.list(WorkflowFilter.builder().workflowId("crashable").build(), 100, 0)
			.items();
		assertThat(instances).hasSize(INSTANCES);
		for (WorkflowInstance instance : instances) {
			WorkflowResult result = survivor.awaitCompletion(instance.id(), WAIT).orElseThrow();
			assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
			assertThat(result.output()).containsEntry("prepare_by", "doomed")
				.containsEntry("work_by", "survivor")
				.containsEntry("finish_by", "survivor");
			assertThat(result.instance().steps())
				.allSatisfy((step) -> assertThat(step.status()).isEqualTo(StepStatus.COMPLETED));
		}
		Map<String, Long> executions = executionsByStepAndNode(database);
		assertThat(executions)
			.containsExactlyInAnyOrderEntriesOf(Map.of("prepare@doomed", (long) INSTANCES, "work@doomed",
					(long) INSTANCES, "work@survivor", (long) INSTANCES, "finish@survivor", (long) INSTANCES));
	}

	private static boolean readyWithin(Process process, Duration timeout) throws Exception {
		CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
			try (BufferedReader output = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = output.readLine()) != null) {
					if (line.equals("READY")) {
						return true;
					}
				}
				return false;
			}
			catch (Exception ex) {
				return false;
			}
		});
		try {
			return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (java.util.concurrent.TimeoutException ex) {
			return false;
		}
	}

	private static Map<String, Long> executionsByStepAndNode(TestDatabase database) throws Exception {
		Map<String, Long> counts = new HashMap<>();
		try (Connection connection = database.dataSource().getConnection();
				Statement statement = connection.createStatement();
				ResultSet rows = statement
					.executeQuery("SELECT step_id, node_id, COUNT(*) FROM test_executions GROUP BY step_id, node_id")) {
			while (rows.next()) {
				counts.put(rows.getString(1) + "@" + rows.getString(2), rows.getLong(3));
			}
		}
		return counts;
	}

}
