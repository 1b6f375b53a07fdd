package io.orchwf.spring.autoconfigure;

import java.time.Duration;

import io.orchwf.Orchestrator;
import io.orchwf.spring.actuate.OrchwfEndpoint;
import io.orchwf.spring.actuate.OrchwfEndpointWebExtension;
import io.orchwf.store.StateStore;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OrchwfEndpointAutoConfiguration}.
 */
class OrchwfEndpointAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OrchwfAutoConfiguration.class, OrchwfEndpointAutoConfiguration.class))
		.withPropertyValues("orchwf.store=memory");

	@Test
	void createsNothingWhileTheEndpointIsNotExposed() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(Orchestrator.class)
			.doesNotHaveBean(OrchwfEndpoint.class)
			.doesNotHaveBean(OrchwfEndpointWebExtension.class));
	}

	@Test
	void createsTheEndpointAndItsWebExtensionWhenExposedOverHttp() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=orchwf")
			.run((context) -> assertThat(context).hasSingleBean(OrchwfEndpoint.class)
				.hasSingleBean(OrchwfEndpointWebExtension.class));
	}

	@Test
	void createsTheEndpointWithoutWebExtensionWhenExposedOverJmxOnly() {
		this.runner.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=orchwf")
			.run((context) -> assertThat(context).hasSingleBean(OrchwfEndpoint.class)
				.doesNotHaveBean(OrchwfEndpointWebExtension.class));
	}

	@Test
	void backsOffWhenAccessIsNone() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=orchwf",
					"management.endpoint.orchwf.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(OrchwfEndpoint.class)
				.doesNotHaveBean(OrchwfEndpointWebExtension.class));
	}

	@Test
	void backsOffWithoutTheActuator() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=orchwf")
			.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.run((context) -> assertThat(context).hasSingleBean(Orchestrator.class)
				.doesNotHaveBean(OrchwfEndpoint.class)
				.doesNotHaveBean(OrchwfEndpointWebExtension.class));
	}

	@Test
	void backsOffWhenOrchwfIsDisabled() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=orchwf", "orchwf.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(Orchestrator.class)
				.doesNotHaveBean(OrchwfEndpoint.class));
	}

	@Test
	void userEndpointWins() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=orchwf")
			.withUserConfiguration(CustomEndpointConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(OrchwfEndpoint.class)
				.getBean(OrchwfEndpoint.class)
				.isSameAs(context.getBean("customEndpoint")));
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomEndpointConfiguration {

		@Bean
		OrchwfEndpoint customEndpoint(Orchestrator orchestrator, StateStore store) {
			return new OrchwfEndpoint(orchestrator, store, new SimpleAsyncTaskExecutor(), Duration.ofSeconds(1));
		}

	}

}
