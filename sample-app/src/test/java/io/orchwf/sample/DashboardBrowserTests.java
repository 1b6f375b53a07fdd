package io.orchwf.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;

import io.orchwf.sample.SampleAppClient.PlacedOrder;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.orchwf.sample.SampleAppClient.STEP_IDS;
import static io.orchwf.sample.SampleAppClient.stepStatuses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard of the {@code demo} profile in a real browser, as an operator uses it:
 * headless Chromium, driven by Selenium through the machine's own {@code chromedriver},
 * opens the overview, goes to the list of instances and from there to the instance of an
 * order waiting for its approval, whose DAG shows the steps' statuses that the API
 * reports; the page's cancel form cancels it, and the page then shows it cancelled, with
 * what it had done compensated. Each page is saved as a PNG under
 * {@code target/screenshots/}.
 * <p>
 * It needs {@code chromium} and {@code chromedriver} (Debian's {@code chromium} and
 * {@code chromium-driver}) on the {@code PATH} or in {@code /usr/bin}; without them it is
 * skipped, or fails when {@code ORCHWF_REQUIRE_BROWSER=true} (as CI sets it). Selenium
 * Manager is never asked for a driver: the driver's path is given.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "orchwf.recovery.poll-interval=100ms", "shop.approval-timeout=1m" })
@ActiveProfiles("demo")
@ExtendWith(DashboardBrowserTests.WhenABrowserIsInstalled.class)
@DirtiesContext
class DashboardBrowserTests {

	/** How long a page may take to show what the test waits for. */
	private static final Duration PAGE_WAIT = Duration.ofSeconds(30);

	private static final String MISSING = "no headless Chromium with its driver (install Debian's chromium and "
			+ "chromium-driver: apt-get install chromium chromium-driver; or put chromium and chromedriver on the PATH)";

	private static final Path SCREENSHOTS = Path.of(System.getProperty("basedir", ""), "target", "screenshots")
		.toAbsolutePath();

	@TempDir
	static Path dataDirectory;

	@TempDir
	Path browserProfile;

	@Value("${local.server.port}")
	private int port;

	private SampleAppClient shop;

	private ChromeDriverService driverService;

