package io.orchwf.store.jdbc;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.orchwf.StepStatus;
import io.orchwf.store.StepRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The step changes a history row keeps, written and applied back to an instance's steps.
 */
class StepChangesTests {

	private static final Instant STARTED = Instant.parse("2026-01-02T03:04:05.123456Z");

	private static final Instant COMPLETED = Instant.parse("2026-01-02T03:04:06.000001Z");

	private static final List<StepRecord> CREATED = List.of(StepRecord.pending("validate", 0),
			StepRecord.pending("pay", 1), StepRecord.pending("ship", 2));

	@Test
	void everyFieldOfAChangedStepIsReadBackAsWritten() {
		StepRecord paid = new StepRecord("pay", 1, StepStatus.COMPLETED, 2,
				Map.of("receipt", Map.of("amount", 12.5, "lines", List.of("a", "b")), "big", 12345678901L), null,
				STARTED, COMPLETED, null, 7);
		StepRecord retrying = new StepRecord("ship", 2, StepStatus.WAITING, 1, Map.of(), "carrier \"down\"\n",
				"carrier_\"down\"", STARTED, null, COMPLETED, 0);
		assertThat(applied(json(List.of(paid, retrying)))).containsExactly(CREATED.get(0), paid, retrying);
	}

	@Test
	void aChangeWithoutAnErrorTypeHoldsNoneAndReadsBackWithout() {
		StepRecord failed = new StepRecord("pay", 1, StepStatus.FAILED, 1, Map.of(), "declined", "card_declined",
				STARTED, COMPLETED, null, 0);
		assertThat(json(List.of(failed))).contains("\"errorType\":\"card_declined\"");
		StepRecord completed = new StepRecord("pay", 1, StepStatus.COMPLETED, 2, Map.of(), null, null, STARTED,
				COMPLETED, null, 1);
		assertThat(json(List.of(completed))).doesNotContain("errorType");
		assertThat(applied(json(List.of(completed))).get(1).errorType()).isNull();
	}

	@Test
	void laterChangesOfAStepReplaceEarlierOnesAndKeepItsPosition() {
		StepRecord running = new StepRecord("validate", 99, StepStatus.RUNNING, 1, Map.of(), null, STARTED, null, null,
				0);
		StepRecord completed = new StepRecord("validate", 99, StepStatus.COMPLETED, 1, Map.of("ok", true), null,
				STARTED, COMPLETED, null, 1);
		Map<String, StepRecord> steps = StepChanges.byId(CREATED);
		StepChanges.applyTo(json(List.of(running)), steps, StepChanges.byId(CREATED), "i-1");
		StepChanges.applyTo(json(List.of(completed)), steps, StepChanges.byId(CREATED), "i-1");
		assertThat(StepChanges.steps(steps)).containsExactly(new StepRecord("validate", 0, StepStatus.COMPLETED, 1,
				Map.of("ok", true), null, STARTED, COMPLETED, null, 1), CREATED.get(1), CREATED.get(2));
	}

	@Test
	void aChangeOfAStepTheInstanceDoesNotHaveIsIgnored() {
		StepRecord unknown = new StepRecord("refund", 3, StepStatus.COMPLETED, 1, Map.of(), null, STARTED, COMPLETED,
				null, 1);
		assertThat(applied(json(List.of(unknown)))).isEqualTo(CREATED);
	}

	@Test
	void nulInAnErrorOrItsTypeIsStoredAsTheReplacementCharacter() {
		StepRecord failed = new StepRecord("pay", 1, StepStatus.FAILED, 1, Map.of(), "bad\0byte", "bad\0type", STARTED,
				COMPLETED, null, 0);
		assertThat(applied(json(List.of(failed))).get(1).error()).isEqualTo("bad\uFFFDbyte");
		assertThat(applied(json(List.of(failed))).get(1).errorType()).isEqualTo("bad\uFFFDtype");
	}

	@Test
	void textThatIsNotAListOfStepsIsReportedWithItsInstance() {
		assertThatIllegalStateException().isThrownBy(() -> applied("[{\"status\":\"COMPLETED\"}]"))
			.withMessageContaining("instance i-1");
		assertThatIllegalStateException().isThrownBy(() -> applied("not json")).withMessageContaining("instance i-1");
	}

	@Test
	void aChangeWithALargeOutputGoesIntoTheStepsRowAndTheHistoryPointsThere() {
		List<String> results = Collections.nCopies(StepChanges.MAX_OUTPUT_IN_HISTORY / 8, "result");
		StepRecord large = new StepRecord("pay", 1, StepStatus.RUNNING, 1, Map.of("results", results), null, STARTED,
				null, null, 0);
		StepRecord small = new StepRecord("ship", 2, StepStatus.RUNNING, 1, Map.of(), null, STARTED, null, null, 0);
		StepChanges.Split split = StepChanges.split(List.of(large, small));
		assertThat(split.inRow()).containsExactly(large);
		assertThat(split.json()).hasSizeLessThan(StepChanges.MAX_OUTPUT_IN_HISTORY).contains("\"inRow\":true");

		// the row holds the large change; an earlier change in the history does not hide
		// it
		Map<String, StepRecord> rows = StepChanges.byId(List.of(CREATED.get(0), large, CREATED.get(2)));
		Map<String, StepRecord> steps = StepChanges.byId(rows.values().stream().toList());
		StepRecord earlier = new StepRecord("pay", 1, StepStatus.RUNNING, 1, Map.of("results", List.of()), null,
				STARTED, null, null, 0);
		StepChanges.applyTo(json(List.of(earlier)), steps, rows, "i-1");
		assertThat(steps.get("pay")).isEqualTo(earlier);
		StepChanges.applyTo(split.json(), steps, rows, "i-1");
		assertThat(StepChanges.steps(steps)).containsExactly(CREATED.get(0), large, small);
	}

	@Test
	void aTransitionThatChangesNoStepHasNoStepChanges() {
		assertThat(StepChanges.split(List.of()).json()).isNull();
		assertThat(StepChanges.split(List.of()).inRow()).isEmpty();
	}

	private static String json(List<StepRecord> steps) {
		StepChanges.Split split = StepChanges.split(steps);
		assertThat(split.inRow()).isEmpty();
		return split.json();
	}

	private static List<StepRecord> applied(String json) {
		Map<String, StepRecord> steps = StepChanges.byId(CREATED);
		StepChanges.applyTo(json, steps, StepChanges.byId(CREATED), "i-1");
		return StepChanges.steps(steps);
	}

}
