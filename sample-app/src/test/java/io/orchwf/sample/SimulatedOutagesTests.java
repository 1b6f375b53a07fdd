package io.orchwf.sample;

import java.nio.file.Path;

import io.orchwf.sample.SampleAppClient.PlacedOrder;
import io.orchwf.sample.SampleAppClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.orchwf.sample.SampleAppClient.item;
import static io.orchwf.sample.SampleAppClient.orderJson;
import static io.orchwf.sample.SampleAppClient.stepAttempts;
import static io.orchwf.sample.SampleAppClient.stepStatus;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulated outages of {@code shop.simulation.*}: with notifications and
 * recommendations down an order still completes, its optional steps failed; an order with
 * an out-of-stock sku fails at {@code check_inventory} without a retry, and its
 * validation is compensated.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "orchwf.recovery.poll-interval=100ms", "shop.approval-timeout=1m",
				"shop.simulation.notifications-down=true", "shop.simulation.recommendations-down=true",
				"shop.simulation.out-of-stock-skus=sold-out-1" })
@DirtiesContext
class SimulatedOutagesTests {

	@TempDir
	static Path dataDirectory;

	@Value("${local.server.port}")
	private int port;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + dataDirectory.resolve("db").toAbsolutePath());
	}

	@Test
	void anOrderCompletesWithoutItsOptionalSteps() {
		SampleAppClient shop = SampleAppClient.onPort(this.port);
		PlacedOrder order = shop.placeOrder("card_ok");
		shop.awaitWaitingForApproval(order.orderId());
		shop.approve(order.orderId()).assertStatus(202);

		String completed = shop.awaitFinished(order.orderId(), "COMPLETED", "COMPLETED");
		assertThat(stepStatus(completed, "fetch_recommendations")).as(completed).isEqualTo("FAILED");
		assertThat(stepStatus(completed, "send_confirmation")).as(completed).isEqualTo("FAILED");
		assertThat(stepStatus(completed, "process_payment")).as(completed).isEqualTo("COMPLETED");
		assertThat(stepStatus(completed, "update_order_status")).as(completed).isEqualTo("COMPLETED");
	}

	@Test
	void anOrderOfAnOutOfStockSkuFailsAtTheInventoryCheck() {
		SampleAppClient shop = SampleAppClient.onPort(this.port);
		Response placed = shop
			.postOrder(orderJson("c-1", "card_ok", item("book-1", 1, "12.50"), item("sold-out-1", 1, "5.00")))
			.assertStatus(202);
		String orderId = placed.read("$.orderId");

		String failed = shop.awaitFinished(orderId, "FAILED", "FAILED");
		assertThat(stepStatus(failed, "check_inventory")).as(failed).isEqualTo("FAILED");
		assertThat(stepAttempts(failed, "check_inventory")).as("out of stock is not retried").isEqualTo(1);
		assertThat(stepStatus(failed, "validate_order")).as(failed).isEqualTo("COMPENSATED");
		assertThat(stepStatus(failed, "reserve_stock")).as("no reservation of stock that is not there")
			.isNotIn("RUNNING", "COMPLETED", "COMPENSATED");
		shop.approve(orderId).assertProblem(409);
	}

}
