package io.orchwf.spring.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.orchwf.Orchestrator;
import io.orchwf.WorkflowStatus;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.RestTestClient.ResponseSpec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code orchwf} actuator endpoint and health component over HTTP, in a running web
 * application.
 */
@SpringBootTest(classes = OrchwfActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "orchwf.store=memory", "orchwf.shutdown.await-termination=1s",
				"management.endpoints.web.exposure.include=orchwf,health",
				"management.endpoint.health.show-details=always" })
@AutoConfigureRestTestClient
class OrchwfEndpointWebIntegrationTests {

	@Autowired
	private RestTestClient client;

	@Autowired
	private Orchestrator orchestrator;

	@Autowired
	private TestWorkflows workflows;

	@Test
	void listsWorkflowsAndInstances() {
		String instanceId = this.orchestrator.start("orders", Map.of(), Map.of("business_id", "web-list")).instanceId();
		this.client.get()
			.uri("/actuator/orchwf?businessId=web-list&status=completed")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.nodeId")
			.isEqualTo(this.orchestrator.nodeId())
			.jsonPath("$.workflows[*].id")
			.value((List<String> ids) -> assertThat(ids).contains("orders", "approval"))
			.jsonPath("$.workflows[?(@.id == 'orders')].steps[1].dependsOn[0]")
			.isEqualTo("validate")
			.jsonPath("$.counts.COMPLETED")
			.exists()
			.jsonPath("$.instances.total")
			.isEqualTo(1)
			.jsonPath("$.instances.items[0].id")
			.isEqualTo(instanceId)
			.jsonPath("$.instances.items[0].createdAt")
			.isNotEmpty();
		this.client.get()
			.uri("/actuator/orchwf?status=sleeping")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.message")
			.value(String.class, (value) -> assertThat(value).contains("Unknown status 'sleeping'"));
	}

	@Test
	void readsOneInstanceOrAnswersNotFound() {
		String instanceId = this.orchestrator.start("orders", Map.of("order", "o-7")).instanceId();
		this.client.get()
			.uri("/actuator/orchwf/{instanceId}", instanceId)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.instance.id")
			.isEqualTo(instanceId)
			.jsonPath("$.instance.status")
			.isEqualTo("COMPLETED")
			.jsonPath("$.input.order")
			.isEqualTo("o-7")
			.jsonPath("$.steps.length()")
			.isEqualTo(2)
			.jsonPath("$.history[0].type")
			.isEqualTo("WORKFLOW_STARTED");
		this.client.get()
			.uri("/actuator/orchwf/{instanceId}", "missing")
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectBody()
			.jsonPath("$.message")
			.isEqualTo("No workflow instance with id missing");
	}

	@Test
	void signalsAndCancelsARunningInstance() {
		String instanceId = TestWorkflows.startRunning(this.orchestrator, "approval");
		post(instanceId, Map.of("action", "signal", "name", "approve", "payload", "{\"by\": \"ann\"}")).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.done")
			.isEqualTo(true)
			.jsonPath("$.instance.status")
			.isEqualTo("RUNNING");
		assertThat(this.orchestrator.history(instanceId))
			.anySatisfy((event) -> assertThat(event.data()).containsEntry("name", "approve")
				.containsEntry("payload", Map.of("by", "ann")));
		post(instanceId, Map.of("action", "cancel", "reason", "changed my mind")).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.instance.status")
			.isEqualTo("CANCELLED")
			.jsonPath("$.instance.error")
			.value(String.class, (value) -> assertThat(value).contains("changed my mind"));
		post(instanceId, Map.of("action", "signal", "name", "approve")).expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.message")
			.value(String.class, (value) -> assertThat(value).contains("accepts no more signals"));
		post(instanceId, Map.of("action", "dance")).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.message")
			.isEqualTo("Unknown action 'dance': use cancel, resume or signal");
		post(instanceId, Map.of("action", "cancel")).expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.message")
			.isEqualTo("Action cancel needs a reason");
		post("missing", Map.of("action", "resume")).expectStatus().isNotFound();
	}

	@Test
	void resumesInTheBackground() {
		this.workflows.broken.set(true);
		String instanceId = this.orchestrator.start("flaky", Map.of()).instanceId();
		this.workflows.broken.set(false);
		post(instanceId, Map.of("action", "resume")).expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.done")
			.isEqualTo(false);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.orchestrator.status(instanceId).orElseThrow().status())
				.isEqualTo(WorkflowStatus.COMPLETED));
	}

	@Test
	void healthShowsTheOrchwfComponent() {
		this.client.get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.components.orchwf.status")
			.isEqualTo("UP")
			.jsonPath("$.components.orchwf.details.nodeId")
			.isEqualTo(this.orchestrator.nodeId())
			.jsonPath("$.components.orchwf.details.backlog")
			.isNumber()
			.jsonPath("$.components.orchwf.details.unregisteredVersions")
			.isEmpty();
	}

	private ResponseSpec post(String instanceId, Map<String, String> body) {
		return this.client.post()
			.uri("/actuator/orchwf/{instanceId}", instanceId)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange();
	}

}
