package io.orchwf;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The one rule for text a store keeps, which the API, the actuator endpoint, the
 * dashboard and applications share.
 */
class StorableTextTests {

	@Test
	void findsTheFirstCharacterNoStoreCanHold() {
		assertThat(StorableText.flawAt("ab\u0000c")).isEqualTo(2);
		assertThat(StorableText.flawIn("ab\u0000c")).isEqualTo("the character U+0000");
		assertThat(StorableText.flawIn("a\uD800")).isEqualTo("an unpaired surrogate (U+D800)");
		assertThat(StorableText.flawIn("\uDC00a")).isEqualTo("an unpaired surrogate (U+DC00)");
		assertThat(StorableText.flawIn("\uD83D\u0000")).isEqualTo("an unpaired surrogate (U+D83D)");
		assertThat(StorableText.flawAt("x\uDE00\uD83D")).isEqualTo(1);
	}

	@Test
	void acceptsUnicodeTextWithPairedSurrogates() {
		assertThat(StorableText.flawAt("")).isEqualTo(-1);
		assertThat(StorableText.flawAt("caf\u00e9 \uD83D\uDE00 ok")).isEqualTo(-1);
		assertThat(StorableText.flawIn("\uD83D\uDE00")).isNull();
	}

	@Test
	void aKeyThatBreaksTheRuleIsRefusedWithWhatIsWrong() {
		assertThatIllegalArgumentException().isThrownBy(() -> StorableText.require("k\u0000", "idempotencyKey"))
			.withMessageContaining("idempotencyKey must be valid Unicode text")
			.withMessageEndingWith("but it contains the character U+0000");
		assertThat(StorableText.require(null, "idempotencyKey")).isNull();
	}

}
