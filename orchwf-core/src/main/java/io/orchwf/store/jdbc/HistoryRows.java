package io.orchwf.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.internal.json.JsonCodec;
import io.orchwf.internal.json.JsonValues;
import io.orchwf.internal.json.TextFlaw;
import io.orchwf.store.InstanceUpdate;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * The rows of the history table: one per stored transition of an instance, holding the
 * transition's events in order as a JSON array. Each element is an object with
 * {@code type}, {@code step} (absent for events of the instance), {@code attempt},
 * {@code at} (microseconds since the epoch) and {@code data}.
 *
 * <p>
 * A step that finishes and starts the next one writes one history row rather than one per
 * event: a row and an index entry less in the commit that every step waits for.
 */
final class HistoryRows {

	private HistoryRows() {
	}

	/**
	 * Split events into rows, one per instance, in the order of their first events. A
	 * transition's events are all of its instance but for a few (a signal delivered to
	 * another instance), which go to that instance's history.
	 * @param events the events of a transition, in order
	 * @return the events of each instance, in order
	 */
	static Map<String, List<WorkflowEvent>> byInstance(List<WorkflowEvent> events) {
		if (events.isEmpty()) {
			return Map.of();
		}
		String first = events.get(0).instanceId();
		if (events.stream().allMatch((event) -> event.instanceId().equals(first))) {
			return Map.of(first, events);
		}
		Map<String, List<WorkflowEvent>> rows = new LinkedHashMap<>();
		for (WorkflowEvent event : events) {
			rows.computeIfAbsent(event.instanceId(), (id) -> new ArrayList<>()).add(event);
		}
		return rows;
	}

	/**
	 * The history rows of a transition: the row of its instance, with its events and the
	 * steps it changed, if it has either; then one row per other instance its events
	 * concern (a signal delivered to another instance).
	 * @param update the transition
	 * @return its rows
	 */
	static List<Row> of(InstanceUpdate update) {
		Map<String, List<WorkflowEvent>> byInstance = byInstance(update.events());
		List<WorkflowEvent> own = byInstance.get(update.instanceId());
		List<Row> rows = new ArrayList<>(byInstance.size() + 1);
		if (own != null || !update.steps().isEmpty()) {
			rows.add(new Row(update.instanceId(), (own != null) ? own : List.of(), StepChanges.split(update.steps())));
		}
		byInstance.forEach((instanceId, events) -> {
			if (!instanceId.equals(update.instanceId())) {
				rows.add(new Row(instanceId, events, StepChanges.Split.NONE));
			}
		});
		return rows;
	}

	/**
	 * Whether a transition writes a history row of its own instance.
	 * @param update the transition
	 * @return {@code true} if it has events of its instance or changes steps
	 */
	static boolean hasOwnRow(InstanceUpdate update) {
		if (!update.steps().isEmpty()) {
			return true;
		}
		for (WorkflowEvent event : update.events()) {
			if (event.instanceId().equals(update.instanceId())) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Bind a row: its instance, its events and its step changes ({@code null} if none).
	 * @param statement the statement
	 * @param index the last parameter index bound so far
	 * @param row the row
	 * @return the last parameter index bound
	 */
	static int bind(PreparedStatement statement, int index, Row row) throws SQLException {
		int i = index;
		JdbcValues.setId(statement, ++i, row.instanceId());
		setEvents(statement, ++i, row.events());
		statement.setString(++i, row.steps().json());
		return i;
	}

	/**
	 * Bind the events of one row as JSON text.
	 * @param statement the statement
	 * @param index the parameter's index
	 * @param events the row's events, all of one instance
	 */
	static void setEvents(PreparedStatement statement, int index, List<WorkflowEvent> events) throws SQLException {
		statement.setString(index, json(events));
	}

	/**
	 * The JSON text of a row's events. The envelope is written here rather than by the
	 * JSON library: it is on the path of every step, and only the events' data needs the
	 * library.
	 * @param events the row's events
	 * @return the JSON array
	 */
	static String json(List<WorkflowEvent> events) {
		StringBuilder json = new StringBuilder(96 * events.size());
		json.append('[');
		for (WorkflowEvent event : events) {
			if (json.length() > 1) {
				json.append(',');
			}
			json.append("{\"type\":\"").append(event.type().name()).append('"');
			if (event.stepId() != null) {
				json.append(",\"step\":");
				// PostgreSQL cannot store U+0000, which becomes U+FFFD as in free text
				JsonCodec.appendString(json, TextFlaw.repaired(event.stepId()));
			}
			json.append(",\"attempt\":").append(event.attempt());
			json.append(",\"at\":").append(JdbcValues.micros(event.timestamp()));
			json.append(",\"data\":").append(data(event.data()));
			json.append('}');
		}
		return json.append(']').toString();
	}

	private static String data(Map<String, Object> data) {
		if (data.isEmpty()) {
			return "{}";
		}
		Map<String, Object> normalized = JsonValues.object(data, "event data");
		// only free text gets flaws this far (an error message): the store rejects other
		// values with them before they are used
		return JsonCodec.write((TextFlaw.in(normalized) != null) ? JdbcValues.repaired(normalized) : normalized);
	}

	/**
	 * Read the events of one row.
	 * @param json the row's events
	 * @param instanceId its instance
	 * @param workflowId the instance's workflow
	 * @return the events, in order
	 * @throws IllegalStateException if the text is not such an array
	 */
	static List<WorkflowEvent> events(String json, String instanceId, String workflowId) {
		List<?> elements;
		try {
			elements = JsonValues.mapper().readValue(json, List.class);
		}
		catch (JacksonException ex) {
			throw new IllegalStateException("Stored history of instance " + instanceId + " cannot be read", ex);
		}
		List<WorkflowEvent> events = new ArrayList<>(elements.size());
		for (Object element : elements) {
			if (!(element instanceof Map<?, ?> map)) {
				throw new IllegalStateException(
						"Stored history of instance " + instanceId + " is not a list of events");
			}
			events.add(new WorkflowEvent(WorkflowEventType.valueOf((String) map.get("type")), instanceId, workflowId,
					(String) map.get("step"), ((Number) map.get("attempt")).intValue(),
					JdbcValues.instantOfMicros(((Number) map.get("at")).longValue()), data(map.get("data"))));
		}
		return events;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> data(@Nullable Object data) {
		return JsonValues.object((data instanceof Map<?, ?> map) ? (Map<String, ?>) map : null, "stored event data");
	}

	/**
	 * One history row to store.
	 *
	 * @param instanceId the row's instance
	 * @param events its events, in order (none if the transition only changed steps)
	 * @param steps the changes of the instance's steps in the transition
	 */
	record Row(String instanceId, List<WorkflowEvent> events, StepChanges.Split steps) {
	}

}
