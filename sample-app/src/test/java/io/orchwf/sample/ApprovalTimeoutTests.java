package io.orchwf.sample;

import java.nio.file.Path;
import java.util.Locale;

import io.orchwf.sample.SampleAppClient.PlacedOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.orchwf.sample.SampleAppClient.stepError;
import static io.orchwf.sample.SampleAppClient.stepStatus;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An order nobody approves within {@code shop.approval-timeout} fails: the wait for the
 * approval fails with an error naming the timeout, the stock reservation and the
 * validation are compensated, and the order ends FAILED.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "orchwf.recovery.poll-interval=100ms", "shop.approval-timeout=1s" })
@DirtiesContext
class ApprovalTimeoutTests {

	@TempDir
	static Path dataDirectory;

	@Value("${local.server.port}")
	private int port;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + dataDirectory.resolve("db").toAbsolutePath());
	}

	@Test
	void anOrderNotApprovedInTimeFailsAndCompensates() {
		SampleAppClient shop = SampleAppClient.onPort(this.port);
		PlacedOrder order = shop.placeOrder("card_ok");

		String failed = shop.awaitFinished(order.orderId(), "FAILED", "FAILED");
		assertThat(stepStatus(failed, "await_approval")).as(failed).isEqualTo("FAILED");
		// "mentions the timeout": the word, or the configured 1s
		assertThat(stepError(failed, "await_approval")).as("the error of await_approval in %s", failed)
			.isNotNull()
			.satisfies((error) -> assertThat(error.toLowerCase(Locale.ROOT)).containsAnyOf("timeout", "timed out",
					"time out", "1000 ms", "1000ms", "1 s", "1s", "pt1s"));
		assertThat(stepStatus(failed, "reserve_stock")).as(failed).isEqualTo("COMPENSATED");
		assertThat(stepStatus(failed, "validate_order")).as(failed).isEqualTo("COMPENSATED");
		assertThat(stepStatus(failed, "process_payment")).as("no payment without an approval")
			.isNotIn("RUNNING", "COMPLETED");

		shop.approve(order.orderId()).assertProblem(409);
		shop.addItem(order.orderId(), "pen-1", 1, "1.25").assertProblem(409);
	}

}
