package io.orchwf.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A black-box client of the sample application's REST API, with the waits and the
 * readings of an order's JSON that the end-to-end tests share. It speaks plain HTTP/1.1
 * with the JDK client, so that nothing of the application's own converters helps it.
 */
final class SampleAppClient {

	/** How long a test waits for the workflow of an order to get somewhere. */
	static final Duration WAIT = Duration.ofSeconds(30);

	/** The steps of workflow {@code order_processing}, in the order of the contract. */
	static final List<String> STEP_IDS = List.of("validate_order", "check_inventory", "fetch_customer",
			"fetch_recommendations", "reserve_stock", "await_approval", "process_payment", "create_shipment",
			"update_order_status", "send_confirmation");

	/** The steps an order completes without. */
	static final Set<String> OPTIONAL_STEPS = Set.of("fetch_recommendations", "send_confirmation");

	/** The steps that run before the approval is awaited. */
	static final List<String> STEPS_BEFORE_APPROVAL = List.of("validate_order", "check_inventory", "fetch_customer",
			"fetch_recommendations", "reserve_stock");

	static final String PROBLEM_JSON = "application/problem+json";

	private static final Set<String> FINISHED = Set.of("COMPLETED", "FAILED", "CANCELLED");

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final URI base;

	private SampleAppClient(URI base) {
		this.base = base;
	}

	static SampleAppClient onPort(int port) {
		return new SampleAppClient(URI.create("http://localhost:" + port));
	}

	/**
	 * Starts the application outside of the test framework. The properties are passed as
	 * command-line arguments: {@code SpringApplicationBuilder.properties(...)} would only
	 * set defaults, which the application's own {@code application.yml} overrides.
	 * @param properties {@code key=value} pairs
	 * @return the running application's context
	 */
	static ConfigurableApplicationContext startApplication(String... properties) {
		String[] arguments = Arrays.stream(properties).map((property) -> "--" + property).toArray(String[]::new);
		return new SpringApplicationBuilder(SampleApplication.class).run(arguments);
	}

	/**
	 * A client of a running application context, on the port its server listens on.
	 * @param context the context of the application
	 * @return a client of it
	 */
	static SampleAppClient of(ConfigurableApplicationContext context) {
		return onPort(Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port")));
	}

	// plain HTTP

	Response get(String path) {
		return get(path, "application/json");
	}

	Response get(String path, String accept) {
		return send(request(path).header("Accept", accept).GET());
	}

	/**
	 * Posts a body as {@code application/json}.
	 * @param path the path
	 * @param json the body, sent as it is (it need not be valid JSON)
	 * @return the response
	 */
	Response post(String path, String json) {
		return send(request(path).header("Accept", "application/json")
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(json)));
	}

	/**
	 * Posts without a body nor a content type.
	 * @param path the path
	 * @return the response
	 */
	Response postWithoutBody(String path) {
		return send(request(path).header("Accept", "application/json").POST(BodyPublishers.noBody()));
	}

