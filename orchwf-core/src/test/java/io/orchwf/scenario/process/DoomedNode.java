package io.orchwf.scenario.process;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.orchwf.Orchestrator;
import io.orchwf.store.jdbc.JdbcStateStore;

/**
 * A node run in a JVM of its own, to be killed with SIGKILL: it starts instances of the
 * crashable workflow, prints {@code READY} once every instance is inside its blocking
 * {@code work} step, and waits for its end.
 */
public final class DoomedNode {

	private DoomedNode() {
	}

	public static void main(String[] args) throws Exception {
		String url = args[0];
		String user = args[1];
		String password = args[2];
		String schema = args[3];
		int instances = Integer.parseInt(args[4]);
		HikariConfig config = new HikariConfig();
		config.setJdbcUrl(url);
		config.setUsername(user);
		config.setPassword(password);
		config.setSchema(schema);
		config.setMaximumPoolSize(8);
		HikariDataSource dataSource = new HikariDataSource(config);
		Orchestrator orchestrator = Orchestrator.builder(JdbcStateStore.builder(dataSource).build())
			.nodeId("doomed")
			.workers(instances)
			.leaseDuration(Duration.ofSeconds(2))
			.heartbeatInterval(Duration.ofMillis(500))
			.pollInterval(Duration.ofMillis(100))
			.build();
		orchestrator.register(CrashableWorkflow.definition(dataSource, "doomed", true));
		for (int i = 0; i < instances; i++) {
			orchestrator.startAsync("crashable", Map.of("i", i));
		}
		while (workersInside(dataSource) < instances) {
			Thread.sleep(50);
		}
		System.out.println("READY");
		System.out.flush();
		Thread.sleep(Long.MAX_VALUE);
	}

	private static int workersInside(HikariDataSource dataSource) throws Exception {
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet row = statement.executeQuery(
						"SELECT COUNT(*) FROM test_executions WHERE step_id = 'work' AND node_id = 'doomed'")) {
			row.next();
			return row.getInt(1);
		}
	}

}
