package io.orchwf.spring.actuate;

import java.time.Duration;
import java.util.Map;

import io.orchwf.Orchestrator;
import io.orchwf.WorkflowStatus;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code orchwf} endpoint exposed over HTTP without
 * {@code management.endpoint.orchwf.access}: it is read-only, so that its write operation
 * does not exist and every POST is refused before it reaches the orchestrator.
 */
@SpringBootTest(classes = { OrchwfActuatorTestApplication.class, WaitingWorkflows.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "orchwf.store=memory", "orchwf.shutdown.await-termination=1s",
				"management.endpoints.web.exposure.include=orchwf" })
@AutoConfigureRestTestClient
class OrchwfEndpointReadOnlyWebTests {

	@Autowired
	private RestTestClient client;

	@Autowired
	private Orchestrator orchestrator;

	@Test
	void readsButRefusesEveryActionWithMethodNotAllowed() {
		String instanceId = this.orchestrator.startAsync("waiting", null);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.orchestrator.status(instanceId).orElseThrow().status() == WorkflowStatus.WAITING);
		this.client.get().uri("/actuator/orchwf").exchange().expectStatus().isOk();
		this.client.get()
			.uri("/actuator/orchwf/{instanceId}", instanceId)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.instance.status")
			.isEqualTo("WAITING");

		for (Map<String, String> action : new Map[] { Map.of("action", "cancel", "reason", "not allowed"),
				Map.of("action", "signal", "name", "go"), Map.of("action", "resume") }) {
			this.client.post()
				.uri("/actuator/orchwf/{instanceId}", instanceId)
				.contentType(MediaType.APPLICATION_JSON)
				.body(action)
				.exchange()
				.expectStatus()
				.isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
		}

		assertThat(this.orchestrator.status(instanceId).orElseThrow().status()).isEqualTo(WorkflowStatus.WAITING);
		assertThat(this.orchestrator.history(instanceId))
			.noneMatch((event) -> event.type() == io.orchwf.event.WorkflowEventType.SIGNAL_RECEIVED);
	}

}
