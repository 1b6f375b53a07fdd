package io.orchwf.internal.json;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JSON text {@link JsonCodec} writes for normalized values reads back as the same
 * values, as the JSON library's own text does.
 */
class JsonCodecTests {

	@Test
	void normalizedValuesReadBackAsTheyWereWritten() {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("text",
				"quote \" backslash \\ slash / tab \t newline \n nul \u0000 bell \u0007 \u00e9\u20ac\ud83d\ude00");
		map.put("ints", List.of(0, -1, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE,
				new BigInteger("123456789012345678901234567890")));
		map.put("doubles", List.of(0.5, -0.0, 1e-7, 1.0e22, Double.MAX_VALUE, Double.MIN_VALUE, 3.141592653589793));
		map.put("flags", List.of(true, false));
		map.put("nothing", Arrays.asList(null, Map.of(), List.of()));
		map.put("nested", Map.of("deeper", Map.of("list", List.of(Map.of("k", "v")))));
		map.put("key \"with\" quotes\n", "value");
		JsonObject value = JsonValues.object(map, "value");

		String written = JsonCodec.write(value);

		assertThat(JsonCodec.read(written)).isEqualTo(value);
		assertThat(JsonCodec.read(written)).isEqualTo(JsonCodec.read(JsonValues.mapper().writeValueAsString(value)));
		assertThat(written).contains("\\u0000").contains("\\u0007").contains("\\\"").contains("\\\\");
	}

	@Test
	void emptyObjectIsWrittenAsSuch() {
		assertThat(JsonCodec.write(JsonObject.empty())).isEqualTo("{}");
		assertThat(JsonCodec.write(Map.of())).isEqualTo("{}");
	}

	@Test
	void mapsThatAreNotNormalizedAreWrittenByTheJsonLibrary() {
		Map<String, Object> plain = new LinkedHashMap<>();
		plain.put("a", 1);
		plain.put("b", List.of("x"));
		assertThat(JsonCodec.read(JsonCodec.write(plain))).isEqualTo(Map.of("a", 1, "b", List.of("x")));
	}

}
