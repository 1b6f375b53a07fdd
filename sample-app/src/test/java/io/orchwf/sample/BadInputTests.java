package io.orchwf.sample;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.jayway.jsonpath.JsonPath;
import io.orchwf.sample.SampleAppClient.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.orchwf.sample.SampleAppClient.PROBLEM_JSON;
import static io.orchwf.sample.SampleAppClient.decimal;
import static io.orchwf.sample.SampleAppClient.item;
import static io.orchwf.sample.SampleAppClient.orderJson;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inputs the application cannot hold are answered with a 400 (or 413) problem naming the
 * field and the rule, never a 500 nor a silent change: a unit price beyond
 * {@code NUMERIC(12, 2)}, a fractional quantity, U+0000 or an unpaired surrogate in any
 * text, a body over {@code shop.max-request-size} (declared or chunked), a URL Tomcat
 * refuses itself, and malformed or mistyped bodies. Sent over real HTTP to the real
 * Tomcat, where the URL refusals happen; the largest values the domain holds still pass.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "orchwf.recovery.poll-interval=100ms", "shop.approval-timeout=1m" })
@DirtiesContext
class BadInputTests {

	private static final String NUL = "\\u0000";

	private static final Pattern CONTENT_LENGTH = Pattern.compile("content-length: *(\\d+)");

	private static final String LONE_SURROGATE = "\\ud800";

	private static final String RULE_NUL = "must not contain the character U+0000";

	private static final String RULE_SURROGATE = "must not contain an unpaired surrogate (U+D800)";

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

	// 1. unit prices the NUMERIC(12, 2) column cannot hold

	@Test
	void aUnitPriceTheColumnCannotHoldIsAProblemNamingTheField() {
		for (String price : List.of("10000000000", "0.001", "12345678901.5", "1e1000000", "1e-1000000")) {
			Response response = this.shop.postOrder(orderJson("c-1", null, item("book-1", 1, price)))
				.assertProblem(400);
			assertThat(message(response, "items[0].unitPrice")).as("unit price %s: %s", price, response.body())
				.contains("at most 10 digits before the decimal point and 2 after it");
		}
		String orderId = UUID.randomUUID().toString();
		Response item = this.shop.post("/orders/" + orderId + "/items", item("pen-1", 1, "0.001")).assertProblem(400);
		assertThat(message(item, "unitPrice")).as(item.body()).contains("2 after it");
	}

	@Test
	void theLargestAndSmallestValuesTheDomainHoldsStillPass() {
		Response placed = this.shop
			.postOrder(orderJson("c-edge", null, item("gold-1", 1000, "9999999999.99"), item("pen-1", 1, "0.01")))
			.assertStatus(202);
		String orderId = placed.read("$.orderId");
		String order = this.shop.awaitWaitingForApproval(orderId);
		assertThat(JsonPath.<List<Object>>read(order, "$.items[*].unitPrice")).hasSize(2);
		assertThat(decimal(order, "$.items[0].unitPrice")).isEqualByComparingTo("9999999999.99");
		assertThat(decimal(order, "$.items[1].unitPrice")).isEqualByComparingTo("0.01");
		assertThat(JsonPath.<Integer>read(order, "$.items[0].quantity")).isEqualTo(1000);
		assertThat(decimal(order, "$.total")).isEqualByComparingTo("9999999999990.01");
		// a whole number written with a fraction of zeros is still a price with 2 digits
		this.shop.addItem(orderId, "pen-2", 1, "1.10").assertStatus(202);
		this.shop.cancel(orderId).assertStatus(202);
	}

	// 2. quantities that are not whole numbers

	@Test
	void aFractionalQuantityIsAProblemNamingTheField() {
		for (String quantity : List.of("1.5", "0.5", "999.9")) {
			Response response = this.shop
				.postOrder("{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"book-1\", \"quantity\": " + quantity
						+ ", \"unitPrice\": 1.00}]}")
				.assertProblem(400);
			assertThat(message(response, "items[0].quantity")).as("quantity %s: %s", quantity, response.body())
				.isEqualTo("must be a whole number");
			assertThat(response.<String>read("$.detail")).contains("items[0].quantity");
		}
		Response item = this.shop
			.post("/orders/" + UUID.randomUUID() + "/items",
					"{\"sku\": \"pen-1\", \"quantity\": 1.5, \"unitPrice\": 1.00}")
			.assertProblem(400);
		assertThat(message(item, "quantity")).as(item.body()).isEqualTo("must be a whole number");
	}

