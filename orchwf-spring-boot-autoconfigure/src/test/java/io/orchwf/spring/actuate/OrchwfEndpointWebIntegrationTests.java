package io.orchwf.spring.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.orchwf.WorkflowStatus;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code orchwf} actuator endpoint and health component over HTTP, in a running web
 * application on the in-memory store.
 */
@SpringBootTest(classes = { OrchwfActuatorTestApplication.class, WaitingWorkflows.class, ActionRaces.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "orchwf.store=memory", "orchwf.shutdown.await-termination=1s",
				"management.endpoints.web.exposure.include=orchwf,health",
				"management.endpoint.orchwf.access=unrestricted", "management.endpoint.health.show-details=always" })
@AutoConfigureRestTestClient
class OrchwfEndpointWebIntegrationTests extends AbstractOrchwfEndpointWebTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Autowired
	private TestWorkflows workflows;

	@Autowired
	private WaitingWorkflows waitingWorkflows;

	@Autowired
	private ActionRaces races;

	@Test
	void listsWorkflowsAndInstances() {
		String instanceId = this.orchestrator.start("orders", Map.of(), Map.of("business_id", "web-list")).instanceId();
		this.client.get()
			.uri("/actuator/orchwf?businessId=web-list&status=completed&limit=5&offset=0")
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
			.jsonPath("$.instances.limit")
			.isEqualTo(5)
			.jsonPath("$.instances.items[0].id")
			.isEqualTo(instanceId)
			.jsonPath("$.instances.items[0].createdAt")
			.isNotEmpty();
		assertProblem(get("/actuator/orchwf?status=sleeping"), 400, "Bad Request",
				(detail) -> assertThat(detail).startsWith("Unknown status 'sleeping': use one of"));
	}

	@Test
	void refusesPageArgumentsThatAreNotWholeNumbersInRange() {
		assertProblem(get("/actuator/orchwf?limit=abc"), 400, "Bad Request",
				"limit must be a whole number between 1 and 1000 but was 'abc'");
		assertProblem(get("/actuator/orchwf?limit=0"), 400, "Bad Request",
				"limit must be a whole number between 1 and 1000 but was '0'");
		assertProblem(get("/actuator/orchwf?limit=1001"), 400, "Bad Request",
				"limit must be a whole number between 1 and 1000 but was '1001'");
		assertProblem(get("/actuator/orchwf?limit=2.5"), 400, "Bad Request",
				"limit must be a whole number between 1 and 1000 but was '2.5'");
		assertProblem(get("/actuator/orchwf?offset=-1"), 400, "Bad Request",
				"offset must be a whole number between 0 and 2147483647 but was '-1'");
		assertProblem(get("/actuator/orchwf?offset=many"), 400, "Bad Request",
				"offset must be a whole number between 0 and 2147483647 but was 'many'");
		assertProblem(get("/actuator/orchwf?offset=99999999999"), 400, "Bad Request",
				"offset must be a whole number between 0 and 2147483647 but was '99999999999'");
		get("/actuator/orchwf?limit=&offset=").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.instances.limit")
			.isEqualTo(OrchwfEndpoint.DEFAULT_LIMIT)
			.jsonPath("$.instances.offset")
			.isEqualTo(0);
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
		assertProblem(get("/actuator/orchwf/{instanceId}", "missing"), 404, "Not Found",
				"No workflow instance with id missing");
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
		assertProblem(post(instanceId, Map.of("action", "signal", "name", "approve")), 409, "Conflict",
				(detail) -> assertThat(detail).contains(instanceId).contains("accepts no more signals"));
		assertProblem(post(instanceId, Map.of("action", "cancel", "reason", "again")), 409, "Conflict",
				"Instance " + instanceId + " has already ended (CANCELLED); there is nothing to cancel");
		assertProblem(post(instanceId, Map.of("action", "resume")), 409, "Conflict",
				"Instance " + instanceId + " is CANCELLED: only a FAILED instance can be resumed; "
						+ "a cancelled instance stays cancelled; start a new instance to run the workflow again");
		assertProblem(post(instanceId, Map.of("action", "dance")), 400, "Bad Request",
				"Unknown action 'dance': use cancel, resume or signal");
		assertProblem(post(instanceId, Map.of("action", "cancel")), 400, "Bad Request", "Action cancel needs a reason");
		assertProblem(post(instanceId, Map.of()), 400, "Bad Request", "Missing action: use cancel, resume or signal");
		assertProblem(post("missing", Map.of("action", "resume")), 404, "Not Found",
				"No workflow instance with id missing");
	}

	@Test
	void refusesActionArgumentsNoStoreCanHold() {
		String instanceId = this.orchestrator.start("orders", Map.of()).instanceId();
		assertProblem(post(instanceId, Map.of("action", "cancel", "reason", "a\u0000b")), 400, "Bad Request",
				"reason must not contain the character U+0000, which no store can hold; remove it");
		assertProblem(post(instanceId, Map.of("action", "signal", "name", "n".repeat(256))), 400, "Bad Request",
				"name must be at most 255 characters long but has 256");
		assertProblem(post(instanceId, Map.of("action", "signal", "name", "approve", "payload", "[1, 2]")), 400,
				"Bad Request", "payload must be a JSON object, such as {\"approvedBy\": \"ann\"}, but was '[1, 2]'");
	}

	@Test
	void answersBadRequestForABodyThatIsNotAFlatObjectOfStrings() {
		String instanceId = this.orchestrator.start("orders", Map.of()).instanceId();
		// the actuator refuses it before the endpoint runs, in Spring's own error format
		post(instanceId, Map.of("action", "signal", "name", "approve", "payload", Map.of("by", "ann"))).expectStatus()
			.isBadRequest();
	}

	@Test
	void resumesAFailedInstanceInTheBackgroundAndNothingElse() {
		this.workflows.broken.set(true);
		String instanceId = this.orchestrator.start("flaky", Map.of()).instanceId();
		this.workflows.broken.set(false);
		post(instanceId, Map.of("action", "resume")).expectStatus()
			.isAccepted()
			.expectBody()
			.jsonPath("$.done")
			.isEqualTo(false)
			.jsonPath("$.instance.status")
			.isEqualTo("FAILED");
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.orchestrator.status(instanceId).orElseThrow().status())
				.isEqualTo(WorkflowStatus.COMPLETED));
		assertProblem(post(instanceId, Map.of("action", "resume")), 409, "Conflict", "Instance " + instanceId
				+ " is COMPLETED: only a FAILED instance can be resumed; a completed instance has nothing left to run");
	}

	@Test
	void refusesToResumeAWaitingOrRunningInstance() {
		String waiting = this.orchestrator.startAsync("waiting", Map.of());
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.orchestrator.status(waiting).orElseThrow().status())
				.isEqualTo(WorkflowStatus.WAITING));
		assertProblem(post(waiting, Map.of("action", "resume")), 409, "Conflict",
				"Instance " + waiting + " is WAITING: only a FAILED instance can be resumed; a waiting instance goes "
						+ "on by itself when its signal, timer or child arrives, or when its retry delay ends");
		String gate = this.waitingWorkflows.newGate();
		String running = startGated(gate);
		assertProblem(post(running, Map.of("action", "resume")), 409, "Conflict",
				(detail) -> assertThat(detail).startsWith("Instance " + running
						+ " is RUNNING: only a FAILED instance can be resumed; a running instance is driven already"));
		this.waitingWorkflows.open(gate);
		post(waiting, Map.of("action", "signal", "name", "go")).expectStatus().isOk();
		assertThat(this.orchestrator.awaitCompletion(waiting, WAIT).orElseThrow().status())
			.isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(this.orchestrator.awaitCompletion(running, WAIT).orElseThrow().status())
			.isEqualTo(WorkflowStatus.COMPLETED);
	}

	@Test
	void refusesToCancelAFailedInstance() {
		this.workflows.broken.set(true);
		String instanceId = this.orchestrator.start("flaky", Map.of()).instanceId();
		assertProblem(post(instanceId, Map.of("action", "cancel", "reason", "give up")), 409, "Conflict",
				"Instance " + instanceId + " has already ended (FAILED); there is nothing to cancel");
	}

	@Test
	void refusesACancellationOfAnInstanceThatEndsMeanwhile() {
		String gate = this.waitingWorkflows.newGate();
		String instanceId = startGated(gate);
		// the endpoint has seen it RUNNING; it completes before the cancellation arrives
		this.races.beforeNextAction(instanceId, () -> completeBehind(gate, instanceId));
		assertProblem(post(instanceId, Map.of("action", "cancel", "reason", "too slow")), 409, "Conflict",
				"Instance " + instanceId + " has already ended (COMPLETED); there is nothing to cancel");
		assertThat(this.orchestrator.status(instanceId).orElseThrow().status()).isEqualTo(WorkflowStatus.COMPLETED);
	}

	@Test
	void refusesASignalToAnInstanceThatEndsMeanwhile() {
		String gate = this.waitingWorkflows.newGate();
		String instanceId = startGated(gate);
		this.races.beforeNextAction(instanceId, () -> completeBehind(gate, instanceId));
		assertProblem(post(instanceId, Map.of("action", "signal", "name", "approve")), 409, "Conflict",
				(detail) -> assertThat(detail).contains(instanceId, "COMPLETED", "accepts no more signals"));
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

	private String startGated(String gate) {
		String instanceId = this.orchestrator.startAsync("gated", Map.of("gate", gate));
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(this.orchestrator.status(instanceId).orElseThrow().status())
				.isEqualTo(WorkflowStatus.RUNNING));
		return instanceId;
	}

	private void completeBehind(String gate, String instanceId) {
		this.waitingWorkflows.open(gate);
		assertThat(this.orchestrator.awaitCompletion(instanceId, WAIT).orElseThrow().status())
			.isEqualTo(WorkflowStatus.COMPLETED);
	}

}
