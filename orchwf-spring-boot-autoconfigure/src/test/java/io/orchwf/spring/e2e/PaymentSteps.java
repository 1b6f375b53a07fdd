package io.orchwf.spring.e2e;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.StepContext;
import io.orchwf.StepException;
import io.orchwf.spring.Retry;
import io.orchwf.spring.WorkflowStep;

import org.springframework.stereotype.Component;

/**
 * Steps declared on methods. The payment gateway is busy for the first three attempts;
 * the annotation allows 2 attempts, application.properties raises it to 4.
 */
@Component
public class PaymentSteps {

	private final AtomicInteger chargeAttempts = new AtomicInteger();

	@WorkflowStep(workflow = "orders", id = "charge", dependsOn = "validate", async = true,
			retry = @Retry(maxAttempts = 2, initialInterval = "10ms", multiplier = 1.0), compensation = "refund")
	public Map<String, Object> charge(StepContext context) {
		if (this.chargeAttempts.incrementAndGet() % 4 != 0) {
			throw new StepException("gateway_busy", "the payment gateway is busy");
		}
		return Map.of("payment_id", "pay-" + context.get("order_id", String.class));
	}

	@WorkflowStep(workflow = "orders", id = "ship", dependsOn = "charge")
	public Map<String, Object> ship(StepContext context) {
		return Map.of("tracking", "trk-" + context.get("payment_id", String.class));
	}

	public void refund(StepContext context) {
		// the gateway would refund context.get("payment_id") here
	}

	public int chargeAttempts() {
		return this.chargeAttempts.get();
	}

}
