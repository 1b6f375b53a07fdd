package io.orchwf.spring.dashboard;

import java.util.List;
import java.util.Map;

import io.orchwf.Orchestrator;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A servlet web application with orchwf and nothing configured for the dashboard: it has
 * none, and its path is as unknown as any other.
 */
@SpringBootTest(classes = DashboardTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "orchwf.shutdown.await-termination=1s")
@DirtiesContext
class DashboardOffWebTests {

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	@Autowired
	private Orchestrator orchestrator;

	@Test
	void servesNoDashboardUnlessAskedTo() {
		assertThat(this.context.getBeansOfType(OrchwfDashboard.class)).isEmpty();
		String instanceId = this.orchestrator.start("orders", Map.of()).instanceId();
		DashboardClient client = new DashboardClient(this.port);
		for (String path : new String[] { "/orchwf", "/orchwf/instances", "/orchwf/instances/" + instanceId }) {
			DashboardClient.Answer answer = client.get(path);
			assertThat(answer.status()).as(path).isEqualTo(404);
			// Spring's own answer, which names the path, not a page of the dashboard
			assertThat(answer.body()).as(path).doesNotContain("orchwf dashboard").doesNotContain("<svg");
		}
		assertThat(client.post("/orchwf/instances/" + instanceId + "/cancel", List.of(Map.entry("reason", "why")))
			.status()).isEqualTo(404);
	}

}
