package io.orchwf.store.jdbc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orchwf.StepStatus;
import io.orchwf.internal.json.JsonCodec;
import io.orchwf.internal.json.JsonValues;
import io.orchwf.store.StepRecord;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * The steps a transition changed, as its history row keeps them: a JSON array with one
 * object per changed step, holding {@code step}, {@code status}, {@code attempts},
 * {@code output}, {@code error} and {@code errorType} (absent when null),
 * {@code startedAt}, {@code completedAt} and {@code wakeAt} (microseconds since the
 * epoch; absent when null) and {@code completionOrder}; or, for a step whose change went
 * into its row, only {@code step} and {@code "inRow": true}.
 *
 * <p>
 * A transition writes its step changes into its history row rather than updating the
 * steps' rows: a step finishing and the next one starting then costs one row insert in
 * the commit that every step waits for, instead of two row updates and an insert. The
 * steps table keeps each step's row as the instance was created, or as the last change
 * that went into the row; a step's current state is its last change in the history, in
 * the order of the history's ids, and its row if that change went into the row or if
 * there is none (see {@link #applyTo}).
 *
 * <p>
 * A change whose output is larger than {@link #MAX_OUTPUT_IN_HISTORY} characters goes
 * into the step's row: history rows are kept, and a forEach step rewrites its whole
 * output at each element's result, so keeping large outputs in the history would grow it
 * with the square of the elements.
 */
final class StepChanges {

	/**
	 * The largest output, in characters of JSON, that a change in the history holds; a
	 * change with a larger one goes into the step's row.
	 */
	static final int MAX_OUTPUT_IN_HISTORY = 2048;

	private StepChanges() {
	}

	/**
	 * Split a transition's step changes between its history row and the steps' rows.
	 * @param steps the changed steps, each as it is now
	 * @return the changes
	 */
	static Split split(List<StepRecord> steps) {
		if (steps.isEmpty()) {
			return Split.NONE;
		}
		StringBuilder json = new StringBuilder(160 * steps.size());
		List<StepRecord> inRow = new ArrayList<>(0);
		json.append('[');
		for (StepRecord step : steps) {
			if (json.length() > 1) {
				json.append(',');
			}
			json.append("{\"step\":");
			JsonCodec.appendString(json, step.stepId());
			String output = JdbcValues.json(step.output());
			if (output.length() > MAX_OUTPUT_IN_HISTORY) {
				inRow.add(step);
				json.append(",\"inRow\":true}");
				continue;
			}
			json.append(",\"status\":\"").append(step.status().name()).append('"');
			json.append(",\"attempts\":").append(step.attempts());
			json.append(",\"output\":").append(output);
			String error = JdbcValues.text(step.error());
			if (error != null) {
				json.append(",\"error\":");
				JsonCodec.appendString(json, error);
			}
			String errorType = JdbcValues.text(step.errorType());
			if (errorType != null) {
				json.append(",\"errorType\":");
				JsonCodec.appendString(json, errorType);
			}
			appendInstant(json, "startedAt", step.startedAt());
			appendInstant(json, "completedAt", step.completedAt());
			appendInstant(json, "wakeAt", step.wakeAt());
			json.append(",\"completionOrder\":").append(step.completionOrder());
			json.append('}');
		}
		return new Split(json.append(']').toString(), inRow);
	}

	private static void appendInstant(StringBuilder json, String name, @Nullable Instant instant) {
		if (instant != null) {
			json.append(",\"").append(name).append("\":").append(JdbcValues.micros(instant));
		}
	}

	/**
	 * Apply the step changes of one history row to the steps of its instance: each
	 * changed step becomes its state in the history row, or in its own row if the change
	 * went there, keeping its position. Rows must be applied in the order of their ids. A
	 * change to a step the instance does not have is ignored, as an update of a missing
	 * row would change nothing.
	 * @param json the history row's step changes
	 * @param steps the instance's steps by id, as the earlier history rows left them
	 * @param rows the instance's steps by id, as their rows hold them
	 * @param instanceId the instance, for errors
	 * @throws IllegalStateException if the text is not such an array
	 */
	static void applyTo(String json, Map<String, StepRecord> steps, Map<String, StepRecord> rows, String instanceId) {
		List<?> changes;
		try {
			changes = JsonValues.mapper().readValue(json, List.class);
		}
		catch (JacksonException ex) {
			throw new IllegalStateException("Stored step changes of instance " + instanceId + " cannot be read", ex);
		}
		for (Object change : changes) {
			if (!(change instanceof Map<?, ?> map) || !(map.get("step") instanceof String stepId)) {
				throw new IllegalStateException(
						"Stored step changes of instance " + instanceId + " are not a list of steps");
			}
			StepRecord row = rows.get(stepId);
			if (row != null) {
				steps.put(stepId, Boolean.TRUE.equals(map.get("inRow")) ? row : step(map, stepId, row.position()));
			}
		}
	}

	/**
	 * Steps by id, in their order, for {@link #applyTo}.
	 * @param steps the steps as their rows hold them
	 * @return a new map of the steps by id
	 */
	static Map<String, StepRecord> byId(List<StepRecord> steps) {
		Map<String, StepRecord> byId = new LinkedHashMap<>();
		steps.forEach((step) -> byId.put(step.stepId(), step));
		return byId;
	}

	/**
	 * The steps of {@link #byId} once changes are applied, in their order.
	 * @param byId the steps by id
	 * @return the steps
	 */
	static List<StepRecord> steps(Map<String, StepRecord> byId) {
		return new ArrayList<>(byId.values());
	}

	/**
	 * A transition's step changes: those its history row holds, as JSON ({@code null} if
	 * it changed no step), and those that go into the steps' rows.
	 *
	 * @param json the JSON array for the history row
	 * @param inRow the steps whose rows are updated
	 */
	record Split(@Nullable String json, List<StepRecord> inRow) {

		static final Split NONE = new Split(null, List.of());

	}

	@SuppressWarnings("unchecked")
	private static StepRecord step(Map<?, ?> change, String stepId, int position) {
		Object output = change.get("output");
		return new StepRecord(stepId, position, StepStatus.valueOf((String) change.get("status")),
				((Number) change.get("attempts")).intValue(),
				JsonValues.object((output instanceof Map<?, ?> map) ? (Map<String, ?>) map : null,
						"stored step output"),
				(String) change.get("error"), (String) change.get("errorType"), instant(change.get("startedAt")),
				instant(change.get("completedAt")), instant(change.get("wakeAt")),
				((Number) change.get("completionOrder")).longValue());
	}

	private static @Nullable Instant instant(@Nullable Object micros) {
		return (micros != null) ? JdbcValues.instantOfMicros(((Number) micros).longValue()) : null;
	}

}
