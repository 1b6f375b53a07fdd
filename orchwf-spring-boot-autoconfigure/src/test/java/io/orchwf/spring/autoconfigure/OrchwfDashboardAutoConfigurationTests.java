package io.orchwf.spring.autoconfigure;

import java.util.concurrent.Executor;

import io.orchwf.Orchestrator;
import io.orchwf.spring.dashboard.OrchwfDashboard;
import io.orchwf.store.StateStore;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.function.RouterFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OrchwfDashboardAutoConfiguration}.
 */
class OrchwfDashboardAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OrchwfAutoConfiguration.class, OrchwfDashboardAutoConfiguration.class))
		.withPropertyValues("orchwf.store=memory");

	@Test
	void createsNothingUnlessEnabled() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(Orchestrator.class)
			.doesNotHaveBean(OrchwfDashboard.class));
	}

	@Test
	void createsTheDashboardWithoutActionsUnderItsDefaultPathWhenEnabled() {
		this.runner.withPropertyValues("orchwf.dashboard.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(OrchwfDashboard.class);
			assertThat(context.getBean(RouterFunction.class)).isSameAs(context.getBean(OrchwfDashboard.class));
			OrchwfDashboard dashboard = context.getBean(OrchwfDashboard.class);
			assertThat(dashboard.path()).isEqualTo("/orchwf");
			assertThat(dashboard.actions()).isEqualTo(OrchwfDashboard.Actions.DISABLED);
		});
	}

	@Test
	void takesItsPathAndActionsFromTheProperties() {
		this.runner
			.withPropertyValues("orchwf.dashboard.enabled=true", "orchwf.dashboard.path=/ops/workflows/",
					"orchwf.dashboard.actions-enabled=true")
			.run((context) -> {
				OrchwfDashboard dashboard = context.getBean(OrchwfDashboard.class);
				assertThat(dashboard.path()).isEqualTo("/ops/workflows");
				assertThat(dashboard.actions()).isEqualTo(OrchwfDashboard.Actions.ENABLED);
			});
	}

	@Test
	void refusesToStartWithAPathThatIsNoPath() {
		for (String path : new String[] { "/", "orchwf", "/orch wf", "/{id}", "/a/../b", "/*" }) {
			this.runner.withPropertyValues("orchwf.dashboard.enabled=true", "orchwf.dashboard.path=" + path)
				.run((context) -> assertThat(context).as("path %s", path)
					.getFailure()
					.rootCause()
					.hasMessageContaining("The dashboard's path must be a path below the root")
					.hasMessageContaining("'" + path + "'"));
		}
	}

	@Test
	void backsOffInAnApplicationThatIsNoServletWebApplication() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(OrchwfAutoConfiguration.class, OrchwfDashboardAutoConfiguration.class))
			.withPropertyValues("orchwf.store=memory", "orchwf.dashboard.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(Orchestrator.class)
				.doesNotHaveBean(OrchwfDashboard.class));
	}

	@Test
	void backsOffWithoutSpringMvc() {
		this.runner.withPropertyValues("orchwf.dashboard.enabled=true")
			.withClassLoader(new FilteredClassLoader(RouterFunction.class))
			.run((context) -> assertThat(context).hasSingleBean(Orchestrator.class)
				.doesNotHaveBean(OrchwfDashboard.class));
	}

	@Test
	void backsOffWhenOrchwfIsDisabled() {
		this.runner.withPropertyValues("orchwf.dashboard.enabled=true", "orchwf.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(Orchestrator.class)
				.doesNotHaveBean(OrchwfDashboard.class));
	}

	@Test
	void userDashboardWins() {
		this.runner.withPropertyValues("orchwf.dashboard.enabled=true")
			.withUserConfiguration(OwnDashboardConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(OrchwfDashboard.class)
				.getBean(OrchwfDashboard.class)
				.extracting(OrchwfDashboard::path)
				.isEqualTo("/mine"));
	}

	@Test
	void defaultsAreTheDashboardsOwn() {
		OrchwfProperties.Dashboard dashboard = new OrchwfProperties().getDashboard();
		assertThat(dashboard.isEnabled()).isFalse();
		assertThat(dashboard.getPath()).isEqualTo(OrchwfDashboard.DEFAULT_PATH);
		assertThat(dashboard.isActionsEnabled()).isFalse();
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnDashboardConfiguration {

		@Bean
		OrchwfDashboard ownDashboard(Orchestrator orchestrator, StateStore store) {
			Executor executor = Runnable::run;
			return new OrchwfDashboard(orchestrator, store, executor, "/mine", OrchwfDashboard.Actions.DISABLED);
		}

	}

}
