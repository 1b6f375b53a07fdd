package io.orchwf;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.orchwf.store.memory.InMemoryStateStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class OrchestratorBuilderTests {

	private final Orchestrator.Builder builder = Orchestrator.builder(new InMemoryStateStore());

	@Test
	void rejectsInvalidValuesNamingThem() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.builder.workers(0)).withMessageContaining("workers");
		assertThatIllegalArgumentException().isThrownBy(() -> this.builder.maxActiveInstances(0))
			.withMessageContaining("maxActiveInstances");
		assertThatIllegalArgumentException().isThrownBy(() -> this.builder.nodeId(" ")).withMessageContaining("nodeId");
		assertThatIllegalArgumentException().isThrownBy(() -> this.builder.nodeId("n".repeat(256)))
			.withMessageContaining("nodeId is 256 characters long; keep it to 255");
		assertThatIllegalArgumentException().isThrownBy(() -> StartOptions.builder().idempotencyKey("k".repeat(256)))
			.withMessageContaining("idempotencyKey is 256 characters long; keep it to 255");
		assertThatIllegalArgumentException().isThrownBy(() -> this.builder.leaseDuration(Duration.ZERO))
			.withMessageContaining("leaseDuration");
		assertThatIllegalArgumentException().isThrownBy(() -> this.builder.pollInterval(Duration.ofSeconds(-1)))
			.withMessageContaining("pollInterval");
		assertThatIllegalArgumentException().isThrownBy(() -> this.builder.defaultStepTimeout(null))
			.withMessageContaining("defaultStepTimeout");
		assertThatIllegalArgumentException().isThrownBy(() -> this.builder.shutdownTimeout(Duration.ofMillis(-1)))
			.withMessageContaining("shutdownTimeout");
		assertThatIllegalArgumentException().isThrownBy(() -> this.builder.listener(null))
			.withMessageContaining("listener");
		assertThatIllegalArgumentException().isThrownBy(() -> Orchestrator.builder(null))
			.withMessageContaining("store");
	}

	@Test
	void rejectsHeartbeatThatIsNotShorterThanTheLease() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.builder.leaseDuration(Duration.ofSeconds(5))
				.heartbeatInterval(Duration.ofSeconds(5))
				.build())
			.withMessageContaining("heartbeatInterval")
			.withMessageContaining("leaseDuration");
	}

	@Test
	void aLeaseSetAloneIsValidItsHeartbeatAThirdOfIt() {
		// shorter than the default heartbeat of 10s
		Orchestrator orchestrator = this.builder.leaseDuration(Duration.ofSeconds(3)).autoStart(false).build();
		orchestrator.close();
		assertThat(OrchestratorDefaults.heartbeatInterval(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(1));
		assertThat(OrchestratorDefaults.heartbeatInterval(OrchestratorDefaults.LEASE_DURATION))
			.isEqualTo(OrchestratorDefaults.HEARTBEAT_INTERVAL);
	}

	@Test
	void usesTheGivenNodeIdOrHostAndProcess() {
		try (Orchestrator named = this.builder.nodeId("node-7").build();
				Orchestrator unnamed = Orchestrator.create(new InMemoryStateStore())) {
			assertThat(named.nodeId()).isEqualTo("node-7");
			assertThat(unnamed.nodeId()).endsWith("-" + ProcessHandle.current().pid());
		}
	}

	@Test
	void refusesStartsUntilLaunched() {
		try (Orchestrator orchestrator = this.builder.autoStart(false).build()) {
			orchestrator.register(WorkflowDefinition.builder("w", "W")
				.step(StepDefinition.builder("a", "A", (context) -> null).build())
				.build());
			assertThatIllegalStateException().isThrownBy(() -> orchestrator.startAsync("w", null))
				.withMessageContaining("launch()");
			orchestrator.launch();
			assertThat(orchestrator.start("w", null).success()).isTrue();
		}
	}

	@Test
	void refusesStartsOnceClosed() {
		Orchestrator orchestrator = this.builder.build();
		orchestrator.close();
		assertThatIllegalStateException().isThrownBy(() -> orchestrator.startAsync("w", null))
			.withMessageContaining("closed");
	}

	@Test
	void answersWithTheClockItDecidesBy() {
		Clock fixed = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
		try (Orchestrator orchestrator = Orchestrator.builder(new InMemoryStateStore()).clock(fixed).build()) {
			assertThat(orchestrator.clock()).isSameAs(fixed);
		}
		try (Orchestrator orchestrator = Orchestrator.builder(new InMemoryStateStore()).build()) {
			assertThat(orchestrator.clock()).isEqualTo(Clock.systemUTC());
		}
	}

}
