package io.orchwf.internal.engine.support;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The identifiers the engine generates.
 */
class IdsTests {

	@Test
	void instanceIdsAreUuidsOrderedByTheTimeTheyAreGiven() {
		Instant now = Instant.parse("2030-01-01T00:00:00.123Z");
		UUID id = UUID.fromString(Ids.instanceId(now));
		assertThat(id.version()).isEqualTo(7);
		assertThat(id.variant()).isEqualTo(2);
		assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(now.toEpochMilli());
		assertThat(Ids.instanceId(now.plusMillis(1))).isGreaterThan(Ids.instanceId(now));
	}

	@Test
	void traceIdsAreW3cTraceIds() {
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			String traceId = Ids.traceId();
			assertThat(traceId).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
			seen.add(traceId);
		}
		assertThat(seen).hasSize(1000);
	}

	@Test
	void correlationIdsAreRandomUuids() {
		Set<String> seen = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			String correlationId = Ids.correlationId();
			UUID parsed = UUID.fromString(correlationId);
			assertThat(parsed.version()).isEqualTo(4);
			assertThat(parsed.variant()).isEqualTo(2);
			assertThat(parsed.toString()).isEqualTo(correlationId);
			seen.add(correlationId);
		}
		assertThat(seen).hasSize(1000);
	}

}
