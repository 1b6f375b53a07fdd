package io.orchwf.sample;

import java.nio.file.Path;

import io.orchwf.sample.SampleAppClient.PlacedOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;

import static io.orchwf.sample.SampleAppClient.OPTIONAL_STEPS;
import static io.orchwf.sample.SampleAppClient.STEPS_BEFORE_APPROVAL;
import static io.orchwf.sample.SampleAppClient.STEP_IDS;
import static io.orchwf.sample.SampleAppClient.decimal;
import static io.orchwf.sample.SampleAppClient.stepAttempts;
import static io.orchwf.sample.SampleAppClient.stepStatus;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The state of an order and its workflow is on disk: an application stopped while an
 * order waits for its approval and started again on the same H2 file takes the approval
 * and completes the order, without running again the steps that ran before the restart;
 * an approval timeout that started before the restart still fires after it.
 */
class RestartMidWorkflowTests {

	@TempDir
	Path dataDirectory;

	@Test
	void anOrderWaitingForItsApprovalCompletesAfterARestart() {
		String database = database();
		String orderId;
		try (ConfigurableApplicationContext before = start(database, "node-before", "1m")) {
			SampleAppClient shop = SampleAppClient.of(before);
			PlacedOrder order = shop.placeOrder("card_ok");
			orderId = order.orderId();
			shop.addItem(orderId, "pen-1", 2, "1.25").assertStatus(202);
			shop.awaitWaitingForApproval(orderId);
		}

		try (ConfigurableApplicationContext after = start(database, "node-after", "1m")) {
			SampleAppClient shop = SampleAppClient.of(after);
			String waiting = shop.awaitWaitingForApproval(orderId);
			assertThat(SampleAppClient.stepStatuses(waiting)).as("what the restarted application read back")
				.containsEntry("validate_order", "COMPLETED")
				.containsEntry("reserve_stock", "COMPLETED");
			assertThat(decimal(waiting, "$.total")).isEqualByComparingTo("27.50");

			shop.approve(orderId).assertStatus(202);
			String completed = shop.awaitFinished(orderId, "COMPLETED", "COMPLETED");
			assertThat(SampleAppClient.stepStatuses(completed).keySet()).containsExactlyInAnyOrderElementsOf(STEP_IDS);
			for (String stepId : STEP_IDS) {
				if (!OPTIONAL_STEPS.contains(stepId)) {
					assertThat(stepStatus(completed, stepId)).as("%s in %s", stepId, completed).isEqualTo("COMPLETED");
				}
			}
			for (String stepId : STEPS_BEFORE_APPROVAL) {
				assertThat(stepAttempts(completed, stepId))
					.as("attempts of %s, which ran before the restart, in %s", stepId, completed)
					.isEqualTo(1);
			}
			assertThat(decimal(completed, "$.total")).isEqualByComparingTo("27.50");
		}
	}

	@Test
	void anApprovalTimeoutRunningAcrossARestartStillFires() {
		String database = database();
		String orderId;
		try (ConfigurableApplicationContext before = start(database, "node-before", "2s")) {
			SampleAppClient shop = SampleAppClient.of(before);
			orderId = shop.placeOrder("card_ok").orderId();
			shop.awaitWaitingForApproval(orderId);
		}

		try (ConfigurableApplicationContext after = start(database, "node-after", "2s")) {
			SampleAppClient shop = SampleAppClient.of(after);
			String failed = shop.awaitFinished(orderId, "FAILED", "FAILED");
			assertThat(stepStatus(failed, "await_approval")).as(failed).isEqualTo("FAILED");
			assertThat(stepStatus(failed, "reserve_stock")).as(failed).isEqualTo("COMPENSATED");
			assertThat(stepStatus(failed, "validate_order")).as(failed).isEqualTo("COMPENSATED");
			assertThat(stepAttempts(failed, "reserve_stock")).as("reserve_stock ran once, before the restart")
				.isEqualTo(1);
		}
	}

	private String database() {
		return "jdbc:h2:file:" + this.dataDirectory.resolve("db").toAbsolutePath();
	}

	private static ConfigurableApplicationContext start(String database, String nodeId, String approvalTimeout) {
		return SampleAppClient.startApplication("server.port=0", "spring.datasource.url=" + database,
				"orchwf.node-id=" + nodeId, "orchwf.recovery.poll-interval=100ms",
				"shop.approval-timeout=" + approvalTimeout);
	}

}