	@Test
	void aMistypedValueIsAProblemNamingTheFieldAndTheTypeItMustHave() {
		assertUnreadable(
				"{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"b\", \"quantity\": 99999999999, \"unitPrice\": 1}]}",
				"items[0].quantity", "whole number from -2147483648 to 2147483647");
		assertUnreadable(
				"{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"b\", \"quantity\": \"x\", \"unitPrice\": 1}]}",
				"items[0].quantity", "must be a whole number");
		assertUnreadable("{\"customerId\": {}, \"items\": []}", "customerId", "must be a string");
		assertUnreadable("{\"customerId\": \"c-1\", \"items\": {}}", "items", "must be an array");
		assertUnreadable("{\"customerId\": \"c-1\", \"items\": [{\"sku\": \"b\", \"quantity\": 1, \"unitPrice\": "
				+ "9".repeat(2000) + "}]}", "items[0]", "limit of the JSON parser");
	}

	// 3. U+0000 and unpaired surrogates in every text

	@Test
	void aNulOrALoneSurrogateInATextOfAnOrderIsAProblemNamingTheField() {
		for (String bad : List.of(NUL, LONE_SURROGATE)) {
			String rule = bad.equals(NUL) ? RULE_NUL : RULE_SURROGATE;
			assertPlainTextProblem(this.shop.postOrder(orderJson("c" + bad + "1", null, item("book-1", 1, "1.00"))),
					"customerId", rule);
			assertPlainTextProblem(this.shop.postOrder("{\"customerId\": \"c-1\", \"email\": \"ann" + bad
					+ "@example.com\", \"items\": [" + item("book-1", 1, "1.00") + "]}"), "email", rule);
			assertPlainTextProblem(this.shop.postOrder(orderJson("c-1", "card_ok" + bad, item("book-1", 1, "1.00"))),
					"paymentMethod", rule);
			assertPlainTextProblem(this.shop.postOrder(orderJson("c-1", null, item("book" + bad, 1, "1.00"))),
					"items[0].sku", rule);
		}
	}

	@Test
	void aNulOrALoneSurrogateInAnItemAnApprovalOrACancellationIsAProblemNamingTheField() {
		String orderId = this.shop.placeOrder("card_ok").orderId();
		this.shop.awaitWaitingForApproval(orderId);
		for (String bad : List.of(NUL, LONE_SURROGATE)) {
			String rule = bad.equals(NUL) ? RULE_NUL : RULE_SURROGATE;
			assertPlainTextProblem(this.shop.post("/orders/" + orderId + "/items", item("pen" + bad, 1, "1.00")), "sku",
					rule);
			assertPlainTextProblem(
					this.shop.post("/orders/" + orderId + "/approve", "{\"approvedBy\": \"ann" + bad + "\"}"),
					"approvedBy", rule);
			assertPlainTextProblem(
					this.shop.post("/orders/" + orderId + "/cancel", "{\"reason\": \"too" + bad + " late\"}"), "reason",
					rule);
		}
		String waiting = this.shop.order(orderId).assertStatus(200).body();
		assertThat(JsonPath.<String>read(waiting, "$.workflow.status")).as("nothing of it reached the order")
			.isEqualTo("WAITING");
		assertThat(decimal(waiting, "$.total")).isEqualByComparingTo("25.00");
		this.shop.cancel(orderId).assertStatus(202);
	}

	@Test
	void aCharacterOutsideTheBasicPlaneIsPlainText() {
		// a surrogate pair, the emoji U+1F600, is one valid character
		Response placed = this.shop.postOrder(orderJson("c-\\ud83d\\ude00", null, item("book-1", 1, "1.00")))
			.assertStatus(202);
		String order = this.shop.order(placed.read("$.orderId")).assertStatus(200).body();
		assertThat(JsonPath.<String>read(order, "$.customerId")).isEqualTo("c-\ud83d\ude00");
		this.shop.cancel(placed.read("$.orderId")).assertStatus(202);
	}

	@Test
	void aNulInAQueryParameterIsAProblemNamingTheParameter() {
		for (String path : List.of("/actuator/orchwf?businessId=a%00b", "/orders/" + UUID.randomUUID() + "?x=%00")) {
			Response response = this.shop.get(path).assertProblem(400);
			assertThat(response.errorFields()).as(response.body()).containsAnyOf("businessId", "x");
			assertThat(response.<List<String>>read("$.errors[*].message")).containsOnly(RULE_NUL);
		}
	}

	// 4. bodies over shop.max-request-size

