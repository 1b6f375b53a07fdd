package io.orchwf.internal.engine.statemachine;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;

import io.orchwf.StepContext;
import io.orchwf.StepDefinition;
import io.orchwf.internal.engine.attempt.StepFailure;
import org.jspecify.annotations.Nullable;

/**
 * When a {@link StepDefinition#timerUntil timerUntil} step's wait ends, as its function
 * computes it once, when the step starts: the instant becomes the step's stored wake-up,
 * so that a recovery, on this node or another, waits for the same instant without calling
 * the function again. A function that throws or answers {@code null} fails the step,
 * without retry: a retry would wait as the timer does and could not be told from it.
 *
 * @param at when the wait ends, rounded up to the microsecond the stores keep;
 * {@code null} if the function failed
 * @param failure why the function failed, or {@code null}
 */
record TimerEnd(@Nullable Instant at, @Nullable StepFailure failure) {

	/** The error type of a function that answered no instant. */
	static final String INVALID_TIMER = "invalid_timer";

	/**
	 * Compute the end of a timer step's wait.
	 * @param until the step's function
	 * @param context what the function sees: the context of the step's attempt
	 * @param stepId the step, for messages
	 * @return the instant, or the failure
	 */
	static TimerEnd of(Function<StepContext, Instant> until, StepContext context, String stepId) {
		Instant at;
		try {
			at = until.apply(context);
		}
		catch (Exception | Error ex) {
			StepFailure cause = StepFailure.of(ex);
			return new TimerEnd(null, StepFailure.permanent(cause.type(),
					"the until function of timer step " + stepId + " threw: " + cause.message()));
		}
		if (at == null) {
			return new TimerEnd(null, StepFailure.permanent(INVALID_TIMER, "the until function of timer step " + stepId
					+ " returned null; it must return the Instant the step waits until"));
		}
		Instant micros = at.truncatedTo(ChronoUnit.MICROS);
		return new TimerEnd(micros.isBefore(at) ? micros.plus(1, ChronoUnit.MICROS) : micros, null);
	}

}
