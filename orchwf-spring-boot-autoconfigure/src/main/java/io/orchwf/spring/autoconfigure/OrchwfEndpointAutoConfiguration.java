package io.orchwf.spring.autoconfigure;

import io.orchwf.Orchestrator;
import io.orchwf.spring.actuate.OrchwfEndpoint;
import io.orchwf.spring.actuate.OrchwfEndpointWebExtension;
import io.orchwf.store.StateStore;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * Auto-configuration of the {@code orchwf} actuator endpoint, and of its web extension
 * when it is exposed over HTTP. Backs off without Spring Boot's actuator, and when the
 * endpoint is not available ({@code management.endpoints.web.exposure.include},
 * {@code management.endpoint.orchwf.access}).
 */
@AutoConfiguration(after = OrchwfAutoConfiguration.class)
@ConditionalOnClass(name = { "org.springframework.boot.actuate.endpoint.annotation.Endpoint",
		"org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint" })
@ConditionalOnAvailableEndpoint(OrchwfEndpoint.class)
@ConditionalOnBean({ Orchestrator.class, StateStore.class })
public final class OrchwfEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	OrchwfEndpoint orchwfEndpoint(Orchestrator orchestrator, StateStore store, Environment environment) {
		// a thread per resumption or cancellation: they wait for their instance, and are
		// rare
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("orchwf-endpoint-");
		executor.setDaemon(true);
		executor.setVirtualThreads(Threading.VIRTUAL.isActive(environment));
		return new OrchwfEndpoint(orchestrator, store, executor, OrchwfEndpoint.DEFAULT_CANCEL_WAIT);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(OrchwfEndpoint.class)
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	OrchwfEndpointWebExtension orchwfEndpointWebExtension(OrchwfEndpoint endpoint) {
		return new OrchwfEndpointWebExtension(endpoint);
	}

}
