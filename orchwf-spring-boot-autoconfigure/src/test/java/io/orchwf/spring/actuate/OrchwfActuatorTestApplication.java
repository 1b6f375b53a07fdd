package io.orchwf.spring.actuate;

import io.orchwf.spring.autoconfigure.OrchwfEndpointAutoConfiguration;
import io.orchwf.spring.autoconfigure.OrchwfHealthAutoConfiguration;
import io.orchwf.spring.autoconfigure.OrchwfMetricsAutoConfiguration;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * A small web application with the actuator and the workflows of {@link TestWorkflows},
 * for {@link OrchwfEndpointWebIntegrationTests}. It imports orchwf's actuator
 * auto-configurations itself, which stays harmless once they are listed in
 * {@code AutoConfiguration.imports}; it scans nothing, so that the configurations of
 * other tests stay out.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ImportAutoConfiguration({ OrchwfMetricsAutoConfiguration.class, OrchwfEndpointAutoConfiguration.class,
		OrchwfHealthAutoConfiguration.class })
@Import(TestWorkflows.class)
class OrchwfActuatorTestApplication {

}
