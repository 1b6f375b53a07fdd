package io.orchwf.spring.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.orchwf.Orchestrator;
import io.orchwf.spring.metrics.OrchwfMeterBinder;
import io.orchwf.spring.metrics.OrchwfMetricsListener;
import io.orchwf.spring.metrics.OrchwfObservationListener;
import io.orchwf.spring.metrics.StepObservationConvention;
import io.orchwf.spring.metrics.WorkflowObservationConvention;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * Auto-configuration of orchwf's Micrometer integration: the {@code orchwf.*} meters when
 * the application has a {@code MeterRegistry}, and Observations of workflow instances and
 * step attempts (traces, with Micrometer Tracing) when it has an
 * {@code ObservationRegistry}; the observation listener is also the orchestrator's step
 * interceptor that runs each step's code in its observation's scope. Each part backs off
 * when its library or registry is absent. The listeners are applied to the
 * auto-configured orchestrator; an application that builds its own adds them itself.
 */
@AutoConfiguration(after = OrchwfAutoConfiguration.class, afterName = {
		"org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
		"org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnBean(Orchestrator.class)
public final class OrchwfMetricsAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
	@ConditionalOnBean(type = "io.micrometer.core.instrument.MeterRegistry")
	static class MeterConfiguration {

		@Bean
		@ConditionalOnMissingBean
		OrchwfMetricsListener orchwfMetricsListener(MeterRegistry registry) {
			return new OrchwfMetricsListener(registry);
		}

		@Bean
		@ConditionalOnMissingBean
		OrchwfMeterBinder orchwfMeterBinder(Orchestrator orchestrator) {
			return new OrchwfMeterBinder(orchestrator);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.micrometer.observation.ObservationRegistry")
	@ConditionalOnBean(type = "io.micrometer.observation.ObservationRegistry")
	static class ObservationConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@Order(OrchwfObservationListener.ORDER)
		OrchwfObservationListener orchwfObservationListener(ObservationRegistry registry,
				ObjectProvider<WorkflowObservationConvention> workflowConvention,
				ObjectProvider<StepObservationConvention> stepConvention) {
			OrchwfObservationListener listener = new OrchwfObservationListener(registry);
			listener.setWorkflowObservationConvention(workflowConvention.getIfUnique());
			listener.setStepObservationConvention(stepConvention.getIfUnique());
			return listener;
		}

	}

}
