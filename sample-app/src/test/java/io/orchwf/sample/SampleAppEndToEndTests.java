package io.orchwf.sample;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import io.orchwf.sample.SampleAppClient.PlacedOrder;
import io.orchwf.sample.SampleAppClient.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.orchwf.sample.SampleAppClient.OPTIONAL_STEPS;
import static io.orchwf.sample.SampleAppClient.STEP_IDS;
import static io.orchwf.sample.SampleAppClient.decimal;
import static io.orchwf.sample.SampleAppClient.item;
import static io.orchwf.sample.SampleAppClient.orderJson;
import static io.orchwf.sample.SampleAppClient.stepAttempts;
import static io.orchwf.sample.SampleAppClient.stepStatus;
import static io.orchwf.sample.SampleAppClient.stepStatuses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample application's contract over HTTP, on an H2 file database of its own: an
 * order waits for its approval, takes an added item, and completes once approved; a
 * declined payment fails the workflow and compensates; a flaky gateway is retried; a
 * cancellation while waiting compensates; invalid requests and unknown orders are
 * answered with RFC 9457 problems; health, the {@code orchwf} endpoint and the metrics
 * are exposed.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "orchwf.recovery.poll-interval=100ms", "shop.approval-timeout=1m",
				// a declined order is resumed through the endpoint, read only by default
				"management.endpoint.orchwf.access=unrestricted" })
@DirtiesContext
class SampleAppEndToEndTests {

	@TempDir
	static Path dataDirectory;

	@Value("${local.server.port}")
	private int port;

