package io.orchwf.internal.plan;

import java.time.Duration;
import java.util.Map;

import io.orchwf.RetryPolicy;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowDefinitionException;
import io.orchwf.store.WorkflowKey;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class WorkflowRegistryTests {

	private final WorkflowRegistry registry = new WorkflowRegistry(RetryPolicy.none(), Duration.ofMinutes(1));

	private static WorkflowDefinition definition(String version) {
		return WorkflowDefinition.builder("orders", "Orders")
			.version(version)
			.step(StepDefinition.builder("a", "A", (context) -> Map.of()).build())
			.build();
	}

	@Test
	void latestIsTheHighestVersionWhateverTheRegistrationOrder() {
		this.registry.register(definition("1.10.0"));
		this.registry.register(definition("1.9.0"));
		assertThat(this.registry.latest("orders")).get()
			.extracting((plan) -> plan.definition().version())
			.isEqualTo("1.10.0");
		assertThat(this.registry.find("orders", "1.9.0")).isPresent();
		assertThat(this.registry.find("orders", "3")).isEmpty();
		assertThat(this.registry.latest("other")).isEmpty();
		assertThat(this.registry.keys()).containsExactly(new WorkflowKey("orders", "1.10.0"),
				new WorkflowKey("orders", "1.9.0"));
	}

	@Test
	void registeringTheSameDefinitionTwiceIsHarmless() {
		WorkflowDefinition definition = definition("1");
		this.registry.register(definition);
		this.registry.register(definition);
		assertThat(this.registry.definitions()).containsExactly(definition);
	}

	@Test
	void rejectsAnotherDefinitionUnderARegisteredVersion() {
		this.registry.register(definition("1"));
		assertThatExceptionOfType(WorkflowDefinitionException.class)
			.isThrownBy(() -> this.registry.register(definition("1")))
			.withMessageContaining("version '1' is already registered");
	}

}
