package io.orchwf.sample.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule of {@link PlainText}: U+0000 and unpaired surrogates are named, surrogate
 * pairs are characters like any other.
 */
class PlainTextValidatorTests {

	@Test
	void plainTextHasNoProblem() {
		assertThat(PlainTextValidator.problemIn("")).isNull();
		assertThat(PlainTextValidator.problemIn("Ann O'Neil, 12 €")).isNull();
		assertThat(PlainTextValidator.problemIn("smile \ud83d\ude00 twice \ud83d\ude00")).isNull();
	}

	@Test
	void aNulIsNamed() {
		assertThat(PlainTextValidator.problemIn("a\u0000b")).isEqualTo("must not contain the character U+0000");
	}

	@Test
	void anUnpairedSurrogateIsNamedWithItsCode() {
		assertThat(PlainTextValidator.problemIn("a\ud800"))
			.isEqualTo("must not contain an unpaired surrogate (U+D800)");
		assertThat(PlainTextValidator.problemIn("\udc00a"))
			.isEqualTo("must not contain an unpaired surrogate (U+DC00)");
		assertThat(PlainTextValidator.problemIn("\ud83d\ud83d\ude00")).as("a high surrogate followed by a pair")
			.isEqualTo("must not contain an unpaired surrogate (U+D83D)");
		assertThat(PlainTextValidator.problemIn("\ude00\ud83d")).as("a pair in the wrong order")
			.isEqualTo("must not contain an unpaired surrogate (U+DE00)");
	}

	@Test
	void nullIsValid() {
		assertThat(new PlainTextValidator().isValid(null, null)).isTrue();
	}

}
