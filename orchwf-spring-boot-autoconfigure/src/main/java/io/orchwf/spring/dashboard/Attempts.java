package io.orchwf.spring.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orchwf.StepInstance;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowInstance;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import org.jspecify.annotations.Nullable;

/**
 * The step attempts of an instance, read from its history: each {@code STEP_STARTED}
 * opens an attempt, and the {@code STEP_COMPLETED}, {@code STEP_FAILED} or
 * {@code STEP_RETRYING} of the same step and attempt number closes it. An attempt still
 * open is running or waiting, as its step is; if its instance has ended, it was cut short
 * (interrupted by a failure elsewhere, or a cancellation). Compensations
 * ({@code STEP_COMPENSATED}, and a {@code STEP_FAILED} marked {@code compensation}) are
 * listed among them, each ending when its event was stored and lasting its
 * {@code durationMs}.
 */
final class Attempts {

	private Attempts() {
	}

	/**
	 * Read the attempts of an instance.
	 * @param instance the instance, for the state of unfinished attempts
	 * @param history its events, in order
	 * @param now the time to end open attempts at, while the instance runs
	 * @return the attempts in the order they started
	 */
	static List<Attempt> of(WorkflowInstance instance, List<WorkflowEvent> history, Instant now) {
		Map<String, Open> open = new LinkedHashMap<>();
		List<Attempt> attempts = new ArrayList<>();
		for (WorkflowEvent event : history) {
			String stepId = event.stepId();
			if (stepId == null) {
				continue;
			}
			String key = stepId + "#" + event.attempt();
			switch (event.type()) {
				case STEP_STARTED -> {
					Open previous = open.remove(key);
					if (previous != null) {
						// started again under the same number: a recovery re-ran it
						attempts.set(previous.slot(), previous.end(event.timestamp(), Outcome.INTERRUPTED, null, null));
					}
					open.put(key, new Open(stepId, event.attempt(), event.timestamp(), attempts.size()));
					attempts.add(null);
				}
				case STEP_COMPENSATED -> attempts.add(compensation(event, Outcome.COMPENSATED));
				case STEP_FAILED, STEP_COMPLETED, STEP_RETRYING -> {
					if (Boolean.TRUE.equals(event.data().get("compensation"))) {
						attempts.add(compensation(event, Outcome.COMPENSATION_FAILED));
						continue;
					}
					Open started = open.remove(key);
					Instant end = event.timestamp();
					Instant start = (started != null) ? started.start() : startOf(event, end);
					Attempt attempt = new Attempt(stepId, event.attempt(), start, end, outcome(event.type()),
							text(event.data().get("errorType")), text(event.data().get("error")));
					if (started != null) {
						attempts.set(started.slot(), attempt);
					}
					else {
						attempts.add(attempt);
					}
				}
				default -> {
					// skips, compensations and signals are no attempts
				}
			}
		}
		Instant end = instance.completedAt().orElse(now);
		for (Open started : open.values()) {
			StepStatus status = instance.step(started.stepId()).map(StepInstance::status).orElse(StepStatus.PENDING);
			Outcome outcome = instance.status().isTerminal() ? Outcome.INTERRUPTED
					: (status == StepStatus.WAITING) ? Outcome.WAITING : Outcome.RUNNING;
			attempts.set(started.slot(),
					started.end(end.isBefore(started.start()) ? started.start() : end, outcome, null, null));
		}
		return attempts.stream().filter((attempt) -> attempt != null).toList();
	}

	private static Attempt compensation(WorkflowEvent event, Outcome outcome) {
		Instant end = event.timestamp();
		return new Attempt(event.stepId(), event.attempt(), startOf(event, end), end, outcome,
				text(event.data().get("errorType")), text(event.data().get("error")));
	}

	private static Instant startOf(WorkflowEvent event, Instant end) {
		// a history written before starts were recorded: take the attempt's duration
		if (event.data().get("durationMs") instanceof Number millis) {
			return end.minusMillis(millis.longValue());
		}
		return end;
	}

	private static Outcome outcome(WorkflowEventType type) {
		return switch (type) {
			case STEP_COMPLETED -> Outcome.COMPLETED;
			case STEP_RETRYING -> Outcome.RETRYING;
			default -> Outcome.FAILED;
		};
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value != null) ? value.toString() : null;
	}

	/**
	 * How an attempt ended, or that it has not.
	 */
	enum Outcome {

		/** It succeeded. */
		COMPLETED,

		/** It failed, and the step will be tried again. */
		RETRYING,

		/** It failed, and it was the step's last attempt. */
		FAILED,

		/** It runs. */
		RUNNING,

		/** It waits, for a signal, a timer or a child. */
		WAITING,

		/** It never ended: its instance stopped it, or a recovery ran it again. */
		INTERRUPTED,

		/** Not an attempt but the step's compensation, which succeeded. */
		COMPENSATED,

		/** Not an attempt but the step's compensation, which failed. */
		COMPENSATION_FAILED;

		String label() {
			return switch (this) {
				case RETRYING -> "Failed, retried";
				case INTERRUPTED -> "Interrupted";
				case COMPENSATED -> "Compensated";
				case COMPENSATION_FAILED -> "Compensation failed";
				default -> Formats.word(name());
			};
		}

		boolean finished() {
			return this != RUNNING && this != WAITING;
		}

	}

	/**
	 * One attempt of a step.
	 *
	 * @param stepId the step
	 * @param number its attempt number, from 1
	 * @param start when it started
	 * @param end when it ended; for one still open, the time it was read at
	 * @param outcome how it ended
	 * @param errorType the type of its failure, if it failed
	 * @param error the message of its failure, if it failed
	 */
	record Attempt(String stepId, int number, Instant start, Instant end, Outcome outcome, @Nullable String errorType,
			@Nullable String error) {

		Duration duration() {
			return Duration.between(this.start, this.end);
		}

	}

	private record Open(String stepId, int number, Instant start, int slot) {

		Attempt end(Instant end, Outcome outcome, @Nullable String errorType, @Nullable String error) {
			return new Attempt(this.stepId, this.number, this.start, end, outcome, errorType, error);
		}

	}

}
