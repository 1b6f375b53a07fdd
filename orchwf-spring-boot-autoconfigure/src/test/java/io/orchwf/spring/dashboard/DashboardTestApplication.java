package io.orchwf.spring.dashboard;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * A small servlet web application with the workflows of {@link DashboardTestWorkflows}
 * and the in-memory store, for the dashboard's web tests. It scans nothing, so that the
 * configurations of other tests stay out; whether the dashboard is on is up to each
 * test's properties.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@Import(DashboardTestWorkflows.class)
class DashboardTestApplication {

}
