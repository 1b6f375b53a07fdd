package io.orchwf.internal.plan;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import io.orchwf.RetryPolicy;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WorkflowPlanTests {

	private static StepDefinition.Builder step(String id, String... dependsOn) {
		return StepDefinition.builder(id, id, (context) -> Map.of()).dependsOn(dependsOn);
	}

	private static WorkflowPlan plan(StepDefinition.Builder... steps) {
		WorkflowDefinition definition = WorkflowDefinition.builder("w", "W")
			.steps(Arrays.stream(steps).map(StepDefinition.Builder::build).toArray(StepDefinition[]::new))
			.build();
		return new WorkflowPlan(definition, RetryPolicy.none(), Duration.ofMinutes(1));
	}

	private static String[] ids(WorkflowPlan plan, int[] indexes) {
		return Arrays.stream(indexes).mapToObj((i) -> plan.step(i).id()).toArray(String[]::new);
	}

	@Test
	void topologicalOrderFollowsDefinitionOrderWhereDependenciesAllow() {
		WorkflowPlan plan = plan(step("join", "right", "left"), step("right", "root"), step("left", "root"),
				step("root"), step("alone"));
		assertThat(ids(plan, plan.topologicalOrder())).containsExactly("root", "right", "left", "join", "alone");
	}

	@Test
	void ancestorsAreTransitiveAndInTopologicalOrder() {
		WorkflowPlan plan = plan(step("a"), step("b", "a"), step("c"), step("d", "c", "b"));
		int d = plan.indexOf("d");
		assertThat(ids(plan, plan.ancestorsInTopologicalOrder(d))).containsExactly("a", "b", "c");
		assertThat(plan.isAncestor(d, plan.indexOf("a"))).isTrue();
		assertThat(plan.isAncestor(plan.indexOf("b"), plan.indexOf("c"))).isFalse();
		assertThat(plan.isAncestor(d, d)).isFalse();
	}

	@Test
	void schedulingOrderIsHighestPriorityFirstThenDefinitionOrder() {
		WorkflowPlan plan = plan(step("low").priority(-1), step("first"), step("urgent").priority(5), step("second"));
		assertThat(ids(plan, plan.schedulingOrder())).containsExactly("urgent", "first", "second", "low");
	}

	@Test
	void stepSettingsWinOverDefaults() {
		RetryPolicy own = RetryPolicy.builder().maxAttempts(4).build();
		WorkflowPlan plan = plan(step("own").retryPolicy(own).timeout(Duration.ofSeconds(2)), step("inherited"));
		assertThat(plan.retryPolicy(plan.indexOf("own"))).isSameAs(own);
		assertThat(plan.timeout(plan.indexOf("own"))).isEqualTo(Duration.ofSeconds(2));
		assertThat(plan.retryPolicy(plan.indexOf("inherited"))).isEqualTo(RetryPolicy.none());
		assertThat(plan.timeout(plan.indexOf("inherited"))).isEqualTo(Duration.ofMinutes(1));
		assertThat(plan.indexOf("unknown")).isEqualTo(-1);
	}

}