	@Test
	void aBodyOverTheLimitIsTooLargeWhetherDeclaredOrChunked() throws IOException {
		String tooLarge = orderJson("c-1", null, item("book-1", 1, "1.00")) + " ".repeat(70 * 1024);
		assertTooLarge(this.shop.postOrder(tooLarge));
		assertTooLarge(this.shop.postChunked("/orders",
				() -> new ByteArrayInputStream(tooLarge.getBytes(StandardCharsets.UTF_8))));
		// a megabyte in chunks: the read that passes the limit fails, and the answer is
		// 413, not a 500 nor a 400 for the JSON cut short
		assertTooLarge(this.shop.postChunked("/orders", () -> new PaddedOrder(1024 * 1024)));
		assertTooLarge(
				this.shop.postChunked("/orders/" + UUID.randomUUID() + "/approve", () -> new PaddedOrder(1024 * 1024)));
		RawResponse huge = postDeclaringContentLength("/orders", 50L * 1024 * 1024);
		assertThat(huge.status()).as(huge.text()).isEqualTo(413);
		assertThat(huge.text()).contains(PROBLEM_JSON).contains("65536 bytes").contains("shop.max-request-size");
	}

	@Test
	void aBodyUnderTheLimitIsRead() {
		String padded = orderJson("c-1", null, item("book-1", 1, "1.00")) + " ".repeat(60 * 1024);
		Response placed = this.shop.postOrder(padded).assertStatus(202);
		this.shop.cancel(placed.read("$.orderId")).assertStatus(202);
		Response chunked = this.shop
			.postChunked("/orders", () -> new ByteArrayInputStream(padded.getBytes(StandardCharsets.UTF_8)))
			.assertStatus(202);
		this.shop.cancel(chunked.read("$.orderId")).assertStatus(202);
	}

	// 5. URLs Tomcat refuses before Spring sees them

	@Test
	void aUrlWithAnEncodedNulIsABadRequestProblem() {
		for (String path : List.of("/actuator/orchwf/a%00b", "/orders/a%00b", "/orders/a%00b/approve")) {
			Response response = this.shop.get(path).assertProblem(400);
			assertThat(response.<String>read("$.title")).isEqualTo("Bad Request");
			assertThat(response.<String>read("$.detail")).as(response.body()).contains("URL is invalid");
		}
		Response post = this.shop.post("/orders/a%00b/approve", "{\"approvedBy\": \"ann\"}").assertProblem(400);
		assertThat(post.<String>read("$.detail")).contains("URL is invalid");
		Response slash = this.shop.get("/orders/a%2Fb").assertProblem(400);
		assertThat(slash.<String>read("$.detail")).as(slash.body())
			.contains("URL is invalid")
			.containsIgnoringCase("encoded slash");
	}

	@Test
	void aHeaderTooLargeIsABadRequestProblem() {
		Response response = this.shop.getWithHeader("/orders/" + UUID.randomUUID(), "X-Padding", "a".repeat(10_000))
			.assertProblem(400);
		assertThat(response.<String>read("$.detail")).as(response.body()).contains("header is invalid");
	}

	// 6. everything else that could reach a 500

	@Test
	void anOrderIdThatCannotExistIsNotFound() {
		for (String orderId : List.of("not-a-uuid", "x".repeat(3000), "%C3%A9t%C3%A9", "a%20b")) {
			this.shop.order(orderId).assertProblem(404);
			this.shop.approve(orderId).assertProblem(404);
			this.shop.addItem(orderId, "pen-1", 1, "1.25").assertProblem(404);
			this.shop.cancel(orderId).assertProblem(404);
		}
	}

	@Test
	void aBodyThatIsNoOrderIsAProblemSayingWhat() {
		assertThat(this.shop.post("/orders", "").assertProblem(400).<String>read("$.detail")).contains("missing");
		assertThat(this.shop.post("/orders", "null").assertProblem(400).<String>read("$.detail")).contains("missing");
		for (String notAnObject : List.of("[]", "[" + orderJson("c-1", null, item("book-1", 1, "1.00")) + "]", "\"x\"",
				"42")) {
			assertThat(this.shop.postOrder(notAnObject).assertProblem(400).<String>read("$.detail")).as(notAnObject)
				.contains("send a JSON object");
		}
		Response nullItem = this.shop.postOrder("{\"customerId\": \"c-1\", \"items\": [null]}").assertProblem(400);
		assertThat(nullItem.errorFields()).containsExactly("items[0]");
		Response malformed = this.shop.postOrder("{\"customerId\": \"c-1\", \"items\": [], }").assertProblem(400);
		assertThat(malformed.<String>read("$.detail")).as(malformed.body())
			.contains("not valid JSON")
			.contains("line 1, column");
		Response cancel = this.shop.post("/orders/" + UUID.randomUUID() + "/cancel", "[]").assertProblem(400);
		assertThat(cancel.<String>read("$.detail")).contains("send a JSON object");
	}

