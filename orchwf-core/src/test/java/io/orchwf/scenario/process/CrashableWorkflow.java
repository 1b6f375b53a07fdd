package io.orchwf.scenario.process;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import io.orchwf.StepDefinition;
import io.orchwf.StepExecutor;
import io.orchwf.WorkflowDefinition;

/**
 * The workflow of the crash scenario: {@code prepare -> work -> finish}, each step
 * writing a row to {@code test_executions} when it runs, so that the test can count
 * executions across JVMs. On the node that gets killed, {@code work} blocks until the
 * kill.
 */
public final class CrashableWorkflow {

	/** The table the steps record their executions in. */
	public static final String EXECUTIONS_TABLE = """
			CREATE TABLE IF NOT EXISTS test_executions (
				instance_id VARCHAR(64) NOT NULL,
				step_id VARCHAR(64) NOT NULL,
				node_id VARCHAR(64) NOT NULL
			)""";

	private CrashableWorkflow() {
	}

	public static WorkflowDefinition definition(DataSource dataSource, String nodeId, boolean blockInWork) {
		return WorkflowDefinition.builder("crashable", "Crashable")
			.steps(StepDefinition.builder("prepare", "Prepare", recorded(dataSource, nodeId, Duration.ZERO)).build(),
					StepDefinition
						.builder("work", "Work",
								recorded(dataSource, nodeId, blockInWork ? Duration.ofMinutes(5) : Duration.ZERO))
						.dependsOn("prepare")
						.async(true)
						.build(),
					StepDefinition.builder("finish", "Finish", recorded(dataSource, nodeId, Duration.ZERO))
						.dependsOn("work")
						.build())
			.build();
	}

	private static StepExecutor recorded(DataSource dataSource, String nodeId, Duration block) {
		return (context) -> {
			record(dataSource, context.instanceId(), context.stepId(), nodeId);
			if (!block.isZero()) {
				Thread.sleep(block.toMillis());
			}
			return Map.of(context.stepId() + "_by", nodeId);
		};
	}

	private static void record(DataSource dataSource, String instanceId, String stepId, String nodeId)
			throws SQLException {
		try (Connection connection = dataSource.getConnection();
				PreparedStatement statement = connection
					.prepareStatement("INSERT INTO test_executions (instance_id, step_id, node_id) VALUES (?, ?, ?)")) {
			statement.setString(1, instanceId);
			statement.setString(2, stepId);
			statement.setString(3, nodeId);
			statement.executeUpdate();
		}
	}

}