	private WebDriver browser;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + dataDirectory.resolve("db").toAbsolutePath());
	}

	@BeforeEach
	void openTheBrowser() throws IOException {
		Browser installed = Browser.find().orElseThrow(() -> new IllegalStateException(MISSING));
		this.shop = SampleAppClient.onPort(this.port);
		this.driverService = new ChromeDriverService.Builder().usingDriverExecutable(installed.driver().toFile())
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(installed.chromium().toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
				"--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1366,900",
				"--user-data-dir=" + this.browserProfile.toAbsolutePath());
		this.browser = new ChromeDriver(this.driverService, options);
		this.browser.manage().timeouts().pageLoadTimeout(PAGE_WAIT);
		Files.createDirectories(SCREENSHOTS);
	}

	@AfterEach
	void closeTheBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
		if (this.driverService != null) {
			this.driverService.stop();
		}
	}

	@Test
	void anOperatorFindsAWaitingOrderSeesItsStepsAndCancelsIt() throws IOException {
		// an order that completes and one that fails, beside the one the operator cancels
		PlacedOrder completed = this.shop.placeOrder("card_ok");
		PlacedOrder declined = this.shop.placeOrder("card_declined");
		for (PlacedOrder other : List.of(completed, declined)) {
			this.shop.awaitWaitingForApproval(other.orderId());
			this.shop.approve(other.orderId()).assertStatus(202);
		}
		this.shop.awaitFinished(completed.orderId(), "COMPLETED", "COMPLETED");
		this.shop.awaitFinished(declined.orderId(), "FAILED", "FAILED");
		PlacedOrder order = this.shop.placeOrder("card_ok");
		String waiting = this.shop.awaitWaitingForApproval(order.orderId());
		String instanceId = order.workflowInstanceId();
		String instancePath = "/orchwf/instances/" + instanceId;

		// the overview: the order workflow with its DAG, and a way to its instances
		open("/orchwf");
		assertThat(title()).as("the overview's title").contains("orchwf");
		WebElement workflow = one(By.cssSelector("[data-workflow-id='order_processing']"), "order_processing's card");
		assertThat(stepIds(workflow)).as("the DAG of order_processing on the overview")
			.containsExactlyInAnyOrderElementsOf(STEP_IDS);
		screenshot("overview.png");

		link((href) -> href.endsWith("/orchwf/instances"), "to the list of instances").click();
		awaitUrl((url) -> url.endsWith("/orchwf/instances"), "the list of instances");
		assertThat(listed()).as("the instances listed at %s", url())
			.containsEntry(instanceId, "WAITING")
			.containsEntry(completed.workflowInstanceId(), "COMPLETED")
			.containsEntry(declined.workflowInstanceId(), "FAILED");
		screenshot("instances.png");

		// the order, found by its id, which the app gives its workflow as business id
		WebElement filters = one(By.cssSelector("form.filters"), "the list's filters");
		filters.findElement(By.name("businessId")).sendKeys(order.orderId());
		filters.findElement(By.cssSelector("button[type=submit]")).click();
		awaitUrl((url) -> url.contains("businessId="), "the list filtered by business id");
		assertThat(listed()).as("the instances of business id %s at %s", order.orderId(), url())
			.containsOnlyKeys(instanceId);
		link((href) -> href.endsWith(instancePath), "to instance " + instanceId).click();

		// the instance page: its DAG tells what the API tells
		awaitUrl((url) -> url.endsWith(instancePath), "the instance page");
		assertThat(instanceStatus()).as("the instance's status on %s", url()).isEqualTo("WAITING");
		Map<String, String> shown = dagStatuses();
		assertThat(shown).as("the DAG on %s", url())
			.containsEntry("validate_order", "COMPLETED")
			.containsEntry("reserve_stock", "COMPLETED")
			.containsEntry("await_approval", "WAITING")
			.containsEntry("process_payment", "PENDING");
		Map<String, String> reported = stepStatuses(this.shop.order(order.orderId()).assertStatus(200).body());
		assertThat(reported).as("the steps the API reports, unchanged since the order waited")
			.isEqualTo(stepStatuses(waiting));
		assertThat(shown).as("the DAG on %s, against the API's steps", url()).isEqualTo(reported);
		assertThat(tableStatuses()).as("the table of steps on %s", url()).isEqualTo(shown);
		screenshot("instance.png");

		// the cancel form: the instance is cancelled, what it did is undone
		WebElement cancel = form(instancePath + "/cancel");
		cancel.findElement(By.name("reason")).sendKeys("cancelled in the browser test");
		cancel.findElement(By.cssSelector("button[type=submit]")).click();
		awaitUrl((url) -> url.endsWith(instancePath) && !this.browser.findElements(By.cssSelector(".flash")).isEmpty(),
				"the instance page, with the message of the cancellation");
		assertThat(one(By.cssSelector(".flash"), "the message of the cancellation").getText())
			.as("the message of the cancellation")
			.containsAnyOf("Instance cancelled: cancelled in the browser test", "Cancellation requested");
		reloadUntil(() -> "CANCELLED".equals(instanceStatus()));
		Map<String, String> cancelled = dagStatuses();
		assertThat(cancelled).as("the DAG on %s once cancelled", url())
			.containsEntry("validate_order", "COMPENSATED")
			.containsEntry("reserve_stock", "COMPENSATED");
		assertThat(cancelled.get("await_approval")).as("await_approval on %s once cancelled", url())
			.isIn("CANCELLED", "SKIPPED", "FAILED");
		assertThat(cancelled.get("process_payment")).as("no payment after a cancellation")
			.isNotIn("RUNNING", "COMPLETED");
		assertThat(tableStatuses()).as("the table of steps on %s", url()).isEqualTo(cancelled);
		assertThat(this.browser.findElements(By.cssSelector("tr[data-event='WORKFLOW_CANCELLED']")))
			.as("the cancellation in the history on %s", url())
			.singleElement()
			.satisfies((event) -> assertThat(event.getText()).contains("cancelled in the browser test"));
		assertThat(this.browser.findElements(By.cssSelector("form[action$='/cancel']")))
			.as("cancel forms on %s once cancelled", url())
			.isEmpty();
		screenshot("cancelled.png");

		String ended = this.shop.awaitFinished(order.orderId(), "CANCELLED", "CANCELLED");
		assertThat(cancelled).as("the DAG on %s, against the API's steps once cancelled", url())
			.isEqualTo(stepStatuses(ended));
	}

	// the browser

	private void open(String path) {
		this.browser.get("http://localhost:" + this.port + path);
	}

	private String url() {
		return this.browser.getCurrentUrl();
	}

	private String title() {
		return this.browser.getTitle();
	}

	private String pageText() {
		return this.browser.findElement(By.tagName("body")).getText();
	}

	/**
	 * The statuses of the instance's DAG's nodes on the page, by step id: each node an
	 * element with {@code data-step-id} and {@code data-status}.
	 * @return status by step id; a step drawn twice with two statuses has both, comma
	 * separated
	 */
	private Map<String, String> dagStatuses() {
		return statuses(this.browser.findElements(By.cssSelector("svg.dag [data-step-id]")), "data-step-id");
	}

	/**
	 * The statuses of the rows of the table of steps on the instance page.
	 * @return status by step id
	 */
	private Map<String, String> tableStatuses() {
		return statuses(this.browser.findElements(By.cssSelector("table.steps tr[data-step-id]")), "data-step-id");
	}

	/**
	 * The instances of the list on the page, with their statuses.
	 * @return status by instance id
	 */
	private Map<String, String> listed() {
		return statuses(this.browser.findElements(By.cssSelector("table.instances tr[data-instance-id]")),
				"data-instance-id");
	}

	/**
	 * The status of the instance whose page this is, from its heading.
	 * @return the status
	 */
	private String instanceStatus() {
		return one(By.cssSelector("h1[data-instance-id]"), "the instance's heading").getDomAttribute("data-status");
	}

	private static List<String> stepIds(WebElement container) {
		return container.findElements(By.cssSelector("svg.dag [data-step-id]"))
			.stream()
			.map((node) -> node.getDomAttribute("data-step-id"))
			.toList();
	}

	private static Map<String, String> statuses(List<WebElement> elements, String idAttribute) {
		Map<String, String> statuses = new LinkedHashMap<>();
		for (WebElement element : elements) {
			statuses.merge(element.getDomAttribute(idAttribute), String.valueOf(element.getDomAttribute("data-status")),
					(first, second) -> first.equals(second) ? first : first + "," + second);
		}
		return statuses;
	}

	private WebElement one(By selector, String description) {
		List<WebElement> found = this.browser.findElements(selector);
		if (found.size() != 1) {
			Assertions.fail("Expected one element " + selector + " (" + description + ") on " + url() + " but found "
					+ found.size() + "; the page shows: " + pageText());
		}
		return found.get(0);
	}

	private WebElement link(Predicate<String> href, String description) {
		List<String> seen = new ArrayList<>();
		for (WebElement link : this.browser.findElements(By.cssSelector("a[href]"))) {
			String target = link.getDomProperty("href");
			if (target != null && href.test(target) && link.isDisplayed()) {
				return link;
			}
			seen.add(target);
		}
		return Assertions.fail("No link " + description + " on " + url() + "; its links: " + seen);
	}

	private WebElement form(String action) {
		List<String> seen = new ArrayList<>();
		for (WebElement form : this.browser.findElements(By.tagName("form"))) {
			String target = form.getDomProperty("action");
			String method = form.getDomAttribute("method");
			if (target != null && target.endsWith(action) && "post".equalsIgnoreCase(method)) {
				return form;
			}
			seen.add(method + " " + target);
		}
		return Assertions.fail("No POST form to " + action + " on " + url() + "; its forms: " + seen);
	}

	private void awaitUrl(Predicate<String> condition, String description) {
		try {
			new WebDriverWait(this.browser, PAGE_WAIT).until((driver) -> condition.test(url()));
		}
		catch (TimeoutException ex) {
			Assertions.fail("Not at " + description + " within " + PAGE_WAIT + ", but at " + url() + ", which shows: "
					+ pageText(), ex);
		}
	}

	/**
	 * Reloads the page until the condition holds: the dashboard may show a cancelled
	 * instance while its compensations still run.
	 * @param condition what the page must show
	 */
	private void reloadUntil(BooleanSupplier condition) {
		long deadline = System.nanoTime() + PAGE_WAIT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				Assertions.fail("The page did not change within " + PAGE_WAIT + ": " + url() + " shows " + pageText());
			}
			sleep(Duration.ofMillis(200));
			this.browser.navigate().refresh();
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Saves the page as two PNGs: what the window shows, under the name given, and the
	 * whole page, under that name with {@code -full} (the window made as tall as the page
	 * for the shot).
	 * @param name the file's name, such as {@code instance.png}
	 */
	private void screenshot(String name) throws IOException {
		Dimension window = this.browser.manage().window().getSize();
		File shot = ((ChromeDriver) this.browser).getScreenshotAs(OutputType.FILE);
		Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
		long height = (Long) ((JavascriptExecutor) this.browser)
			.executeScript("return Math.ceil(document.documentElement.scrollHeight)");
		this.browser.manage().window().setSize(new Dimension(window.getWidth(), (int) Math.min(height + 200, 8000)));
		File whole = ((ChromeDriver) this.browser).getScreenshotAs(OutputType.FILE);
		Files.copy(whole.toPath(), SCREENSHOTS.resolve(name.replace(".png", "-full.png")),
				StandardCopyOption.REPLACE_EXISTING);
		this.browser.manage().window().setSize(window);
	}

	/**
	 * Chromium and its driver, where the machine has them.
	 *
	 * @param chromium the browser
	 * @param driver its {@code chromedriver}
	 */
	record Browser(Path chromium, Path driver) {

		static Optional<Browser> find() {
			Path chromium = executable("chromium");
			Path driver = executable("chromedriver");
			return (chromium != null && driver != null) ? Optional.of(new Browser(chromium, driver)) : Optional.empty();
		}

		private static @Nullable Path executable(String name) {
			String path = System.getenv("PATH");
			Stream<String> directories = Stream.concat(
					(path != null) ? Stream.of(path.split(File.pathSeparator)) : Stream.empty(), Stream.of("/usr/bin"));
			return directories.filter((directory) -> !directory.isBlank())
				.map((directory) -> Path.of(directory, name))
				.filter(Files::isExecutable)
				.findFirst()
				.orElse(null);
		}

	}

	/**
	 * Runs the test only when the machine has Chromium and its driver, deciding before
	 * the application starts.
	 */
	static final class WhenABrowserIsInstalled implements ExecutionCondition {

		@Override
		public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
			Optional<Browser> browser = Browser.find();
			if (browser.isPresent()) {
				return ConditionEvaluationResult
					.enabled("Chromium " + browser.get().chromium() + ", driver " + browser.get().driver());
			}
			boolean required = Boolean.parseBoolean(System.getenv("ORCHWF_REQUIRE_BROWSER"));
			System.out.println("orchwf tests: " + (required ? "failed: " : "skipped: ") + MISSING);
			if (required) {
				return Assertions.fail(MISSING + ", and ORCHWF_REQUIRE_BROWSER=true makes that a failure");
			}
			return ConditionEvaluationResult
				.disabled(MISSING + "; ORCHWF_REQUIRE_BROWSER=true makes this skip a failure");
		}

	}

}