	/**
	 * Posts a body as {@code application/json} without a {@code Content-Length}: in
	 * chunks, as a client that streams its body sends it.
	 * @param path the path
	 * @param body the body
	 * @return the response
	 */
	Response postChunked(String path, Supplier<InputStream> body) {
		return send(request(path).header("Accept", "application/json")
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofInputStream(body)));
	}

	/**
	 * Gets with a header of the test's.
	 * @param path the path
	 * @param name the header's name
	 * @param value its value
	 * @return the response
	 */
	Response getWithHeader(String path, String name, String value) {
		return send(request(path).header("Accept", "application/json").header(name, value).GET());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(this.base.resolve(path)).timeout(Duration.ofSeconds(20));
	}

	private Response send(HttpRequest.Builder request) {
		HttpRequest built = request.build();
		try {
			java.net.http.HttpResponse<String> response = this.http.send(built, BodyHandlers.ofString());
			return new Response(built.method() + " " + built.uri().getPath(), response.statusCode(),
					response.headers().firstValue("Content-Type").orElse(null),
					response.headers().firstValue("Location").orElse(null), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	// the shop's API

	Response postOrder(String json) {
		return post("/orders", json);
	}

	/**
	 * Places an order of two books at 12.50 and checks it was accepted.
	 * @param paymentMethod the payment method, or {@code null} for the default
	 * @return the ids of the order and its workflow
	 */
	PlacedOrder placeOrder(String paymentMethod) {
		Response response = postOrder(orderJson("c-1", paymentMethod, item("book-1", 2, "12.50")));
		response.assertStatus(202);
		return new PlacedOrder(response.read("$.orderId"), response.read("$.workflowInstanceId"));
	}

	Response order(String orderId) {
		return get("/orders/" + orderId);
	}

	Response approve(String orderId) {
		return post("/orders/" + orderId + "/approve", "{\"approvedBy\": \"ann\"}");
	}

	Response addItem(String orderId, String sku, int quantity, String unitPrice) {
		return post("/orders/" + orderId + "/items", item(sku, quantity, unitPrice));
	}

	Response cancel(String orderId) {
		return postWithoutBody("/orders/" + orderId + "/cancel");
	}

	Response cancel(String orderId, String reason) {
		return post("/orders/" + orderId + "/cancel", "{\"reason\": \"" + reason + "\"}");
	}

	// waits

	/**
	 * Waits until the workflow of an order waits for the approval.
	 * @param orderId the order
	 * @return the order's JSON then
	 */
	String awaitWaitingForApproval(String orderId) {
		return awaitOrder(orderId, "WAITING",
				(order) -> assertThat(stepStatus(order, "await_approval")).as("await_approval in %s", order)
					.isEqualTo("WAITING"));
	}

	/**
	 * Waits until the workflow of an order has finished with the given status and the
	 * order has the given status; fails at once if the workflow finished otherwise.
	 * @param orderId the order
	 * @param workflowStatus the status the workflow ends with
	 * @param orderStatus the status the order then has
	 * @return the order's JSON then
	 */
	String awaitFinished(String orderId, String workflowStatus, String orderStatus) {
		return awaitOrder(orderId, workflowStatus,
				(order) -> assertThat(JsonPath.<String>read(order, "$.status")).as("order status in %s", order)
					.isEqualTo(orderStatus));
	}

	private String awaitOrder(String orderId, String workflowStatus, OrderCondition condition) {
		AtomicReference<String> last = new AtomicReference<>();
		await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
			Response response = order(orderId);
			response.assertStatus(200);
			String status = response.read("$.workflow.status");
			if (!status.equals(workflowStatus) && FINISHED.contains(status)) {
				// not an AssertionError, so that Awaitility stops at once
				throw new IllegalStateException(
						"the workflow ended " + status + " instead of " + workflowStatus + ": " + response.body());
			}
			assertThat(status).as("workflow status in %s", response.body()).isEqualTo(workflowStatus);
			condition.check(response.body());
			last.set(response.body());
		});
		return last.get();
	}

	// JSON

	static String orderJson(String customerId, String paymentMethod, String... items) {
		StringBuilder json = new StringBuilder("{\"customerId\": ").append(quote(customerId))
			.append(", \"email\": \"ann@example.com\"");
		if (paymentMethod != null) {
			json.append(", \"paymentMethod\": ").append(quote(paymentMethod));
		}
		return json.append(", \"items\": [").append(String.join(", ", items)).append("]}").toString();
	}

	static String item(String sku, int quantity, String unitPrice) {
		return "{\"sku\": " + quote(sku) + ", \"quantity\": " + quantity + ", \"unitPrice\": " + unitPrice + "}";
	}

	private static String quote(String value) {
		return (value != null) ? "\"" + value + "\"" : "null";
	}

	/**
	 * The statuses of an order's workflow steps, by step id.
	 * @param order the order's JSON
	 * @return status by step id, in the order the response lists them
	 */
	static Map<String, String> stepStatuses(String order) {
		List<Map<String, Object>> steps = JsonPath.read(order, "$.workflow.steps");
		return steps.stream()
			.collect(Collectors.toMap((step) -> (String) step.get("id"), (step) -> (String) step.get("status"),
					(first, second) -> first + "," + second, LinkedHashMap::new));
	}

	static String stepStatus(String order, String stepId) {
		return step(order, stepId).map((step) -> (String) step.get("status")).orElse(null);
	}

	static int stepAttempts(String order, String stepId) {
		return ((Number) step(order, stepId).orElseThrow(() -> new AssertionError("no step " + stepId + " in " + order))
			.get("attempts")).intValue();
	}

	static String stepError(String order, String stepId) {
		return step(order, stepId).map((step) -> (String) step.get("error")).orElse(null);
	}

	private static Optional<Map<String, Object>> step(String order, String stepId) {
		List<Map<String, Object>> steps = JsonPath.read(order, "$.workflow.steps[?(@.id == '" + stepId + "')]");
		assertThat(steps).as("steps %s in %s", stepId, order).hasSizeLessThanOrEqualTo(1);
		return steps.stream().findFirst();
	}

	static BigDecimal decimal(String json, String path) {
		Object value = JsonPath.read(json, path);
		assertThat(value).as("%s in %s", path, json).isInstanceOf(Number.class);
		return new BigDecimal(value.toString());
	}

	/**
	 * The ids of an order and its workflow instance.
	 *
	 * @param orderId the order's id
	 * @param workflowInstanceId the id of its workflow instance
	 */
	record PlacedOrder(String orderId, String workflowInstanceId) {
	}

	/**
	 * A response, read whole.
	 *
	 * @param request the method and path, for messages
	 * @param status the status code
	 * @param contentType the Content-Type header, if any
	 * @param location the Location header, if any
	 * @param body the body, possibly empty
	 */
	record Response(String request, int status, String contentType, String location, String body) {

		Response assertStatus(int expected) {
			assertThat(this.status).as("status of %s, body %s", this.request, this.body).isEqualTo(expected);
			return this;
		}

		/**
		 * Checks that this is an RFC 9457 problem with the given status.
		 * @param expected the status
		 * @return this response
		 */
		Response assertProblem(int expected) {
			assertStatus(expected);
			assertThat(this.contentType).as("content type of %s, body %s", this.request, this.body)
				.isNotNull()
				.startsWith(PROBLEM_JSON);
			assertThat(JsonPath.<Object>read(this.body, "$.status")).as("status member of %s", this.body)
				.isEqualTo(expected);
			return this;
		}

		<T> T read(String path) {
			assertThat(this.body).as("body of %s", this.request).isNotBlank();
			return JsonPath.read(this.body, path);
		}

		/**
		 * The fields a 400 problem names in its {@code errors}.
		 * @return the fields
		 */
		List<String> errorFields() {
			return read("$.errors[*].field");
		}

		List<String> lines() {
			return Arrays.asList(this.body.split("\\R"));
		}

	}

	@FunctionalInterface
	private interface OrderCondition {

		void check(String order);

	}

}
