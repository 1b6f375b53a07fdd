package io.orchwf.spring.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.orchwf.Orchestrator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link OrchwfMeterBinder}.
 */
class OrchwfMeterBinderTests {

	@Test
	void gaugesReadTheOrchestratorWhenScraped() {
		Orchestrator orchestrator = mock(Orchestrator.class);
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new OrchwfMeterBinder(orchestrator).bindTo(registry);
		given(orchestrator.activeInstances()).willReturn(3);
		given(orchestrator.busyWorkers()).willReturn(2);
		assertThat(registry.get("orchwf.workflows.active").gauge().value()).isEqualTo(3);
		assertThat(registry.get("orchwf.workers.busy").gauge().value()).isEqualTo(2);
		given(orchestrator.activeInstances()).willReturn(0);
		assertThat(registry.get("orchwf.workflows.active").gauge().value()).isZero();
		assertThat(registry.get("orchwf.workflows.active").gauge().getId().getTags()).isEmpty();
	}

}
