package io.orchwf.spring.actuate;

import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import io.orchwf.Orchestrator;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.test.web.servlet.client.RestTestClient.ResponseSpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of the {@code orchwf} actuator endpoint over HTTP that depend on the store:
 * what an id that names no instance answers, which filter values are refused before they
 * reach a database, and what a stored step shows (its error and error type). Each
 * subclass runs them on one store; all answers that refuse are RFC 9457 problem details.
 */
abstract class AbstractOrchwfEndpointWebTests {

	static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

	@Autowired
	protected RestTestClient client;

	@Autowired
	protected Orchestrator orchestrator;

	@Autowired
	private TestWorkflows testWorkflows;

	@Test
	void answersNotFoundForAnIdThatNamesNoInstance() {
		for (String instanceId : new String[] { "not-a-uuid", UUID.randomUUID().toString(), "1" }) {
			String detail = "No workflow instance with id " + instanceId;
			assertProblem(get("/actuator/orchwf/{instanceId}", instanceId), 404, "Not Found", detail);
			assertProblem(post(instanceId, Map.of("action", "resume")), 404, "Not Found", detail);
			assertProblem(post(instanceId, Map.of("action", "cancel", "reason", "why")), 404, "Not Found", detail);
			assertProblem(post(instanceId, Map.of("action", "signal", "name", "approve")), 404, "Not Found", detail);
		}
	}

	@Test
	void refusesFilterValuesNoStoreCanHold() {
		assertProblem(get("/actuator/orchwf?workflowId={value}", "a\u0000b"), 400, "Bad Request",
				"workflowId must not contain the character U+0000, which no store can hold; remove it");
		assertProblem(get("/actuator/orchwf?businessId={value}", "a\u0000b"), 400, "Bad Request",
				"businessId must not contain the character U+0000, which no store can hold; remove it");
		assertProblem(get("/actuator/orchwf?workflowId={value}", "w".repeat(256)), 400, "Bad Request",
				"workflowId must be at most 255 characters long but has 256");
		assertProblem(get("/actuator/orchwf?businessId={value}", "b".repeat(256)), 400, "Bad Request",
				"businessId must be at most 255 characters long but has 256");
		get("/actuator/orchwf?businessId={value}&workflowId={workflow}", "b".repeat(255), "w".repeat(255))
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.instances.total")
			.isEqualTo(0);
	}

	@Test
	void refusesToCancelOrResumeACompletedInstance() {
		String instanceId = this.orchestrator.start("orders", Map.of()).instanceId();
		assertProblem(post(instanceId, Map.of("action", "cancel", "reason", "too late")), 409, "Conflict",
				"Instance " + instanceId + " has already ended (COMPLETED); there is nothing to cancel");
		assertProblem(post(instanceId, Map.of("action", "resume")), 409, "Conflict", "Instance " + instanceId
				+ " is COMPLETED: only a FAILED instance can be resumed; a completed instance has nothing left to run");
	}

	@Test
	void showsAFailedStepsErrorAndItsType() {
		this.testWorkflows.broken.set(true);
		String instanceId = this.orchestrator.start("flaky", Map.of()).instanceId();
		get("/actuator/orchwf/{instanceId}", instanceId).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.instance.status")
			.isEqualTo("FAILED")
			.jsonPath("$.steps[0].stepId")
			.isEqualTo("call")
			.jsonPath("$.steps[0].error")
			.isEqualTo("the remote service is down")
			.jsonPath("$.steps[0].errorType")
			.isEqualTo("IllegalStateException");
	}

	/**
	 * Assert that an answer is a problem detail with this detail.
	 * @param response the answer
	 * @param status its expected status
	 * @param title the status's reason phrase
	 * @param detail the expected detail
	 */
	static void assertProblem(ResponseSpec response, int status, String title, String detail) {
		assertProblem(response, status, title, (value) -> assertThat(value).isEqualTo(detail));
	}

	/**
	 * Assert that an answer is a problem detail.
	 * @param response the answer
	 * @param status its expected status
	 * @param title the status's reason phrase
	 * @param detail what its detail must satisfy
	 */
	static void assertProblem(ResponseSpec response, int status, String title, Consumer<String> detail) {
		response.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentTypeCompatibleWith(PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo("about:blank")
			.jsonPath("$.title")
			.isEqualTo(title)
			.jsonPath("$.status")
			.isEqualTo(status)
			.jsonPath("$.detail")
			.value(String.class, detail)
			.jsonPath("$.message")
			.doesNotExist();
	}

	protected ResponseSpec get(String uri, Object... variables) {
		return this.client.get().uri(uri, variables).exchange();
	}

	protected ResponseSpec post(String instanceId, Map<String, ?> body) {
		return this.client.post()
			.uri("/actuator/orchwf/{instanceId}", instanceId)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange();
	}

}
