package io.orchwf.internal.engine.statemachine;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orchwf.internal.engine.attempt.Attempt;
import io.orchwf.internal.engine.attempt.StepFailure;
import io.orchwf.internal.json.JsonObject;
import io.orchwf.internal.json.JsonValues;
import org.jspecify.annotations.Nullable;

/**
 * One attempt of a forEach step: which elements have a result, which run, which wait
 * their turn. The step's output holds {@code {"results": [...]}} throughout, with
 * {@code null} for the elements that have no result yet, so that each result is stored as
 * it arrives and a retry or a recovery runs only the elements without one. Guarded by the
 * owning run.
 */
final class ForEachProgress {

	/** The key of the results in a forEach step's output. */
	static final String RESULTS = "results";

	private final int step;

	private final int number;

	private final List<@Nullable Object> items;

	private final JsonObject stepInput;

	private final List<@Nullable Object> results;

	private final Deque<Integer> pending = new ArrayDeque<>();

	private final Map<Integer, Attempt> running = new LinkedHashMap<>();

	private @Nullable StepFailure failure;

	/**
	 * Plan an attempt of a forEach step.
	 * @param step the step's index
	 * @param number the attempt number
	 * @param items the list the step maps over
	 * @param stepInput the step's input
	 * @param output the step's output so far, holding the results of earlier attempts
	 */
	ForEachProgress(int step, int number, List<@Nullable Object> items, JsonObject stepInput, JsonObject output) {
		this.step = step;
		this.number = number;
		this.items = items;
		this.stepInput = stepInput;
		this.results = new ArrayList<>(items.size());
		List<?> earlier = (output.get(RESULTS) instanceof List<?> list && list.size() == items.size()) ? list
				: List.of();
		for (int i = 0; i < items.size(); i++) {
			Object result = earlier.isEmpty() ? null : earlier.get(i);
			this.results.add(result);
			if (result == null) {
				this.pending.add(i);
			}
		}
	}

	/**
	 * The step's output as it stands: the results so far, in item order.
	 */
	JsonObject output() {
		Map<String, Object> output = new LinkedHashMap<>();
		output.put(RESULTS, new ArrayList<>(this.results));
		return JsonValues.object(output, "forEach results");
	}

	int pendingCount() {
		return this.pending.size();
	}

	/**
	 * Take the next element to run, if the step has not failed and fewer than the limit
	 * run.
	 * @return its attempt, or {@code null}
	 */
	@Nullable Attempt next(int maxConcurrency, Instant now) {
		if (this.failure != null || this.pending.isEmpty() || this.running.size() >= maxConcurrency) {
			return null;
		}
		int element = this.pending.poll();
		Map<String, Object> extra = new LinkedHashMap<>();
		extra.put("item", this.items.get(element));
		extra.put("index", element);
		JsonObject input = JsonValues.merge(this.stepInput, List.of(JsonValues.object(extra, "forEach element")));
		Attempt attempt = new Attempt(this.step, this.number, element, input, now);
		this.running.put(element, attempt);
		return attempt;
	}

	boolean isRunning(Attempt attempt) {
		return this.running.get(attempt.element()) == attempt;
	}

	/**
	 * An element ended.
	 * @param attempt its attempt
	 * @param output its output, or {@code null} if it failed
	 * @param failure how it failed, or {@code null}
	 */
	void ended(Attempt attempt, @Nullable JsonObject output, @Nullable StepFailure failure) {
		this.running.remove(attempt.element());
		if (failure != null) {
			if (this.failure == null) {
				this.failure = new StepFailure(failure.type(),
						"element " + attempt.element() + ": " + failure.message(), failure.retryable());
			}
			return;
		}
		this.results.set(attempt.element(), output);
	}

	/**
	 * An element the run gave up before it started.
	 */
	void dropped(Attempt attempt) {
		this.running.remove(attempt.element());
		this.pending.addFirst(attempt.element());
	}

	/**
	 * The instance stops: run no more elements; those running may still report.
	 */
	void stop(String reason) {
		if (this.failure == null) {
			this.failure = StepFailure.permanent("interrupted", "interrupted: " + reason);
		}
	}

	Collection<Attempt> running() {
		return List.copyOf(this.running.values());
	}

	/**
	 * Whether the attempt is over: every element has a result, or one failed and none
	 * runs any more.
	 */
	boolean isDone() {
		return this.running.isEmpty() && (this.pending.isEmpty() || this.failure != null);
	}

	@Nullable StepFailure failure() {
		return this.failure;
	}

	int size() {
		return this.items.size();
	}

}
