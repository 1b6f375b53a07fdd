package io.orchwf.spring.autoconfigure;

import io.orchwf.Orchestrator;
import io.orchwf.spring.dashboard.OrchwfDashboard;
import io.orchwf.store.StateStore;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * Auto-configuration of the orchwf dashboard in a servlet web application with Spring
 * MVC, when {@code orchwf.dashboard.enabled=true}: its pages under
 * {@code orchwf.dashboard.path}, with actions when
 * {@code orchwf.dashboard.actions-enabled=true}.
 */
@AutoConfiguration(after = OrchwfAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.web.servlet.function.RouterFunction")
@ConditionalOnBooleanProperty("orchwf.dashboard.enabled")
@ConditionalOnBean({ Orchestrator.class, StateStore.class })
@EnableConfigurationProperties(OrchwfProperties.class)
public final class OrchwfDashboardAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	OrchwfDashboard orchwfDashboard(Orchestrator orchestrator, StateStore store, OrchwfProperties properties,
			Environment environment) {
		OrchwfProperties.Dashboard dashboard = properties.getDashboard();
		// a thread per resumption or cancellation: they wait for their instance, and are
		// rare
		SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("orchwf-dashboard-");
		executor.setDaemon(true);
		executor.setVirtualThreads(Threading.VIRTUAL.isActive(environment));
		return new OrchwfDashboard(orchestrator, store, executor, dashboard.getPath(),
				dashboard.isActionsEnabled() ? OrchwfDashboard.Actions.ENABLED : OrchwfDashboard.Actions.DISABLED);
	}

}
