package io.orchwf.spring.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.orchwf.spring.dashboard.Attempts.Attempt;
import io.orchwf.spring.dashboard.Attempts.Outcome;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The timeline's axis is cut by a round step of the units people read (ms, s, min, h),
 * ending on the first tick at or after the last attempt, never by quarters of whatever
 * the span was.
 */
class TimelineSvgTests {

	private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

	@Test
	void picksARoundStepForAboutFourIntervals() {
		assertThat(TimelineSvg.tickStep(1)).isEqualTo(1);
		assertThat(TimelineSvg.tickStep(130)).isEqualTo(50);
		assertThat(TimelineSvg.tickStep(3_700)).isEqualTo(1_000);
		assertThat(TimelineSvg.tickStep(50_000)).isEqualTo(15_000);
		assertThat(TimelineSvg.tickStep(Duration.ofMinutes(50).toMillis()))
			.isEqualTo(Duration.ofMinutes(15).toMillis());
		assertThat(TimelineSvg.tickStep(Duration.ofHours(20).toMillis())).isEqualTo(Duration.ofHours(6).toMillis());
		assertThat(TimelineSvg.tickStep(Duration.ofDays(100).toMillis())).isEqualTo(Duration.ofDays(28).toMillis());
	}

	@Test
	void theTicksReadRoundDurations() {
		Document timeline = draw(Duration.ofMillis(3_700));
		assertThat(timeline.select("text.tl-tick").eachText()).containsExactly("+0 ms", "+1.0 s", "+2.0 s", "+3.0 s",
				"+4.0 s");
		Document short_ = draw(Duration.ofMillis(130));
		assertThat(short_.select("text.tl-tick").eachText()).containsExactly("+0 ms", "+50 ms", "+100 ms", "+150 ms");
	}

	private static Document draw(Duration span) {
		Html html = new Html();
		TimelineSvg.write(html, List.of("a", "b"),
				List.of(new Attempt("a", 1, T0, T0.plusMillis(10), Outcome.COMPLETED, null, null),
						new Attempt("b", 1, T0.plusMillis(10), T0.plus(span), Outcome.COMPLETED, null, null)));
		return Jsoup.parse(html.toString());
	}

}
