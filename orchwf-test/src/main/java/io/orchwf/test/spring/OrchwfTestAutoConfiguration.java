package io.orchwf.test.spring;

import io.orchwf.Orchestrator;
import io.orchwf.spring.OrchestratorCustomizer;
import io.orchwf.spring.autoconfigure.OrchwfAutoConfiguration;
import io.orchwf.store.StateStore;
import io.orchwf.store.memory.InMemoryStateStore;
import io.orchwf.test.OrchwfTestEnvironment;
import io.orchwf.test.TestClock;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * What {@link AutoConfigureOrchwfTest} imports: the {@link TestClock}, an in-memory store
 * unless {@code orchwf.store} is set, the clock and a short poll interval on the
 * orchestrator's builder, and the {@link OrchwfTestEnvironment} over the orchestrator.
 */
@AutoConfiguration(before = OrchwfAutoConfiguration.class)
public final class OrchwfTestAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TestClock orchwfTestClock() {
		return TestClock.startingNow();
	}

	@Bean
	@ConditionalOnMissingBean(StateStore.class)
	@ConditionalOnProperty(name = "orchwf.store", havingValue = "memory", matchIfMissing = true)
	InMemoryStateStore orchwfTestStateStore() {
		return new InMemoryStateStore();
	}

	/**
	 * Applied last, so that no other customizer replaces the clock.
	 */
	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	OrchestratorCustomizer orchwfTestClockCustomizer(TestClock clock) {
		return (builder) -> builder.clock(clock).pollInterval(OrchwfTestEnvironment.POLL_INTERVAL);
	}

	@Bean
	static EnvironmentOverOrchestrator orchwfTestEnvironmentOverOrchestrator(ObjectProvider<StateStore> store,
			ObjectProvider<TestClock> clock, Environment environment) {
		return new EnvironmentOverOrchestrator(store, clock,
				environment.getProperty("orchwf.test.time-skipping", Boolean.class, true));
	}

	@Bean
	OrchwfTestEnvironment orchwfTestEnvironment(Orchestrator orchestrator, EnvironmentOverOrchestrator over) {
		OrchwfTestEnvironment environment = over.environment();
		if (environment == null) {
			throw new IllegalStateException("No Orchestrator bean was built for " + orchestrator
					+ "; @AutoConfigureOrchwfTest needs the application's orchestrator bean");
		}
		return environment;
	}

	/**
	 * Puts the test environment over the orchestrator bean as it is created, so that the
	 * workflows the application registers consult the environment's stubs.
	 */
	static final class EnvironmentOverOrchestrator implements BeanPostProcessor {

		private final ObjectProvider<StateStore> store;

		private final ObjectProvider<TestClock> clock;

		private final boolean timeSkipping;

		private volatile @Nullable OrchwfTestEnvironment environment;

		EnvironmentOverOrchestrator(ObjectProvider<StateStore> store, ObjectProvider<TestClock> clock,
				boolean timeSkipping) {
			this.store = store;
			this.clock = clock;
			this.timeSkipping = timeSkipping;
		}

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (!(bean instanceof Orchestrator orchestrator) || this.environment != null) {
				return bean;
			}
			OrchwfTestEnvironment over = OrchwfTestEnvironment.over(orchestrator, this.store.getObject(),
					this.clock.getObject(), OrchwfTestEnvironment.POLL_INTERVAL, this.timeSkipping);
			this.environment = over;
			return over.orchestrator();
		}

		@Nullable OrchwfTestEnvironment environment() {
			return this.environment;
		}

	}

}
