package io.orchwf.spring.actuate;

import java.util.Map;

import io.orchwf.Orchestrator;
import io.orchwf.WorkflowStatus;
import io.orchwf.spring.actuate.OrchwfEndpoint.ActionDescriptor;
import io.orchwf.spring.actuate.OrchwfEndpoint.InstanceDescriptor;
import io.orchwf.spring.actuate.OrchwfEndpoint.OrchwfDescriptor;
import io.orchwf.spring.actuate.OrchwfEndpointWebExtension.Problem;
import io.orchwf.spring.autoconfigure.OrchwfAutoConfiguration;
import io.orchwf.spring.autoconfigure.OrchwfEndpointAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OrchwfEndpointWebExtension}: the status codes and problem details of
 * every operation.
 */
class OrchwfEndpointWebExtensionTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OrchwfAutoConfiguration.class, OrchwfEndpointAutoConfiguration.class))
		.withUserConfiguration(TestWorkflows.class)
		.withPropertyValues("orchwf.store=memory", "orchwf.shutdown.await-termination=1s",
				"management.endpoints.web.exposure.include=orchwf");

	@Test
	void listsWithOkOrRejectsWithBadRequest() {
		this.runner.run((context) -> {
			OrchwfEndpointWebExtension extension = context.getBean(OrchwfEndpointWebExtension.class);
			WebEndpointResponse<Object> ok = extension.orchwf(null, null, null, null, null);
			assertThat(ok.getStatus()).isEqualTo(200);
			assertThat(ok.getBody()).isInstanceOf(OrchwfDescriptor.class);
			assertError(extension.orchwf(null, "sleeping", null, null, null), 400, "Unknown status 'sleeping'");
			assertError(extension.orchwf(null, null, null, "5000", null), 400,
					"limit must be a whole number between 1 and 1000 but was '5000'");
			assertError(extension.orchwf(null, null, null, "abc", null), 400,
					"limit must be a whole number between 1 and 1000 but was 'abc'");
			assertError(extension.orchwf("a\u0000b", null, null, null, null), 400,
					"workflowId must not contain the character U+0000");
		});
	}

	@Test
	void readsAnInstanceOrAnswersNotFound() {
		this.runner.run((context) -> {
			OrchwfEndpointWebExtension extension = context.getBean(OrchwfEndpointWebExtension.class);
			String instanceId = context.getBean(Orchestrator.class).start("orders", Map.of()).instanceId();
			WebEndpointResponse<Object> ok = extension.instance(instanceId);
			assertThat(ok.getStatus()).isEqualTo(200);
			assertThat(ok.getBody()).isInstanceOfSatisfying(InstanceDescriptor.class,
					(instance) -> assertThat(instance.instance().id()).isEqualTo(instanceId));
			assertError(extension.instance("missing"), 404, "No workflow instance with id missing");
		});
	}

	@Test
	void answersActionsWithTheirStatus() {
		this.runner.run((context) -> {
			OrchwfEndpointWebExtension extension = context.getBean(OrchwfEndpointWebExtension.class);
			Orchestrator orchestrator = context.getBean(Orchestrator.class);
			TestWorkflows workflows = context.getBean(TestWorkflows.class);
			try {
				String running = TestWorkflows.startRunning(orchestrator, "approval");
				WebEndpointResponse<Object> signalled = extension.action(running, "signal", null, "approve", "{}");
				assertThat(signalled.getStatus()).isEqualTo(200);
				WebEndpointResponse<Object> cancelled = extension.action(running, "cancel", "stop", null, null);
				assertThat(cancelled.getStatus()).isEqualTo(200);
				assertThat(cancelled.getBody()).isInstanceOfSatisfying(ActionDescriptor.class,
						(answer) -> assertThat(answer.instance().status()).isEqualTo(WorkflowStatus.CANCELLED));
				assertError(extension.action(running, "signal", null, "approve", null), 409, "accepts no more signals");
				assertError(extension.action(running, "cancel", "again", null, null), 409,
						"Instance " + running + " has already ended (CANCELLED); there is nothing to cancel");
				assertError(extension.action(running, "resume", null, null, null), 409,
						"Instance " + running + " is CANCELLED: only a FAILED instance can be resumed");
				String failed = orchestrator.start("flaky", Map.of()).instanceId();
				WebEndpointResponse<Object> resumed = extension.action(failed, "resume", null, null, null);
				assertThat(resumed.getStatus()).isEqualTo(202);
				assertThat(resumed.getContentType()).isNull();
				assertError(extension.action(running, "dance", null, null, null), 400, "Unknown action 'dance'");
				assertError(extension.action(running, null, null, null, null), 400, "Missing action");
				assertError(extension.action(running, "signal", null, null, null), 400, "Action signal needs a name");
				assertError(extension.action("missing", "resume", null, null, null), 404,
						"No workflow instance with id missing");
			}
			finally {
				workflows.release.countDown();
			}
		});
	}

	private static void assertError(WebEndpointResponse<Object> response, int status, String detail) {
		assertThat(response.getStatus()).isEqualTo(status);
		assertThat(response.getContentType()).hasToString("application/problem+json");
		assertThat(response.getBody()).isInstanceOfSatisfying(Problem.class, (problem) -> {
			assertThat(problem.type()).isEqualTo("about:blank");
			assertThat(problem.title()).isEqualTo(switch (status) {
				case 400 -> "Bad Request";
				case 404 -> "Not Found";
				default -> "Conflict";
			});
			assertThat(problem.status()).isEqualTo(status);
			assertThat(problem.detail()).contains(detail);
		});
	}

}
