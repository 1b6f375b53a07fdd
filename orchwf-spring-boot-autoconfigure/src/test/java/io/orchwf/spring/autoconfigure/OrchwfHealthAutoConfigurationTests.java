package io.orchwf.spring.autoconfigure;

import io.orchwf.Orchestrator;
import io.orchwf.spring.actuate.OrchwfHealthIndicator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OrchwfHealthAutoConfiguration}.
 */
class OrchwfHealthAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OrchwfAutoConfiguration.class, OrchwfHealthAutoConfiguration.class,
				HealthContributorAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class))
		.withPropertyValues("orchwf.store=memory");

	@Test
	void contributesTheOrchwfIndicator() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(OrchwfHealthIndicator.class);
			HealthContributorRegistry registry = context.getBean(HealthContributorRegistry.class);
			assertThat(registry.getContributor("orchwf")).isSameAs(context.getBean(OrchwfHealthIndicator.class));
			Health health = context.getBean(OrchwfHealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsKeys("nodeId", "backlog", "activeInstances", "busyWorkers",
					"unregisteredVersions");
		});
	}

	@Test
	void backsOffWhenDisabled() {
		this.runner.withPropertyValues("management.health.orchwf.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(Orchestrator.class)
				.doesNotHaveBean(OrchwfHealthIndicator.class));
	}

	@Test
	void backsOffWhenAllDefaultIndicatorsAreDisabled() {
		this.runner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(OrchwfHealthIndicator.class));
	}

	@Test
	void backsOffWithoutSpringBootHealth() {
		this.runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
			.run((context) -> assertThat(context).hasSingleBean(Orchestrator.class)
				.doesNotHaveBean(OrchwfHealthIndicator.class));
	}

	@Test
	void backsOffWhenOrchwfIsDisabled() {
		this.runner.withPropertyValues("orchwf.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(Orchestrator.class)
				.doesNotHaveBean(OrchwfHealthIndicator.class));
	}

	@Test
	void userIndicatorWins() {
		this.runner.withBean("orchwfHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
			.run((context) -> assertThat(context).doesNotHaveBean(OrchwfHealthIndicator.class)
				.hasBean("orchwfHealthIndicator"));
	}

}
