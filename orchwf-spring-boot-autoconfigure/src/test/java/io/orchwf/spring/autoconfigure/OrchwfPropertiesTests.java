package io.orchwf.spring.autoconfigure;

import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.orchwf.OrchestratorDefaults;
import io.orchwf.RetryPolicy;
import io.orchwf.store.jdbc.JdbcStateStore;
import io.orchwf.store.memory.InMemoryStateStore;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.convert.DurationStyle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The defaults of the properties are those of the core, and the configuration metadata
 * that IDEs show says the same.
 */
class OrchwfPropertiesTests {

	private final OrchwfProperties properties = new OrchwfProperties();

	@Test
	void defaultsAreTheCoreDefaults() {
		assertThat(this.properties.isEnabled()).isTrue();
		assertThat(this.properties.getStore()).isNull();
		assertThat(this.properties.getWorkers()).isEqualTo(OrchestratorDefaults.WORKERS);
		assertThat(this.properties.getMaxActiveInstances()).isEqualTo(OrchestratorDefaults.MAX_ACTIVE_INSTANCES);
		assertThat(this.properties.getDefaultStepTimeout()).isEqualTo(OrchestratorDefaults.STEP_TIMEOUT);
		assertThat(RetryPolicies.fromProperties(this.properties.getDefaultRetry()))
			.isEqualTo(OrchestratorDefaults.retryPolicy());
		assertThat(this.properties.getRecovery().getPollInterval()).isEqualTo(OrchestratorDefaults.POLL_INTERVAL);
		assertThat(this.properties.getRecovery().getLeaseDuration()).isEqualTo(OrchestratorDefaults.LEASE_DURATION);
		assertThat(this.properties.getRecovery().getHeartbeatInterval())
			.as("unset: the orchestrator takes a third of the lease")
			.isNull();
		assertThat(this.properties.getShutdown().getAwaitTermination())
			.isEqualTo(OrchestratorDefaults.SHUTDOWN_TIMEOUT);
		assertThat(this.properties.getJdbc().isMigrate()).isTrue();
		assertThat(this.properties.getJdbc().getMaxPayloadBytes()).isEqualTo(JdbcStateStore.DEFAULT_MAX_PAYLOAD_BYTES);
		assertThat(this.properties.getJdbc().getWriteConcurrency()).isEqualTo(JdbcStateStore.DEFAULT_WRITE_CONCURRENCY);
		assertThat(this.properties.getMemory().getMaxFinishedInstances())
			.isEqualTo(InMemoryStateStore.DEFAULT_MAX_FINISHED_INSTANCES);
	}

	@Test
	void theMetadataShowsTheSameDefaults() throws Exception {
		Map<String, JsonNode> defaults = metadataDefaults();
		assertThat(defaults.get("orchwf.workers").asInt()).isEqualTo(OrchestratorDefaults.WORKERS);
		assertThat(defaults.get("orchwf.max-active-instances").asInt())
			.isEqualTo(OrchestratorDefaults.MAX_ACTIVE_INSTANCES);
		assertThat(duration(defaults, "orchwf.default-step-timeout")).isEqualTo(OrchestratorDefaults.STEP_TIMEOUT);
		RetryPolicy retry = OrchestratorDefaults.retryPolicy();
		assertThat(defaults.get("orchwf.default-retry.max-attempts").asInt()).isEqualTo(retry.maxAttempts());
		assertThat(duration(defaults, "orchwf.default-retry.initial-interval")).isEqualTo(retry.initialInterval());
		assertThat(defaults.get("orchwf.default-retry.multiplier").asDouble()).isEqualTo(retry.multiplier());
		assertThat(duration(defaults, "orchwf.default-retry.max-interval")).isEqualTo(retry.maxInterval());
		assertThat(defaults.get("orchwf.default-retry.jitter").asDouble()).isEqualTo(retry.jitter());
		assertThat(duration(defaults, "orchwf.recovery.poll-interval")).isEqualTo(OrchestratorDefaults.POLL_INTERVAL);
		assertThat(duration(defaults, "orchwf.recovery.lease-duration")).isEqualTo(OrchestratorDefaults.LEASE_DURATION);
		assertThat(defaults.containsKey("orchwf.recovery.heartbeat-interval"))
			.as("unset, the heartbeat follows the lease: a third of it")
			.isFalse();
		assertThat(duration(defaults, "orchwf.shutdown.await-termination"))
			.isEqualTo(OrchestratorDefaults.SHUTDOWN_TIMEOUT);
		assertThat(defaults.get("orchwf.jdbc.max-payload-bytes").asLong())
			.isEqualTo(JdbcStateStore.DEFAULT_MAX_PAYLOAD_BYTES);
		assertThat(defaults.get("orchwf.jdbc.write-concurrency").asInt())
			.isEqualTo(JdbcStateStore.DEFAULT_WRITE_CONCURRENCY);
		assertThat(defaults.get("orchwf.jdbc.notices").asBoolean()).isTrue();
		assertThat(defaults.get("orchwf.memory.max-finished-instances").asInt())
			.isEqualTo(InMemoryStateStore.DEFAULT_MAX_FINISHED_INSTANCES);
	}

	@Test
	void everyPropertyHasADescription() throws Exception {
		JsonNode metadata = metadata();
		for (JsonNode property : metadata.get("properties")) {
			assertThat(property.path("description").asText()).as(property.get("name").asText()).isNotBlank();
		}
	}

	private static Duration duration(Map<String, JsonNode> defaults, String name) {
		return DurationStyle.detectAndParse(defaults.get(name).asText());
	}

	private static Map<String, JsonNode> metadataDefaults() throws Exception {
		Map<String, JsonNode> defaults = new HashMap<>();
		for (JsonNode property : metadata().get("properties")) {
			if (property.has("defaultValue")) {
				defaults.put(property.get("name").asText(), property.get("defaultValue"));
			}
		}
		return defaults;
	}

	private static JsonNode metadata() throws Exception {
		try (InputStream json = OrchwfPropertiesTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			return JsonMapper.builder().build().readTree(json);
		}
	}

}
