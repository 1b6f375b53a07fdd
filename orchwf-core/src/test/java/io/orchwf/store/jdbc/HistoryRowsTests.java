package io.orchwf.store.jdbc;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON text of a history row, written by hand for speed, reads back as the events it
 * was written from.
 */
class HistoryRowsTests {

	private static final String ID = "0192f1de-5a6b-7c8d-9e0f-a1b2c3d4e5f6";

	@Test
	void eventsReadBackAsTheyWereWritten() {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("durationMs", 12);
		data.put("error", "line one\nline \"two\"\t\\ end");
		data.put("nested", Map.of("list", List.of(1, "two", true), "none", Map.of()));
		List<WorkflowEvent> events = List.of(
				new WorkflowEvent(WorkflowEventType.WORKFLOW_STARTED, ID, "orders", null, 0,
						Instant.parse("1969-12-31T23:59:59.999999Z"), Map.of()),
				new WorkflowEvent(WorkflowEventType.STEP_FAILED, ID, "orders", "pay \"card\"\\\u0001\u00e9\u20ac", 3,
						Instant.parse("2026-11-23T20:23:13.121293Z"), data));
		String json = HistoryRows.json(events);
		assertThat(HistoryRows.events(json, ID, "orders")).isEqualTo(events);
	}

	@Test
	void nulInAStepIdOrInDataIsStoredAsReplacementCharacter() {
		WorkflowEvent event = new WorkflowEvent(WorkflowEventType.STEP_FAILED, ID, "orders", "a\u0000b", 1,
				Instant.parse("2026-01-01T00:00:00Z"), Map.of("error", "x\u0000y"));
		String json = HistoryRows.json(List.of(event));
		assertThat(json).doesNotContain("\\u0000");
		WorkflowEvent read = HistoryRows.events(json, ID, "orders").get(0);
		assertThat(read.stepId()).isEqualTo("a\uFFFDb");
		assertThat(read.data()).isEqualTo(Map.of("error", "x\uFFFDy"));
	}

	@Test
	void eventsOfSeveralInstancesGoToOneRowEach() {
		WorkflowEvent first = new WorkflowEvent(WorkflowEventType.STEP_COMPLETED, ID, "orders", "a", 1, Instant.EPOCH,
				Map.of());
		String other = "0192f1de-5a6b-7c8d-9e0f-000000000000";
		WorkflowEvent signal = new WorkflowEvent(WorkflowEventType.SIGNAL_RECEIVED, other, "parent", null, 0,
				Instant.EPOCH, Map.of("name", "child-done"));
		WorkflowEvent second = new WorkflowEvent(WorkflowEventType.STEP_STARTED, ID, "orders", "b", 1, Instant.EPOCH,
				Map.of());
		assertThat(HistoryRows.byInstance(List.of(first, signal, second)))
			.containsExactly(Map.entry(ID, List.of(first, second)), Map.entry(other, List.of(signal)));
	}

}