	private SampleAppClient shop;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + dataDirectory.resolve("db").toAbsolutePath());
	}

	@BeforeEach
	void client() {
		this.shop = SampleAppClient.onPort(this.port);
	}

	@Test
	void anApprovedOrderCompletesWithTheItemAddedWhileItWaited() {
		Response placed = this.shop.postOrder(orderJson("c-1", null, item("book-1", 2, "12.50")));
		placed.assertStatus(202);
		String orderId = placed.read("$.orderId");
		String instanceId = placed.read("$.workflowInstanceId");
		assertThat(UUID.fromString(orderId)).isNotNull();
		assertThat(UUID.fromString(instanceId)).isNotNull();
		assertThat(placed.location()).as("Location").isNotNull().endsWith("/orders/" + orderId);

		String waiting = this.shop.awaitWaitingForApproval(orderId);
		assertThat(this.shop.get(placed.location()).assertStatus(200).<String>read("$.orderId")).isEqualTo(orderId);
		assertThat(read(waiting, "$.status")).isEqualTo("PLACED");
		assertThat(read(waiting, "$.customerId")).isEqualTo("c-1");
		assertThat(read(waiting, "$.email")).isEqualTo("ann@example.com");
		assertThat(read(waiting, "$.paymentMethod")).as("the default payment method").isEqualTo("card_ok");
		assertThat(read(waiting, "$.workflow.instanceId")).isEqualTo(instanceId);
		assertThat(decimal(waiting, "$.total")).isEqualByComparingTo("25.00");
		for (String stepId : SampleAppClient.STEPS_BEFORE_APPROVAL) {
			if (!OPTIONAL_STEPS.contains(stepId)) {
				assertThat(stepStatus(waiting, stepId)).as("%s in %s", stepId, waiting).isEqualTo("COMPLETED");
			}
		}
		assertThat(stepStatus(waiting, "process_payment")).as("process_payment before the approval")
			.isNotIn("RUNNING", "COMPLETED", "FAILED");

		Response added = this.shop.addItem(orderId, "pen-1", 3, "1.25").assertStatus(202);
		assertThat(read(added.body(), "$.orderId")).isEqualTo(orderId);
		assertThat(decimal(added.body(), "$.total")).isEqualByComparingTo("28.75");

		Response approved = this.shop.approve(orderId).assertStatus(202);
		assertThat(read(approved.body(), "$.orderId")).isEqualTo(orderId);
		assertThat(read(approved.body(), "$.workflowStatus")).isNotBlank();
		// the approval is recorded on the order with its signal, so these are refused at
		// once, whether or not the workflow has taken the approval yet
		this.shop.approve(orderId).assertProblem(409);
		this.shop.addItem(orderId, "pen-1", 1, "1.25").assertProblem(409);

		String completed = this.shop.awaitFinished(orderId, "COMPLETED", "COMPLETED");
		assertThat(read(completed, "$.approvedBy")).isEqualTo("ann");
		Map<String, String> steps = stepStatuses(completed);
		assertThat(steps.keySet()).as("steps of %s", completed).containsExactlyInAnyOrderElementsOf(STEP_IDS);
		steps.forEach((stepId, status) -> {
			if (OPTIONAL_STEPS.contains(stepId)) {
				assertThat(status).as("%s in %s", stepId, completed).isIn("COMPLETED", "FAILED", "SKIPPED");
			}
			else {
				assertThat(status).as("%s in %s", stepId, completed).isEqualTo("COMPLETED");
			}
		});
		assertThat(stepAttempts(completed, "process_payment")).as("card_ok is charged at once").isEqualTo(1);
		assertThat(read(completed, "$.workflow.error")).isNull();
		assertThat(decimal(completed, "$.total")).isEqualByComparingTo("28.75");
		assertThat(JsonPath.<List<String>>read(completed, "$.items[*].sku")).containsExactlyInAnyOrder("book-1",
				"pen-1");

		this.shop.approve(orderId).assertProblem(409);
		this.shop.cancel(orderId, "too late").assertProblem(409);
		this.shop.addItem(orderId, "pen-2", 1, "1.00").assertProblem(409);
		assertThat(decimal(this.shop.order(orderId).assertStatus(200).body(), "$.total")).isEqualByComparingTo("28.75");
	}

	@Test
	void aDeclinedPaymentFailsTheOrderAndCompensates() {
		PlacedOrder order = this.shop.placeOrder("card_declined");
		this.shop.awaitWaitingForApproval(order.orderId());
		this.shop.approve(order.orderId()).assertStatus(202);

		String failed = this.shop.awaitFinished(order.orderId(), "FAILED", "FAILED");
		assertThat(stepStatus(failed, "process_payment")).as(failed).isEqualTo("FAILED");
		assertThat(stepAttempts(failed, "process_payment")).as("a decline is not retried").isEqualTo(1);
		assertThat(stepStatus(failed, "reserve_stock")).as(failed).isEqualTo("COMPENSATED");
		assertThat(stepStatus(failed, "validate_order")).as(failed).isEqualTo("COMPENSATED");
		assertThat(stepStatus(failed, "create_shipment")).as("no shipment for a declined payment")
			.isNotIn("RUNNING", "COMPLETED");
		assertThat(read(failed, "$.workflow.error")).as("the workflow's error").isNotBlank();

		this.shop.approve(order.orderId()).assertProblem(409);
		this.shop.cancel(order.orderId()).assertProblem(409);
	}

	@Test
	void resumingADeclinedOrderRunsItsUndoneStepsAgainBeforeThePayment() {
		PlacedOrder order = this.shop.placeOrder("card_declined");
		this.shop.awaitWaitingForApproval(order.orderId());
		this.shop.approve(order.orderId()).assertStatus(202);
		this.shop.awaitFinished(order.orderId(), "FAILED", "FAILED");

		this.shop.post("/actuator/orchwf/" + order.workflowInstanceId(), "{\"action\": \"resume\"}").assertStatus(202);

		// the card is declined again, after the stock is reserved again
		String path = "/actuator/orchwf/" + order.workflowInstanceId();
		await().atMost(SampleAppClient.WAIT)
			.until(() -> events(this.shop.get(path).assertStatus(200).body()).stream()
				.filter("WORKFLOW_FAILED"::equals)
				.count() == 2);
		List<String> events = events(this.shop.get(path).body());
		List<String> afterResume = events.subList(events.indexOf("WORKFLOW_RESUMED"), events.size());
		assertThat(afterResume).containsSubsequence("STEP_STARTED validate_order", "STEP_COMPLETED validate_order",
				"STEP_STARTED reserve_stock", "STEP_COMPLETED reserve_stock", "STEP_STARTED process_payment",
				"STEP_FAILED process_payment", "STEP_COMPENSATED reserve_stock", "WORKFLOW_FAILED");
		assertThat(afterResume.indexOf("STEP_STARTED process_payment"))
			.as("the payment starts only once the stock is reserved again: " + afterResume)
			.isGreaterThan(afterResume.indexOf("STEP_COMPLETED reserve_stock"));
		assertThat(afterResume).as("nothing is started and then failed before it ran")
			.doesNotContain("STEP_FAILED reserve_stock", "STEP_FAILED validate_order");
	}

	private static List<String> events(String instance) {
		List<Map<String, Object>> history = JsonPath.read(instance, "$.history");
		return history.stream()
			.map((event) -> event.get("type") + ((event.get("stepId") != null) ? " " + event.get("stepId") : ""))
			.toList();
	}

	@Test
	void aFlakyGatewayIsRetriedUntilItCharges() {
		PlacedOrder order = this.shop.placeOrder("card_flaky");
		this.shop.awaitWaitingForApproval(order.orderId());
		this.shop.approve(order.orderId()).assertStatus(202);

		String completed = this.shop.awaitFinished(order.orderId(), "COMPLETED", "COMPLETED");
		assertThat(stepStatus(completed, "process_payment")).as(completed).isEqualTo("COMPLETED");
		assertThat(stepAttempts(completed, "process_payment")).as("two failures, then the charge").isEqualTo(3);
		assertThat(read(completed, "$.paymentMethod")).isEqualTo("card_flaky");
	}

	@Test
	void aCancellationWhileWaitingForTheApprovalCompensates() {
		PlacedOrder order = this.shop.placeOrder("card_ok");
		this.shop.awaitWaitingForApproval(order.orderId());

		Response cancelled = this.shop.cancel(order.orderId()).assertStatus(202);
		assertThat(read(cancelled.body(), "$.orderId")).isEqualTo(order.orderId());
		assertThat(read(cancelled.body(), "$.workflowStatus")).isNotBlank();

		String ended = this.shop.awaitFinished(order.orderId(), "CANCELLED", "CANCELLED");
		assertThat(stepStatus(ended, "reserve_stock")).as(ended).isEqualTo("COMPENSATED");
		assertThat(stepStatus(ended, "validate_order")).as(ended).isEqualTo("COMPENSATED");
		assertThat(stepStatus(ended, "process_payment")).as("no payment after a cancellation")
			.isNotIn("RUNNING", "COMPLETED");

		this.shop.approve(order.orderId()).assertProblem(409);
		this.shop.addItem(order.orderId(), "pen-1", 1, "1.25").assertProblem(409);
		this.shop.cancel(order.orderId(), "again").assertProblem(409);
		assertThat(read(this.shop.order(order.orderId()).assertStatus(200).body(), "$.status")).isEqualTo("CANCELLED");
	}

	@Test
	void anInvalidOrderIsAProblemNamingEachWrongField() {
		assertBadRequest("{\"items\": [" + item("book-1", 1, "1.00") + "]}", "customerId");
		assertBadRequest(orderJson(null, null, item("book-1", 1, "1.00")), "customerId");
		assertBadRequest(orderJson("  ", null, item("book-1", 1, "1.00")), "customerId");
		assertBadRequest(orderJson("c-1", null), "items");
		assertBadRequest("{\"customerId\": \"c-1\"}", "items");
		assertBadRequest(orderJson("c-1", null, item("book-1", 0, "1.00")), "items[0].quantity");
		assertBadRequest(orderJson("c-1", null, item("book-1", 1, "1.00"), item("book-2", 1001, "1.00")),
				"items[1].quantity");
		assertBadRequest(orderJson("c-1", null, item("book-1", 1, "-0.01")), "items[0].unitPrice");
		assertBadRequest(orderJson("c-1", null, item(" ", 1, "1.00")), "items[0].sku");
		assertBadRequest(orderJson("c-1", "bitcoin", item("book-1", 1, "1.00")), "paymentMethod");
		assertBadRequest("{\"customerId\": \"c-1\", \"email\": \"not an email\", \"items\": ["
				+ item("book-1", 1, "1.00") + "]}", "email");
		assertBadRequest(orderJson("", "bitcoin", item("", 0, "-1")), "customerId", "paymentMethod", "items[0].sku",
				"items[0].quantity", "items[0].unitPrice");
	}

	@Test
	void aMalformedBodyIsAProblemSayingItCannotBeRead() {
		Response response = this.shop.postOrder("{\"customerId\": \"c-1\", \"items\": [").assertProblem(400);
		assertThat(response.<String>read("$.detail")).as("detail of %s", response.body())
			.isNotBlank()
			.containsIgnoringCase("read");
	}

	@Test
	void anInvalidApprovalOrItemIsAProblemNamingTheField() {
		PlacedOrder order = this.shop.placeOrder("card_ok");
		this.shop.awaitWaitingForApproval(order.orderId());

		Response approval = this.shop.post("/orders/" + order.orderId() + "/approve", "{}").assertProblem(400);
		assertThat(approval.errorFields()).as(approval.body()).contains("approvedBy");
		Response item = this.shop.post("/orders/" + order.orderId() + "/items", item("", 0, "-1")).assertProblem(400);
		assertThat(item.errorFields()).as(item.body())
			.anySatisfy((field) -> assertThat(field).endsWith("sku"))
			.anySatisfy((field) -> assertThat(field).endsWith("quantity"))
			.anySatisfy((field) -> assertThat(field).endsWith("unitPrice"));

		String unchanged = this.shop.order(order.orderId()).assertStatus(200).body();
		assertThat(decimal(unchanged, "$.total")).as("no invalid item added").isEqualByComparingTo("25.00");
		assertThat(read(unchanged, "$.workflow.status")).isEqualTo("WAITING");
		this.shop.cancel(order.orderId()).assertStatus(202);
	}

	@Test
	void anUnknownOrderIsANotFoundProblem() {
		for (String orderId : List.of(UUID.randomUUID().toString(), "no-such-order")) {
			this.shop.order(orderId).assertProblem(404);
			this.shop.approve(orderId).assertProblem(404);
			this.shop.cancel(orderId).assertProblem(404);
			this.shop.addItem(orderId, "pen-1", 1, "1.25").assertProblem(404);
		}
	}

	@Test
	void healthTheOrchwfEndpointAndTheMetricsAreExposed() {
		PlacedOrder order = this.shop.placeOrder("card_ok");
		this.shop.awaitWaitingForApproval(order.orderId());

		Response health = this.shop.get("/actuator/health").assertStatus(200);
		assertThat(health.<String>read("$.status")).isEqualTo("UP");
		assertThat(health.<String>read("$.components.orchwf.status")).as(health.body()).isEqualTo("UP");

		Response orchwf = this.shop.get("/actuator/orchwf").assertStatus(200);
		assertThat(orchwf.<List<String>>read("$.workflows[*].id")).as(orchwf.body()).contains("order_processing");
		assertThat(orchwf.<List<String>>read("$.workflows[?(@.id == 'order_processing')].steps[*].id"))
			.as(orchwf.body())
			.containsExactlyInAnyOrderElementsOf(STEP_IDS);

		Response metrics = this.shop.get("/actuator/metrics").assertStatus(200);
		assertThat(metrics.<List<String>>read("$.names")).contains("orchwf.workflow.started");

		await().atMost(SampleAppClient.WAIT).untilAsserted(() -> {
			Response prometheus = this.shop.get("/actuator/prometheus", "text/plain").assertStatus(200);
			assertThat(prometheus.lines()).as("the orchwf lines of the scrape")
				.anySatisfy((line) -> assertThat(line).startsWith("orchwf_workflow_started"));
		});
		this.shop.cancel(order.orderId()).assertStatus(202);
	}

	private void assertBadRequest(String json, String... fields) {
		Response response = this.shop.postOrder(json).assertProblem(400);
		assertThat(response.errorFields()).as("fields named for %s: %s", json, response.body()).contains(fields);
		assertThat(response.<List<String>>read("$.errors[*].message")).as(response.body())
			.allSatisfy((message) -> assertThat(message).isNotBlank());
	}

	private static String read(String json, String path) {
		return JsonPath.read(json, path);
	}

}