	@Test
	void invalidUtf8IsAProblemNamingTheField() {
		// sent as bytes: 0xFF is never UTF-8, and 0xED 0xA0 0x80 would be a lone
		// surrogate
		for (String bytes : List.of("\u00ff", "\u00ed\u00a0\u0080")) {
			byte[] body = ("{\"customerId\": \"c" + bytes + "\", \"items\": [" + item("b", 1, "1") + "]}")
				.getBytes(StandardCharsets.ISO_8859_1);
			Response response = this.shop.postChunked("/orders", () -> new ByteArrayInputStream(body))
				.assertProblem(400);
			assertThat(message(response, "customerId")).as(response.body()).contains("not valid JSON");
		}
	}

	private void assertPlainTextProblem(Response response, String field, String rule) {
		response.assertProblem(400);
		assertThat(response.<List<String>>read("$.errors[?(@.field == '" + field + "')].message"))
			.as("errors of %s in %s", field, response.body())
			.contains(rule);
	}

	private void assertUnreadable(String json, String field, String rule) {
		Response response = this.shop.postOrder(json).assertProblem(400);
		assertThat(message(response, field))
			.as("%s: %s", json.substring(0, Math.min(json.length(), 120)), response.body())
			.contains(rule);
		assertThat(response.<String>read("$.detail")).contains(field);
	}

	private static void assertTooLarge(Response response) {
		response.assertProblem(413);
		assertThat(response.<String>read("$.detail")).as(response.body())
			.contains("65536 bytes")
			.contains("shop.max-request-size");
	}

	/**
	 * The one message a problem gives for a field.
	 */
	private static String message(Response response, String field) {
		List<String> messages = response.read("$.errors[?(@.field == '" + field + "')].message");
		assertThat(messages).as("messages for %s in %s", field, response.body()).hasSize(1);
		return messages.get(0);
	}

	/**
	 * Sends headers that declare a body of the given length and only the first bytes of
	 * it, as a client would that starts to upload a large file: the answer must come
	 * without the application reading (or waiting for) the rest. The JDK client sets
	 * {@code Content-Length} itself, hence a socket.
	 */
	private RawResponse postDeclaringContentLength(String path, long contentLength) throws IOException {
		try (Socket socket = new Socket("localhost", this.port)) {
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
					+ "Accept: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n{\"customerId\": ")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			String text = readResponse(socket.getInputStream());
			return new RawResponse(Integer.parseInt(text.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3)),
					text);
		}
	}

	/**
	 * Reads a response until the server closes the connection (as Tomcat does when it
	 * will not swallow the rest of a large body) or its body is complete.
	 */
	private static String readResponse(InputStream in) throws IOException {
		ByteArrayOutputStream read = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		int n;
		while ((n = in.read(buffer)) != -1) {
			read.write(buffer, 0, n);
			String text = read.toString(StandardCharsets.UTF_8);
			int headersEnd = text.indexOf("\r\n\r\n");
			if (headersEnd < 0) {
				continue;
			}
			String headers = text.substring(0, headersEnd).toLowerCase(Locale.ROOT);
			Matcher length = CONTENT_LENGTH.matcher(headers);
			if (length.find() ? read.size() - (headersEnd + 4) >= Integer.parseInt(length.group(1))
					: text.endsWith("\r\n0\r\n\r\n")) {
				break;
			}
		}
		return read.toString(StandardCharsets.UTF_8);
	}

	/**
	 * A response read off a socket.
	 *
	 * @param status its status
	 * @param text its status line, headers and body
	 */
	private record RawResponse(int status, String text) {
	}

	/**
	 * An order whose JSON goes on with spaces for as long as asked, produced as it is
	 * read, so that a large chunked body needs no large array.
	 */
	private static final class PaddedOrder extends InputStream {

		private final byte[] start = orderJson("c-1", null, item("book-1", 1, "1.00")).getBytes(StandardCharsets.UTF_8);

		private final long length;

		private long position;

		PaddedOrder(long length) {
			this.length = length;
		}

		@Override
		public int read() {
			if (this.position >= this.length) {
				return -1;
			}
			long at = this.position++;
			return (at < this.start.length) ? this.start[(int) at] : ' ';
		}

		@Override
		public int read(byte[] buffer, int offset, int count) {
			if (this.position >= this.length) {
				return -1;
			}
			int n = (int) Math.min(count, this.length - this.position);
			for (int i = 0; i < n; i++) {
				buffer[offset + i] = (byte) read();
			}
			return n;
		}

	}

}
