package io.orchwf.spring.dashboard;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.orchwf.Orchestrator;
import io.orchwf.OverlapPolicy;
import io.orchwf.Schedule;
import io.orchwf.StartOptions;
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
import org.springframework.web.util.UriUtils;

import static io.orchwf.spring.dashboard.DashboardClient.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard's pages over HTTP, with the dashboard on and its actions off: the
 * overview, the instance list with its filters and pages, the instance page with its DAG,
 * timeline, data, signals and history, the pages that answer a bad or unknown request,
 * the actions refused, and every value escaped on every page.
 */
@SpringBootTest(classes = DashboardTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "orchwf.dashboard.enabled=true", "orchwf.shutdown.await-termination=1s" })
@DirtiesContext
class DashboardWebTests {

	static final String MARKUP = "<script>alert('business')</script>";

	@LocalServerPort
	private int port;

	@Autowired
	private Orchestrator orchestrator;

	private DashboardClient client;

	@BeforeEach
	void client() {
		this.client = new DashboardClient(this.port);
	}

	@Test
	void overviewShowsEveryWorkflowWithItsDagAndItsCountsByStatus() {
		this.orchestrator.start("orders", Map.of());
		Answer answer = this.client.get("/orchwf");
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.header("content-type")).startsWith("text/html").contains("UTF-8");
		assertThat(answer.header("cache-control")).isEqualTo("no-store");
		assertThat(answer.header("content-security-policy")).startsWith("default-src 'none'")
			.contains("script-src 'sha256-")
			.doesNotContain("unsafe-inline");
		Document page = answer.document();
		assertThat(page.select("section.workflow").eachAttr("data-workflow-id"))
			.containsExactly(DashboardTestWorkflows.EVIL_WORKFLOW, "flaky", "halted", "orders", "paged", "waiting");
		Element orders = page.selectFirst("section.workflow[data-workflow-id=orders]");
		assertThat(orders.selectFirst(".tag").text()).isEqualTo("v2.0.0");
		assertThat(Pages.dagSteps(orders.selectFirst("svg.dag"))).containsExactlyInAnyOrder("validate", "reserve",
				"charge", "ship");
		Element olderVersion = orders.selectFirst("details");
		assertThat(olderVersion.selectFirst("summary").text()).startsWith("Version 1.0.0");
		assertThat(Pages.dagSteps(olderVersion)).containsExactly("validate", "ship");
		assertThat(orders.select("svg.dag path.dag-edge")).hasSize(4 + 1);
		Element completed = orders.selectFirst(".counts a[data-status=COMPLETED]");
		assertThat(completed.attr("href")).isEqualTo("/orchwf/instances?workflow=orders&status=COMPLETED");
		assertThat(Long.parseLong(completed.attr("data-count"))).isPositive();
		assertThat(completed.text()).containsIgnoringCase("completed");
		assertThat(page.select("svg.dag g.dag-node[data-status]")).as("a definition's DAG has no states").isEmpty();
		assertThat(page.select("nav.tiles a[data-status=COMPLETED]").attr("href"))
			.isEqualTo("/orchwf/instances?status=COMPLETED");
		assertThat(this.client.get("/orchwf/").status()).isEqualTo(200);
	}

	@Test
	void overviewShowsTheSchedulesWithTheirTicksAndFireTimes() {
		assertThat(this.client.get("/orchwf").document().select("section.schedules")).as("none: no section").isEmpty();
		this.orchestrator.schedule(Schedule.cron("nightly-<b>report</b>", "0 0 2 * * *")
			.workflow("orders")
			.zone(ZoneId.of("Europe/Paris"))
			.build());
		this.orchestrator.schedule(
				Schedule.every("often", Duration.ofHours(6)).workflow("flaky").overlap(OverlapPolicy.ALLOW).build());
		try {
			Document page = this.client.get("/orchwf").document();
			Element schedules = page.selectFirst("section.schedules");
			assertThat(schedules.select("tr[data-schedule]").eachAttr("data-schedule"))
				.containsExactly("nightly-<b>report</b>", "often");
			Element nightly = schedules.select("tr[data-schedule]").get(0);
			assertThat(nightly.select("td").eachText()).containsExactly("nightly-<b>report</b>", "orders",
					"0 0 2 * * * Europe/Paris",
					this.orchestrator.schedules().get(0).nextFireAt().truncatedTo(ChronoUnit.MILLIS).toString(), "—",
					"—");
			assertThat(nightly.select("b")).as("the name is escaped").isEmpty();
			assertThat(schedules.selectFirst("tr[data-schedule=often]").text()).contains("every 6 h 00 min")
				.contains("overlaps allowed");
		}
		finally {
			this.orchestrator.unschedule("nightly-<b>report</b>");
			this.orchestrator.unschedule("often");
		}
	}

	@Test
	void aStepThatNeverRanInAFinishedInstanceReadsNotRun() {
		String id = this.orchestrator.start("halted", Map.of()).instanceId();
		Document page = this.client.get("/orchwf/instances/" + id).document();
		Element after = page.selectFirst("table.steps tr[data-step-id=after]");
		assertThat(after.attr("data-status")).isEqualTo("PENDING");
		assertThat(after.selectFirst(".badge").text()).isEqualTo("Not run");
		assertThat(page.selectFirst("svg.dag g.dag-node[data-step-id=after] .dag-detail").text()).isEqualTo("Not run");
		assertThat(page.selectFirst(".legend").text()).contains("Not run 1").doesNotContain("Pending");
	}

	@Test
	void instancePageShowsEveryStepOfTheDagWithItsStatus() {
		String completed = this.orchestrator.start("orders", Map.of("order", "o-1")).instanceId();
		Document page = page("/orchwf/instances/" + completed);
		assertThat(Pages.dagStatuses(page)).containsOnlyKeys("validate", "reserve", "charge", "ship")
			.containsValue("COMPLETED")
			.doesNotContainValue("FAILED");
		assertThat(page.select("svg.dag g.dag-node[data-step-id=charge] text").text()).contains("Completed")
			.contains("2 attempts");
		assertThat(page.selectFirst("h1").attr("data-status")).isEqualTo("COMPLETED");
		assertThat(page.select("svg.timeline rect.tl-bar[data-step-id=charge]").eachAttr("data-outcome"))
			.containsExactly("RETRYING", "COMPLETED");
		assertThat(page.select("table.attempts tr[data-step-id=charge]").first().text()).contains("gateway_busy")
			.contains("the payment gateway is busy");
		assertThat(page.select("table.history tr").eachAttr("data-event")).contains("WORKFLOW_STARTED", "STEP_STARTED",
				"STEP_RETRYING", "STEP_COMPLETED", "WORKFLOW_COMPLETED");

		String waiting = startWaiting(Map.of(), StartOptions.builder().build());
		assertThat(Pages.dagStatuses(page("/orchwf/instances/" + waiting)))
			.containsExactly(Map.entry("await", "WAITING"));

		String failed = this.orchestrator.start("flaky", Map.of("token", UUID.randomUUID().toString())).instanceId();
		Document failedPage = page("/orchwf/instances/" + failed);
		assertThat(Pages.dagStatuses(failedPage)).containsExactly(Map.entry("call", "FAILED"));
		Element step = failedPage.selectFirst("table.steps tr[data-step-id=call]");
		assertThat(step.attr("data-status")).isEqualTo("FAILED");
		assertThat(step.selectFirst(".error .type").text()).isEqualTo("remote_down");
		assertThat(step.selectFirst(".error").text()).contains("the remote service is down");
		assertThat(failedPage.selectFirst("main > .error").text()).startsWith("step call failed after 1 attempt");
	}

	@Test
	void instancePageShowsItsDataSignalsIdempotencyKeyAndHistory() {
		Map<String, Object> input = new LinkedHashMap<>();
		for (int i = 0; i < 40; i++) {
			input.put("line" + i, "item " + i);
		}
		String key = "key-" + UUID.randomUUID();
		String instanceId = startWaiting(input, StartOptions.builder().idempotencyKey(key).build());
		this.orchestrator.signal(instanceId, "note", Map.of("by", "ann"));
		Document page = page("/orchwf/instances/" + instanceId);
		assertThat(page.select("dl.facts dd code").eachText()).contains(key, "waiting");
		Element folded = page.selectFirst("section[aria-labelledby=data] details.json");
		assertThat(folded).as("a long input is folded").isNotNull();
		assertThat(folded.selectFirst("pre").text()).contains("\"line39\" : \"item 39\"");
		Element signal = page.selectFirst("table.signals tr[data-signal=note]");
		assertThat(signal.text()).contains("{\"by\":\"ann\"}");
		assertThat(page.select("table.history tr").eachAttr("data-event")).contains("SIGNAL_RECEIVED");
		assertThat(page.select("form[method=post]")).as("no action while actions are off").isEmpty();
		assertThat(page.text()).contains("orchwf.dashboard.actions-enabled=true");
	}

	@Test
	void listFiltersByWorkflowStatusBusinessIdInstanceIdAndIdempotencyKey() {
		String business = "filter-" + UUID.randomUUID();
		String key = "key-" + UUID.randomUUID();
		String completed = this.orchestrator.start("orders", Map.of(), Map.of("business_id", business)).instanceId();
		String failed = this.orchestrator
			.start("flaky", Map.of("token", UUID.randomUUID().toString()), Map.of("business_id", business))
			.instanceId();
		String waiting = startWaiting(Map.of(),
				StartOptions.builder().metadata(Map.of("business_id", business)).idempotencyKey(key).build());
		String filter = "/orchwf/instances?businessId=" + encode(business);
		assertThat(listed(filter)).containsExactlyInAnyOrder(completed, failed, waiting);
		assertThat(listed(filter + "&workflow=flaky")).containsExactly(failed);
		assertThat(listed(filter + "&status=FAILED&status=COMPLETED")).containsExactlyInAnyOrder(completed, failed);
		assertThat(listed(filter + "&status=waiting,failed")).containsExactlyInAnyOrder(failed, waiting);
		assertThat(listed("/orchwf/instances?id=" + waiting)).containsExactly(waiting);
		assertThat(listed("/orchwf/instances?id=" + encode(key))).containsExactly(waiting);
		Document mismatch = page("/orchwf/instances?workflow=orders&id=" + encode(key));
		assertThat(mismatch.select("tr[data-instance-id]")).isEmpty();
		assertThat(mismatch.text()).contains("no instance has this id");

		Document page = page(filter + "&workflow=flaky&status=FAILED");
		assertThat(page.selectFirst("select[name=workflow] option[selected]").val()).isEqualTo("flaky");
		assertThat(page.select("input[name=status][checked]").eachAttr("value")).containsExactly("FAILED");
		assertThat(page.selectFirst("input[name=businessId]").val()).isEqualTo(business);
		Element row = page.selectFirst("tr[data-instance-id]");
		assertThat(row.attr("data-status")).isEqualTo("FAILED");
		assertThat(row.selectFirst("a").attr("href")).isEqualTo("/orchwf/instances/" + failed);
		assertThat(row.text()).contains(business).contains("step call failed");
	}

	@Test
	void listPagesThroughTheMatchingInstancesNewestFirst() {
		String business = "paged-" + UUID.randomUUID();
		for (int i = 0; i < 25; i++) {
			this.orchestrator.start("paged", Map.of(), Map.of("business_id", business));
		}
		List<String> seen = new ArrayList<>();
		String next = "/orchwf/instances?workflow=paged&businessId=" + encode(business) + "&limit=10";
		List<Integer> sizes = new ArrayList<>();
		Document page = null;
		while (next != null) {
			page = page(next);
			List<String> ids = page.select("tr[data-instance-id]").eachAttr("data-instance-id");
			sizes.add(ids.size());
			seen.addAll(ids);
			Element link = page.selectFirst("nav.pager a[rel=next]");
			next = (link != null) ? link.attr("href") : null;
		}
		assertThat(sizes).containsExactly(10, 10, 5);
		assertThat(new LinkedHashSet<>(seen)).hasSize(25);
		assertThat(page.selectFirst("nav.pager a[rel=prev]").attr("href")).contains("offset=10").contains("limit=10");
		assertThat(page.text()).contains("Showing 21–25 of 25 matching instances").contains("Page 3 of 3");
		List<Instant> created = seen.stream()
			.map((id) -> this.orchestrator.status(id).orElseThrow().createdAt())
			.toList();
		for (int i = 1; i < created.size(); i++) {
			assertThat(created.get(i)).as("instance %d, newest first", i).isBeforeOrEqualTo(created.get(i - 1));
		}
	}

	@Test
	void answersNotFoundWithAPage() {
		for (String id : new String[] { UUID.randomUUID().toString(), "not-a-uuid" }) {
			Answer answer = this.client.get("/orchwf/instances/" + id);
			assertThat(answer.status()).isEqualTo(404);
			assertThat(answer.header("content-type")).startsWith("text/html");
			assertThat(answer.document().selectFirst(".problem .message").text())
				.isEqualTo("No workflow instance with id '" + id + "'");
		}
		Answer unknownPage = this.client.get("/orchwf/nothing/here");
		assertThat(unknownPage.status()).isEqualTo(404);
		assertThat(unknownPage.document().selectFirst(".problem").attr("data-status-code")).isEqualTo("404");
		assertThat(unknownPage.body()).doesNotContain("Exception").doesNotContain("at io.orchwf");
	}

	@Test
	void answersBadRequestWithAPageNamingTheValue() {
		assertBadRequest("/orchwf/instances?status=LOST", "Unknown status 'LOST'");
		assertBadRequest("/orchwf/instances?limit=0", "limit must be a whole number from 1 to 200 but was '0'");
		assertBadRequest("/orchwf/instances?limit=ten", "limit must be a whole number from 1 to 200");
		assertBadRequest("/orchwf/instances?offset=-1", "offset must be a whole number from 0 but was '-1'");
		assertBadRequest("/orchwf/instances?businessId=" + "b".repeat(256),
				"businessId must be at most 255 characters long but has 256");
		assertBadRequest("/orchwf/instances?workflow=a%00b", "workflow must not contain the character U+0000");
	}

	@Test
	void refusesEveryActionWhileActionsAreOff() {
		String waiting = startWaiting(Map.of(), StartOptions.builder().build());
		for (String id : new String[] { waiting, UUID.randomUUID().toString() }) {
			for (String action : new String[] { "cancel", "resume", "signal" }) {
				Answer answer = this.client.post("/orchwf/instances/" + id + "/" + action,
						List.of(Map.entry("reason", "why"), Map.entry("name", "go")));
				assertThat(answer.status()).as("%s of %s", action, id).isEqualTo(403);
				assertThat(answer.document().selectFirst(".problem .message").text())
					.contains("orchwf.dashboard.actions-enabled=true");
			}
		}
		for (String action : new String[] { "cancel", "resume" }) {
			assertThat(this.client.post("/orchwf/instances/" + action, List.of(Map.entry("reason", "why"))).status())
				.isEqualTo(403);
		}
		assertThat(this.orchestrator.status(waiting).orElseThrow().status()).isEqualTo(WorkflowStatus.WAITING);
		assertThat(page("/orchwf/instances").select("form[method=post]")).isEmpty();
	}

	@Test
	void escapesEveryValueOnEveryPage() {
		String evil = this.orchestrator.startAsync(DashboardTestWorkflows.EVIL_WORKFLOW,
				Map.of("note", "<script>alert('input')</script>", "\"><img src=x>", "key"),
				StartOptions.builder()
					.metadata(Map.of("business_id", MARKUP))
					.idempotencyKey("<script>alert('key')</script>")
					.build());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.orchestrator.status(evil).orElseThrow().status() == WorkflowStatus.WAITING);
		this.orchestrator.signal(evil, "<b>note</b>", Map.of("<i>by</i>", "<script>alert('payload')</script>"));
		String failed = this.orchestrator
			.start("flaky", Map.of("token", "<script>alert('token')</script>"), Map.of("business_id", MARKUP))
			.instanceId();
		Map<String, String[]> pages = new LinkedHashMap<>();
		pages.put("/orchwf", new String[] { DashboardTestWorkflows.EVIL_WORKFLOW, "<b>Evil</b> & \"co\"",
				DashboardTestWorkflows.EVIL_STEP, DashboardTestWorkflows.EVIL_WAIT });
		pages.put("/orchwf/instances", new String[] { MARKUP, DashboardTestWorkflows.EVIL_WORKFLOW });
		pages.put("/orchwf/instances?businessId=" + encode(MARKUP) + "&workflow="
				+ encode(DashboardTestWorkflows.EVIL_WORKFLOW) + "&id=" + encode("<script>alert('key')</script>"),
				new String[] { MARKUP, "<script>alert('key')</script>" });
		pages.put("/orchwf/instances/" + evil,
				new String[] { MARKUP, "<script>alert('input')</script>", "<script>alert('key')</script>",
						DashboardTestWorkflows.EVIL_STEP, DashboardTestWorkflows.EVIL_WAIT, "<b>note</b>",
						"<script>alert('payload')</script>", "<script>alert('output')</script>" });
		pages.put("/orchwf/instances/" + failed,
				new String[] { MARKUP, "the remote service is down: <script>alert('error')</script>" });
		// a slash, even encoded, would not reach the application: Tomcat refuses it
		pages.put("/orchwf/instances/" + segment("<img src=x onerror=alert('id')>"),
				new String[] { "<img src=x onerror=alert('id')>" });
		pages.put("/orchwf/instances?status=" + encode("<script>"), new String[] { "<script>" });
		// the page names the path as it was requested, encoded
		pages.put("/orchwf/" + segment("<img src=x onerror=alert('path')>"),
				new String[] { "/orchwf/%3Cimg%20src=x%20onerror=alert('path')%3E" });
		for (Map.Entry<String, String[]> entry : pages.entrySet()) {
			Answer answer = this.client.get(entry.getKey());
			assertThat(answer.status()).as(entry.getKey()).isIn(200, 400, 404);
			assertThat(answer.document().title()).as(entry.getKey()).endsWith("· orchwf");
			Pages.assertEscaped(answer.document(), entry.getValue());
		}
	}

	private String startWaiting(Map<String, Object> input, StartOptions options) {
		String instanceId = this.orchestrator.startAsync("waiting", input, options);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.orchestrator.status(instanceId).map(WorkflowInstance::status).orElse(null),
					(status) -> status == WorkflowStatus.WAITING);
		return instanceId;
	}

	private static String segment(String value) {
		return UriUtils.encodePathSegment(value, StandardCharsets.UTF_8);
	}

	private Document page(String path) {
		Answer answer = this.client.get(path);
		assertThat(answer.status()).as("GET %s: %s", path, answer.body()).isEqualTo(200);
		return answer.document();
	}

	private List<String> listed(String path) {
		return page(path).select("tr[data-instance-id]").eachAttr("data-instance-id");
	}

	private void assertBadRequest(String path, String message) {
		Answer answer = this.client.get(path);
		assertThat(answer.status()).as(path).isEqualTo(400);
		assertThat(answer.document().selectFirst(".problem .message").text()).as(path).contains(message);
	}

}
