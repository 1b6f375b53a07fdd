package io.orchwf.sample.workflow;

import java.util.List;
import java.util.Map;

import io.orchwf.NonRetryableStepException;
import io.orchwf.StepContext;
import io.orchwf.sample.shop.CustomerDirectory;
import io.orchwf.sample.shop.InventoryService;
import io.orchwf.sample.shop.RecommendationService;
import io.orchwf.spring.WorkflowStep;

import org.springframework.stereotype.Component;

/**
 * What runs in parallel once the order is valid: the stock check, the customer's profile,
 * and recommendations, which are optional: the order goes on without them.
 */
@Component
class EnrichmentSteps {

	private final InventoryService inventory;

	private final CustomerDirectory customers;

	private final RecommendationService recommendations;

	EnrichmentSteps(InventoryService inventory, CustomerDirectory customers, RecommendationService recommendations) {
		this.inventory = inventory;
		this.customers = customers;
		this.recommendations = recommendations;
	}

	@WorkflowStep(workflow = OrderWorkflow.ID, id = OrderWorkflow.CHECK_INVENTORY, name = "Check inventory",
			dependsOn = OrderWorkflow.VALIDATE_ORDER, async = true)
	Map<String, Object> checkInventory(StepContext context) {
		List<String> missing = this.inventory.missing(OrderInput.lines(context));
		if (!missing.isEmpty()) {
			throw new NonRetryableStepException("out_of_stock", "out of stock: " + String.join(", ", missing));
		}
		return Map.of("in_stock", true);
	}

	@WorkflowStep(workflow = OrderWorkflow.ID, id = OrderWorkflow.FETCH_CUSTOMER, name = "Fetch customer profile",
			dependsOn = OrderWorkflow.VALIDATE_ORDER, async = true)
	Map<String, Object> fetchCustomer(StepContext context) {
		return Map.of("customer", this.customers.profile(context.get("customer_id", String.class)));
	}

	@WorkflowStep(workflow = OrderWorkflow.ID, id = OrderWorkflow.FETCH_RECOMMENDATIONS, name = "Fetch recommendations",
			dependsOn = OrderWorkflow.VALIDATE_ORDER, async = true, required = false)
	Map<String, Object> fetchRecommendations(StepContext context) {
		return Map.of("recommendations", this.recommendations.recommend(context.get("customer_id", String.class)));
	}

}
