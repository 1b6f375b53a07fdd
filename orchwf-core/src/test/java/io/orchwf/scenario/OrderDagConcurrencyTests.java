package io.orchwf.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.Orchestrator;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's 6-step order DAG (lesson 3), many instances at once on a small worker pool.
 */
class OrderDagConcurrencyTests extends ScenarioSupport {

	private static final int INSTANCES = 1000;

	private final Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();

	private io.orchwf.StepExecutor counted(String stepId, io.orchwf.StepExecutor executor) {
		return (context) -> {
			this.executions.computeIfAbsent(context.instanceId() + "/" + stepId, (key) -> new AtomicInteger())
				.incrementAndGet();
			return executor.execute(context);
		};
	}

	@Test
	void completesAThousandOrdersAtOnceOnSixteenWorkersWithTheRightOutput() {
		Orchestrator orchestrator = orchestrator((builder) -> builder.workers(16));
		orchestrator.register(workflow("order_processing",
				step("validate_order",
						counted("validate_order",
								(context) -> Map.of("order_id", context.get("order_id", String.class), "valid", true))),
				step("check_inventory", counted("check_inventory", (context) -> Map.of("in_stock", true)))
					.dependsOn("validate_order")
					.async(true),
				step("process_payment",
						counted("process_payment",
								(context) -> Map.of("payment_id", "pay_" + context.get("order_id", String.class),
										"status", "success")))
					.dependsOn("validate_order")
					.async(true),
				step("reserve_inventory",
						counted("reserve_inventory",
								(context) -> Map.of("reserved", context.get("in_stock", Boolean.class))))
					.dependsOn("check_inventory")
					.async(true),
				step("create_shipment",
						counted("create_shipment",
								(context) -> Map.of("shipment_id", "ship_" + context.get("payment_id", String.class),
										"tracking", "TRK")))
					.dependsOn("process_payment", "reserve_inventory"),
				step("send_email", counted("send_email", (context) -> Map.of("email_sent", true)))
					.dependsOn("create_shipment")
					.required(false)
					.async(true)));
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < INSTANCES; i++) {
			ids.add(orchestrator.startAsync("order_processing", Map.of("order_id", "order_" + i),
					Map.of("business_id", "b-" + i)));
		}
		for (int i = 0; i < INSTANCES; i++) {
			WorkflowResult result = orchestrator.awaitCompletion(ids.get(i), WAIT).orElseThrow();
			assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
			assertThat(result.output()).containsEntry("order_id", "order_" + i)
				.containsEntry("payment_id", "pay_order_" + i)
				.containsEntry("shipment_id", "ship_pay_order_" + i)
				.containsEntry("reserved", true)
				.containsEntry("email_sent", true);
			assertThat(result.instance().steps()).hasSize(6)
				.allSatisfy((step) -> assertThat(step.status()).isEqualTo(StepStatus.COMPLETED));
			assertThat(result.instance().businessId()).isEqualTo("b-" + i);
		}
		assertThat(this.executions).hasSize(INSTANCES * 6)
			.allSatisfy((key, count) -> assertThat(count.get()).as(key).isEqualTo(1));
	}

}
