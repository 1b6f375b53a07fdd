package io.orchwf.spring.autoconfigure;

import io.orchwf.Orchestrator;
import io.orchwf.spring.actuate.OrchwfHealthIndicator;
import io.orchwf.store.StateStore;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code orchwf} health indicator. Backs off without Spring
 * Boot's health support, and with {@code management.health.orchwf.enabled=false}.
 */
@AutoConfiguration(after = OrchwfAutoConfiguration.class)
@ConditionalOnClass(name = { "org.springframework.boot.health.contributor.HealthIndicator",
		"org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator" })
@ConditionalOnEnabledHealthIndicator("orchwf")
@ConditionalOnBean({ Orchestrator.class, StateStore.class })
public final class OrchwfHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(value = OrchwfHealthIndicator.class, name = "orchwfHealthIndicator")
	OrchwfHealthIndicator orchwfHealthIndicator(Orchestrator orchestrator, StateStore store) {
		return new OrchwfHealthIndicator(orchestrator, store, orchestrator.clock());
	}

}
