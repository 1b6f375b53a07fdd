package io.orchwf.spring.e2e;

import java.util.Map;

import io.orchwf.NonRetryableStepException;
import io.orchwf.StepContext;
import io.orchwf.StepExecutor;
import io.orchwf.spring.WorkflowStep;

import org.springframework.stereotype.Component;

/**
 * A step declared on its class.
 */
@Component
@WorkflowStep(workflow = "orders", id = "validate", name = "Validate order", timeout = "${shop.validate-timeout:5s}")
public class ValidateOrder implements StepExecutor {

	@Override
	public Map<String, Object> execute(StepContext context) {
		String orderId = context.get("order_id", String.class);
		if (orderId == null || orderId.isBlank()) {
			throw new NonRetryableStepException("validation", "an order needs an id");
		}
		return Map.of("valid", true);
	}

}
