package io.orchwf.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The packaged application as an operator runs it: {@code java -jar
 * target/orchwf-sample-app.jar} in a process of its own, with nothing but a port on the
 * command line, starts on its embedded H2 database, reports itself healthy, serves the
 * order workflow on the {@code orchwf} actuator endpoint and on its dashboard, both of
 * which refuse to act on an order by default, and stops on SIGTERM.
 * <p>
 * Failsafe runs it in the {@code integration-test} phase, after {@code package} has built
 * the jar (whose path it passes as the system property {@code orchwf.sample.jar}). The
 * process works in a temporary directory, so that its H2 file, {@code ./data/} by
 * default, is new, and on a port that was free a moment before.
 */
class ExecutableJarIT {

	/** How long the application may take to become healthy, on a slow machine. */
	private static final Duration STARTUP = Duration.ofSeconds(120);

	/** How long the application may take to stop after a SIGTERM. */
	private static final Duration SHUTDOWN = Duration.ofSeconds(30);

	/** The most of the application's output that a failure message quotes (its end). */
	private static final int OUTPUT_QUOTED = 20_000;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	@TempDir
	Path workingDirectory;

	private Process process;

	private Path output;

	@AfterEach
	void destroyTheApplication() throws InterruptedException {
		if (this.process != null && this.process.isAlive()) {
			this.process.destroyForcibly();
			this.process.waitFor(SHUTDOWN.toSeconds(), TimeUnit.SECONDS);
		}
	}

	@Test
	void theJarStartsOnItsEmbeddedDatabaseServesTheOrderWorkflowAndStopsOnSigterm() throws Exception {
		Path jar = jar();
		int port = freePort();
		start(jar, "--server.port=" + port);

		String health = awaitHealthy(port);
		assertThat(JsonPath.<String>read(health, "$.components.orchwf.status")).as("orchwf health in %s", health)
			.isEqualTo("UP");
		assertThat(this.workingDirectory.resolve("data").resolve("orchwf-sample.mv.db"))
			.as("the H2 file of the default configuration, in the process's working directory")
			.isRegularFile();

		HttpResponse<String> orchwf = get(port, "/actuator/orchwf");
		assertThat(orchwf.statusCode()).as("GET /actuator/orchwf: %s", orchwf.body()).isEqualTo(200);
		List<String> workflows = JsonPath.read(orchwf.body(), "$.workflows[*].id");
		assertThat(workflows).as("the workflows in %s", orchwf.body()).contains("order_processing");
		List<String> steps = JsonPath.read(orchwf.body(), "$.workflows[?(@.id == 'order_processing')].steps[*].id");
		assertThat(steps).as("the steps of order_processing in %s", orchwf.body())
			.containsExactlyInAnyOrderElementsOf(SampleAppClient.STEP_IDS);

		theDashboardAndTheEndpointOnlyRead(port);

		this.process.destroy(); // SIGTERM: a graceful shutdown
		if (!this.process.waitFor(SHUTDOWN.toSeconds(), TimeUnit.SECONDS)) {
			fail("The application did not stop within %s of a SIGTERM; its output:%n%s", SHUTDOWN, output());
		}
		System.out.println(output()); // into failsafe's report of this class
	}

	/**
	 * The dashboard shows a waiting order's workflow, without a cancel form, and its
	 * cancel answers 403; the endpoint refuses a cancel too: neither acts on the order
	 * without the {@code demo} profile.
	 * @param port the application's port
	 */
	private void theDashboardAndTheEndpointOnlyRead(int port) throws IOException, InterruptedException {
		HttpResponse<String> overview = get(port, "/orchwf");
		assertThat(overview.statusCode()).as("GET /orchwf: %s", overview.body()).isEqualTo(200);
		assertThat(overview.headers().firstValue("Content-Type")).as("GET /orchwf")
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		assertThat(overview.body()).as("GET /orchwf").contains("order_processing");

		SampleAppClient shop = SampleAppClient.onPort(port);
		SampleAppClient.PlacedOrder order = shop.placeOrder("card_ok");
		shop.awaitWaitingForApproval(order.orderId());
		String instance = "/orchwf/instances/" + order.workflowInstanceId();
		HttpResponse<String> page = get(port, instance);
		assertThat(page.statusCode()).as("GET %s: %s", instance, page.body()).isEqualTo(200);
		assertThat(page.body()).as("GET %s", instance).contains("await_approval").doesNotContain(instance + "/cancel");

		HttpResponse<String> cancel = post(port, instance + "/cancel", "application/x-www-form-urlencoded",
				"reason=by+anyone");
		assertThat(cancel.statusCode()).as("POST %s/cancel: %s", instance, cancel.body()).isEqualTo(403);
		String endpoint = "/actuator/orchwf/" + order.workflowInstanceId();
		HttpResponse<String> write = post(port, endpoint, "application/json", "{\"action\": \"cancel\"}");
		assertThat(write.statusCode()).as("POST %s: %s", endpoint, write.body()).isBetween(400, 499);
		assertThat(shop.order(order.orderId()).assertStatus(200).<String>read("$.workflow.status"))
			.as("the order after the refused cancels")
			.isEqualTo("WAITING");
	}

	private static Path jar() {
		Path jar = Path.of(System.getProperty("orchwf.sample.jar", "target/orchwf-sample-app.jar"));
		assertThat(jar)
			.as("the packaged application (built by \"mvn package\"; failsafe names it in "
					+ "the system property orchwf.sample.jar)")
			.isRegularFile();
		return jar.toAbsolutePath();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private void start(Path jar, String... arguments) throws IOException {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = new ArrayList<>(List.of(java, "-jar", jar.toString()));
		command.addAll(List.of(arguments));
		this.output = this.workingDirectory.resolve("application-output.txt");
		ProcessBuilder builder = new ProcessBuilder(command).directory(this.workingDirectory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(this.output.toFile());
		// the defaults of application.yml, whatever the environment of the build says
		builder.environment().keySet().removeIf((name) -> name.startsWith("SPRING_"));
		this.process = builder.start();
	}

	/**
	 * Waits until {@code /actuator/health} answers UP.
	 * @param port the application's port
	 * @return the health document
	 */
	private String awaitHealthy(int port) throws IOException, InterruptedException {
		long deadline = System.nanoTime() + STARTUP.toNanos();
		String last = "no answer";
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				fail("The application exited with code %d before it was healthy; its output:%n%s",
						this.process.exitValue(), output());
			}
			try {
				HttpResponse<String> health = get(port, "/actuator/health");
				if (health.statusCode() == 200 && "UP".equals(JsonPath.read(health.body(), "$.status"))) {
					return health.body();
				}
				last = health.statusCode() + " " + health.body();
			}
			catch (IOException ex) {
				last = ex.toString(); // not listening yet
			}
			Thread.sleep(250);
		}
		return fail("The application was not healthy within %s (last answer of /actuator/health: %s); its output:%n%s",
				STARTUP, last, output());
	}

	private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.GET()
			.build();
		return this.http.send(request, BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	private HttpResponse<String> post(int port, String path, String contentType, String body)
			throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return this.http.send(request, BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	private String output() {
		try {
			String text = new String(Files.readAllBytes(this.output), StandardCharsets.UTF_8);
			return (text.length() <= OUTPUT_QUOTED) ? text : "[...]" + text.substring(text.length() - OUTPUT_QUOTED);
		}
		catch (IOException ex) {
			return "(unreadable: " + ex + ")";
		}
	}

}
