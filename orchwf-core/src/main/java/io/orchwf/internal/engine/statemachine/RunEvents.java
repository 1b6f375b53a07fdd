package io.orchwf.internal.engine.statemachine;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.internal.json.JsonValues;
import org.jspecify.annotations.Nullable;

/**
 * Builds the events of one instance.
 */
final class RunEvents {

	/** What each type's data is called in errors, not joined anew for every event. */
	private static final Map<WorkflowEventType, String> DATA = new EnumMap<>(WorkflowEventType.class);

	static {
		for (WorkflowEventType type : WorkflowEventType.values()) {
			DATA.put(type, type + " data");
		}
	}

	private static final String DURATION = "durationMs";

	/** The data of the durations most steps take, made once each. */
	private static final JsonObject[] SHORT_DURATIONS = new JsonObject[1024];

	private final String instanceId;

	private final String workflowId;

	RunEvents(String instanceId, String workflowId) {
		this.instanceId = instanceId;
		this.workflowId = workflowId;
	}

	/**
	 * The data of an event that says how long something took, in the form the events keep
	 * it: a duration that fits an {@code int} is one, which lets the data go into the
	 * event without a copy.
	 * @param millis the duration
	 * @return the data
	 */
	static Map<String, Object> duration(long millis) {
		if (millis < 0 || millis >= SHORT_DURATIONS.length) {
			return JsonValues.single(DURATION, millis);
		}
		JsonObject data = SHORT_DURATIONS[(int) millis];
		if (data == null) {
			// a race makes two equal objects, both right
			data = JsonValues.single(DURATION, millis);
			SHORT_DURATIONS[(int) millis] = data;
		}
		return data;
	}

	WorkflowEvent workflow(WorkflowEventType type, Instant now, Map<String, ?> data) {
		return event(type, null, 0, now, data);
	}

	WorkflowEvent step(WorkflowEventType type, String stepId, int attempt, Instant now, Map<String, ?> data) {
		return event(type, stepId, attempt, now, data);
	}

	private WorkflowEvent event(WorkflowEventType type, @Nullable String stepId, int attempt, Instant now,
			Map<String, ?> data) {
		JsonObject values = data.isEmpty() ? JsonObject.empty() : JsonValues.object(data, DATA.get(type));
		return new WorkflowEvent(type, this.instanceId, this.workflowId, stepId, attempt, now, values);
	}

}
