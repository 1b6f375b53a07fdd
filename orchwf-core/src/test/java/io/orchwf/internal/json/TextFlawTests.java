package io.orchwf.internal.json;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TextFlawTests {

	@Test
	void findsTheCharacterNulAndUnpairedSurrogatesAnywhereInAString() {
		assertThat(TextFlaw.of("a\u0000")).isEqualTo(TextFlaw.NUL);
		assertThat(TextFlaw.of("\ud800")).isEqualTo(TextFlaw.UNPAIRED_SURROGATE);
		assertThat(TextFlaw.of("a\ud800b")).isEqualTo(TextFlaw.UNPAIRED_SURROGATE);
		assertThat(TextFlaw.of("\udc00a")).isEqualTo(TextFlaw.UNPAIRED_SURROGATE);
		assertThat(TextFlaw.of("\ude00\ud83d")).as("a pair in the wrong order").isEqualTo(TextFlaw.UNPAIRED_SURROGATE);
		assertThat(TextFlaw.of("a\ud83d")).isEqualTo(TextFlaw.UNPAIRED_SURROGATE);
	}

	@Test
	void takesPairedSurrogatesAndEveryOtherCharacter() {
		assertThat(TextFlaw.of("")).isNull();
		assertThat(TextFlaw.of("\uD83D\uDE00 é \uFFFF \u0001")).isNull();
	}

	@Test
	void looksIntoKeysAndNestedValues() {
		assertThat(TextFlaw.in(Map.of("k\u0000", 1))).isEqualTo(TextFlaw.NUL);
		assertThat(TextFlaw.in(Map.of("lines", List.of(Map.of("sku", "\ud800")))))
			.isEqualTo(TextFlaw.UNPAIRED_SURROGATE);
		assertThat(TextFlaw.in(Map.of("n", 1, "list", List.of("ok", true)))).isNull();
		assertThat(TextFlaw.in(null)).isNull();
	}

	@Test
	void repairsFreeTextWithTheReplacementCharacter() {
		assertThat(TextFlaw.repaired("a\u0000b\ud800c\uD83D\uDE00\udc00"))
			.isEqualTo("a\uFFFDb\uFFFDc\uD83D\uDE00\uFFFD");
		String clean = "clean";
		assertThat(TextFlaw.repaired(clean)).isSameAs(clean);
	}

	@Test
	void describesWhatIsWrongAndWhatToDo() {
		assertThat(TextFlaw.UNPAIRED_SURROGATE.describe("input")).startsWith("input contains an unpaired surrogate")
			.contains("valid Unicode");
		assertThat(TextFlaw.NUL.describe("output of step a"))
			.startsWith("output of step a contains the character U+0000")
			.contains("Base64");
	}

}
