package io.orchwf.spring.dashboard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.orchwf.Orchestrator;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowStatus;
import io.orchwf.spring.dashboard.DashboardClient.Answer;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static io.orchwf.spring.dashboard.DashboardClient.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's actions over HTTP, with actions on and a CSRF protection that stands in
 * for Spring Security's ({@link FakeCsrf}): each form carries the token, each action
 * redirects to its page with a message, and each refusal is a page with its status: 400
 * for a bad value, 404 for an unknown instance, 409 for an action the instance cannot
 * take.
 */
@SpringBootTest(classes = { DashboardTestApplication.class, FakeCsrf.class },
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "orchwf.dashboard.enabled=true", "orchwf.dashboard.actions-enabled=true",
				"orchwf.shutdown.await-termination=1s" })
@DirtiesContext
class DashboardActionsWebTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private Orchestrator orchestrator;

	@Autowired
	private DashboardTestWorkflows workflows;

	private DashboardClient client;

	@BeforeEach
	void client() {
		this.client = new DashboardClient(this.port);
	}

	@Test
	void formsCarryTheCsrfTokenOfTheRequest() {
		String waiting = startWaiting("csrf");
		Document page = page("/orchwf/instances/" + waiting);
		for (String action : new String[] { "cancel", "signal" }) {
			Element form = Pages.form(page, "/orchwf/instances/" + waiting + "/" + action);
			assertThat(form.selectFirst("input[type=hidden][name=" + FakeCsrf.PARAMETER + "]").val())
				.isEqualTo(FakeCsrf.TOKEN);
		}
		Answer withoutToken = this.client.post("/orchwf/instances/" + waiting + "/cancel",
				List.of(Map.entry("reason", "no token")));
		assertThat(withoutToken.status()).isEqualTo(403);
		assertThat(status(waiting)).isEqualTo(WorkflowStatus.WAITING);
		Document list = page("/orchwf/instances?workflow=waiting");
		assertThat(Pages.form(list, "/orchwf/instances/cancel")
			.selectFirst("input[type=hidden][name=" + FakeCsrf.PARAMETER + "]")
			.val()).isEqualTo(FakeCsrf.TOKEN);
	}

	@Test
	void cancelsAnInstanceAndSaysSoOnItsPage() {
		String waiting = startWaiting("cancel");
		Document page = submit(page("/orchwf/instances/" + waiting), "/orchwf/instances/" + waiting + "/cancel",
				Map.of("reason", "the customer asked"));
		assertThat(page.selectFirst(".flash").text()).isEqualTo("Instance cancelled: the customer asked");
		assertThat(page.selectFirst("h1").attr("data-status")).isEqualTo("CANCELLED");
		assertThat(page.select("table.history tr").eachAttr("data-event")).contains("WORKFLOW_CANCELLED");
		assertThat(page.text()).contains("the customer asked");
		assertThat(status(waiting)).isEqualTo(WorkflowStatus.CANCELLED);
		assertThat(page("/orchwf/instances/" + waiting).select(".flash")).as("the message shows once").isEmpty();
	}

	@Test
	void resumesAFailedInstance() {
		String token = UUID.randomUUID().toString();
		String failed = this.orchestrator.start("flaky", Map.of("token", token)).instanceId();
		Document page = page("/orchwf/instances/" + failed);
		Pages.form(page, "/orchwf/instances/" + failed + "/resume");
		assertThat(page.select("form[action$=/cancel]")).as("a failed instance cannot be cancelled").isEmpty();
		this.workflows.fix(token);
		Document resumed = submit(page, "/orchwf/instances/" + failed + "/resume", Map.of());
		assertThat(resumed.selectFirst(".flash").text()).startsWith("Instance resumed");
		await().atMost(WAIT).until(() -> status(failed) == WorkflowStatus.COMPLETED);
		assertThat(Pages.dagStatuses(page("/orchwf/instances/" + failed)))
			.containsExactly(Map.entry("call", "COMPLETED"));
	}

	@Test
	void signalsAnInstance() {
		String waiting = startWaiting("signal");
		Document page = submit(page("/orchwf/instances/" + waiting), "/orchwf/instances/" + waiting + "/signal",
				Map.of("name", "go", "payload", "{\"approvedBy\": \"ann\", \"lines\": [1, 2]}"));
		assertThat(page.selectFirst(".flash").text()).isEqualTo("Signal 'go' sent.");
		await().atMost(WAIT).until(() -> status(waiting) == WorkflowStatus.COMPLETED);
		WorkflowInstance instance = this.orchestrator.status(waiting).orElseThrow();
		assertThat(instance.output()).containsEntry("approvedBy", "ann").containsEntry("lines", List.of(1, 2));
		Document completed = page("/orchwf/instances/" + waiting);
		assertThat(completed.selectFirst("table.signals tr[data-signal=go]").text()).contains("\"approvedBy\":\"ann\"");
	}

	@Test
	void answersBadRequestForAValueItCannotTake() {
		String waiting = startWaiting("bad");
		String signal = "/orchwf/instances/" + waiting + "/signal";
		assertRefused(signal, Map.of("name", "go", "payload", "[1, 2]"), 400,
				"payload must be a JSON object, such as {\"approvedBy\": \"ann\"}, but was '[1, 2]'");
		assertRefused(signal, Map.of("name", "go", "payload", "{\"approvedBy\": "), 400,
				"payload must be a JSON object, such as {\"approvedBy\": \"ann\"}, but is not valid JSON");
		assertRefused(signal, Map.of("name", "go", "payload", "{} {}"), 400, "is not valid JSON");
		assertRefused(signal, Map.of("payload", "{}"), 400, "A signal needs a name");
		assertRefused(signal, Map.of("name", "n".repeat(256)), 400,
				"name must be at most 255 characters long but has 256");
		assertRefused("/orchwf/instances/" + waiting + "/cancel", Map.of("reason", "  "), 400,
				"A cancellation needs a reason");
		assertRefused("/orchwf/instances/cancel", Map.of("workflow", "waiting"), 400, "A cancellation needs a reason");
		assertRefused("/orchwf/instances/cancel", Map.of("reason", "everything"), 400, "A bulk action needs a filter");
		assertRefused("/orchwf/instances/resume", Map.of(), 400, "A bulk action needs a filter");
		assertThat(page("/orchwf/instances").select("#bulk-actions")).as("no bulk action on the unfiltered list")
			.isEmpty();
		assertRefused("/orchwf/instances/cancel", Map.of("status", "COMPLETED", "reason", "why"), 400, "PENDING");
		assertThat(status(waiting)).isEqualTo(WorkflowStatus.WAITING);
	}

	@Test
	void answersNotFoundForAnUnknownInstance() {
		for (String id : new String[] { UUID.randomUUID().toString(), "not-a-uuid" }) {
			String detail = "No workflow instance with id '" + id + "'";
			assertRefused("/orchwf/instances/" + id + "/cancel", Map.of("reason", "why"), 404, detail);
			assertRefused("/orchwf/instances/" + id + "/resume", Map.of(), 404, detail);
			assertRefused("/orchwf/instances/" + id + "/signal", Map.of("name", "go"), 404, detail);
		}
	}

	@Test
	void answersConflictForAnActionTheInstanceCannotTake() {
		String completed = this.orchestrator.start("orders", Map.of()).instanceId();
		String waiting = startWaiting("conflict");
		assertRefused("/orchwf/instances/" + completed + "/cancel", Map.of("reason", "too late"), 409,
				"Instance " + completed + " has already ended (completed); there is nothing to cancel");
		assertRefused("/orchwf/instances/" + completed + "/resume", Map.of(), 409, "Instance " + completed
				+ " is completed: only a failed instance can be resumed; a completed instance has nothing left to run");
		assertRefused("/orchwf/instances/" + waiting + "/resume", Map.of(), 409,
				"a waiting instance goes on by itself");
		assertRefused("/orchwf/instances/" + completed + "/signal", Map.of("name", "go"), 409,
				"accepts no more signals");
	}

	@Test
	void cancelsEveryInstanceAFilterMatches() {
		String business = "bulk-cancel-" + UUID.randomUUID();
		List<String> matching = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			matching.add(startWaiting(business));
		}
		String other = startWaiting("bulk-other-" + UUID.randomUUID());
		Document list = page("/orchwf/instances?workflow=waiting&businessId=" + encode(business));
		assertThat(list.selectFirst("#bulk-actions").text()).isEqualTo("Act on all 3 matching instances");
		Document after = submit(list, "/orchwf/instances/cancel", Map.of("reason", "closing the shop"));
		assertThat(after.selectFirst(".flash").text()).startsWith("Cancellation requested for 3 instances");
		assertThat(after.selectFirst("input[name=businessId]").val()).as("the list keeps its filter")
			.isEqualTo(business);
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(matching)
				.allSatisfy((instanceId) -> assertThat(status(instanceId)).isEqualTo(WorkflowStatus.CANCELLED)));
		assertThat(status(other)).isEqualTo(WorkflowStatus.WAITING);
	}

	@Test
	void resumesEveryFailedInstanceAFilterMatches() {
		String business = "bulk-resume-" + UUID.randomUUID();
		List<String> failed = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			String token = UUID.randomUUID().toString();
			failed.add(this.orchestrator.start("flaky", Map.of("token", token), Map.of("business_id", business))
				.instanceId());
			this.workflows.fix(token);
		}
		Document list = page("/orchwf/instances?businessId=" + encode(business) + "&status=FAILED");
		Document after = submit(list, "/orchwf/instances/resume", Map.of());
		assertThat(after.selectFirst(".flash").text()).startsWith("Resumed 3 failed instances");
		await().atMost(WAIT)
			.untilAsserted(() -> assertThat(failed)
				.allSatisfy((instanceId) -> assertThat(status(instanceId)).isEqualTo(WorkflowStatus.COMPLETED)));
	}

	@Test
	void escapesTheMessageAnActionLeaves() {
		String waiting = startWaiting("escape");
		String name = "<script>alert('signal')</script>";
		Document page = submit(page("/orchwf/instances/" + waiting), "/orchwf/instances/" + waiting + "/signal",
				Map.of("name", name, "payload", "{\"<b>x</b>\": \"<img src=x onerror=alert(1)>\"}"));
		assertThat(page.selectFirst(".flash").text()).isEqualTo("Signal '" + name + "' sent.");
		Pages.assertEscaped(page, name, "<img src=x onerror=alert(1)>");
	}

	private String startWaiting(String businessId) {
		String instanceId = this.orchestrator.startAsync("waiting", Map.of(), Map.of("business_id", businessId));
		await().atMost(WAIT).until(() -> status(instanceId) == WorkflowStatus.WAITING);
		return instanceId;
	}

	private WorkflowStatus status(String instanceId) {
		return this.orchestrator.status(instanceId).map(WorkflowInstance::status).orElse(null);
	}

	private Document page(String path) {
		Answer answer = this.client.get(path);
		assertThat(answer.status()).as("GET %s: %s", path, answer.body()).isEqualTo(200);
		return answer.document();
	}

	// fills a form of the page as a user would, keeping its hidden fields
	private Document submit(Document page, String action, Map<String, String> values) {
		Element form = Pages.form(page, action);
		List<Map.Entry<String, String>> fields = new ArrayList<>();
		for (Element hidden : form.select("input[type=hidden]")) {
			fields.add(Map.entry(hidden.attr("name"), hidden.val()));
		}
		values.forEach((name, value) -> fields.add(Map.entry(name, value)));
		Answer redirect = this.client.post(action, fields);
		assertThat(redirect.status()).as("POST %s: %s", action, redirect.body()).isEqualTo(303);
		return page(redirect.location());
	}

	private void assertRefused(String action, Map<String, String> values, int status, String message) {
		List<Map.Entry<String, String>> fields = new ArrayList<>(values.entrySet());
		fields.add(Map.entry(FakeCsrf.PARAMETER, FakeCsrf.TOKEN));
		Answer answer = this.client.post(action, fields);
		assertThat(answer.status()).as("POST %s %s", action, values).isEqualTo(status);
		assertThat(answer.header("content-type")).startsWith("text/html");
		Document page = answer.document();
		assertThat(page.selectFirst(".problem").attr("data-status-code")).isEqualTo(Integer.toString(status));
		assertThat(page.selectFirst(".problem .message").text()).as("POST %s %s", action, values).contains(message);
	}

}
