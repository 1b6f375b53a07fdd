package io.orchwf.internal.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

class JsonValuesTests {

	private enum Tier {

		GOLD

	}

	record Customer(String name, int age, Instant since, Tier tier) {
	}

	@Test
	void nullMapIsEmpty() {
		assertThat(JsonValues.object(null, "input")).isEmpty();
	}

	@Test
	void numbersComeBackAsJsonReadsThem() {
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("long", 5L);
		values.put("big_long", 10_000_000_000L);
		values.put("short", (short) 3);
		values.put("big_integer", new BigInteger("123456789012345678901234567890"));
		values.put("small_big_integer", BigInteger.TEN);
		values.put("float", 0.1f);
		values.put("decimal", new BigDecimal("1.10"));
		values.put("double", 2.0);
		JsonObject json = JsonValues.object(values, "input");
		assertThat(json).containsExactly(entry("long", 5), entry("big_long", 10_000_000_000L), entry("short", 3),
				entry("big_integer", new BigInteger("123456789012345678901234567890")), entry("small_big_integer", 10),
				entry("float", 0.1), entry("decimal", 1.1), entry("double", 2.0));
	}

	@Test
	void collectionsBecomeListsAndKeysBecomeStrings() {
		Map<Object, Object> values = new HashMap<>();
		values.put("set", Set.of("x"));
		values.put("array", new String[] { "a", "b" });
		values.put(7, "seven");
		values.put("chars", 'c');
		values.put("tier", Tier.GOLD);
		values.put("bytes", new byte[] { 1, 2 });
		@SuppressWarnings("unchecked")
		JsonObject json = JsonValues.object((Map<String, ?>) (Map<?, ?>) values, "input");
		assertThat(json).containsEntry("set", List.of("x"))
			.containsEntry("array", List.of("a", "b"))
			.containsEntry("7", "seven")
			.containsEntry("chars", "c")
			.containsEntry("tier", "GOLD")
			.containsEntry("bytes", "AQI=");
	}

	@Test
	void recordsAndJavaTimeGoThroughJackson() {
		JsonObject json = JsonValues
			.object(Map.of("customer", new Customer("ann", 41, Instant.parse("2024-01-01T00:00:00Z"), Tier.GOLD), "id",
					UUID.fromString("00000000-0000-0000-0000-000000000001")), "input");
		assertThat(json.get("customer"))
			.isEqualTo(Map.of("name", "ann", "age", 41, "since", "2024-01-01T00:00:00Z", "tier", "GOLD"));
		assertThat(json.get("id")).isEqualTo("00000000-0000-0000-0000-000000000001");
	}

	@Test
	void keepsNullValues() {
		Map<String, Object> values = new HashMap<>();
		values.put("missing", null);
		values.put("list", java.util.Arrays.asList(1, null));
		assertThat(JsonValues.object(values, "input")).containsEntry("missing", null)
			.containsEntry("list", java.util.Arrays.asList(1, null));
	}

	@Test
	void rejectsWhatJsonCannotHoldNamingThePath() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> JsonValues.object(Map.of("items", List.of(Map.of("price", Double.NaN))), "input"))
			.withMessageContaining("input.items[0].price")
			.withMessageContaining("NaN");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> JsonValues.object(Map.of("x", Float.POSITIVE_INFINITY), "input"))
			.withMessageContaining("input.x");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> JsonValues.object(Map.of("thread", new Object()), "output of step a"))
			.withMessageContaining("output of step a.thread")
			.withMessageContaining("cannot be stored as JSON");
		Map<String, Object> nullKey = new HashMap<>();
		nullKey.put(null, 1);
		assertThatIllegalArgumentException().isThrownBy(() -> JsonValues.object(nullKey, "input"))
			.withMessageContaining("null key");
	}

	@Test
	void rejectsSelfReferencingStructures() {
		List<Object> loop = new ArrayList<>();
		loop.add(loop);
		assertThatIllegalArgumentException().isThrownBy(() -> JsonValues.object(Map.of("loop", loop), "input"))
			.withMessageContaining("self-referencing");
	}

	@Test
	void copiesSoLaterChangesOfTheCallerDoNotLeakIn() {
		List<Object> items = new ArrayList<>(List.of("a"));
		Map<String, Object> input = new HashMap<>(Map.of("items", items));
		JsonObject json = JsonValues.object(input, "input");
		items.add("b");
		input.put("more", 1);
		assertThat(json).containsOnlyKeys("items").containsEntry("items", List.of("a"));
	}

	@Test
	void resultsAreDeeplyImmutable() {
		JsonObject json = JsonValues.object(Map.of("items", List.of(Map.of("a", 1))), "input");
		assertThatUnsupported(() -> json.put("x", 1));
		@SuppressWarnings("unchecked")
		List<Object> items = (List<Object>) json.get("items");
		assertThatUnsupported(() -> items.add(1));
		@SuppressWarnings("unchecked")
		Map<String, Object> first = (Map<String, Object>) items.get(0);
		assertThatUnsupported(() -> first.remove("a"));
	}

	private static void assertThatUnsupported(Runnable change) {
		org.assertj.core.api.Assertions.assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(change::run);
	}

	@Test
	void normalizedValuesAreReturnedAsTheyAre() {
		JsonObject json = JsonValues.object(Map.of("a", List.of(1)), "input");
		assertThat(JsonValues.object(json, "again")).isSameAs(json);
		assertThat(JsonValues.object(Map.of("nested", json), "outer").get("nested")).isSameAs(json);
	}

	@Test
	void mergeLaysLaterMapsOverEarlierOnes() {
		JsonObject base = JsonValues.object(Map.of("a", 1, "b", 1), "base");
		JsonObject merged = JsonValues.merge(base, List.of(JsonValues.object(Map.of("b", 2), "x"), JsonObject.empty(),
				JsonValues.object(Map.of("c", 3), "y")));
		assertThat(merged).containsOnly(entry("a", 1), entry("b", 2), entry("c", 3));
		assertThat(JsonValues.merge(base, List.of(JsonObject.empty()))).isSameAs(base);
	}

	@Test
	void convertsToTheAskedType() {
		assertThat(JsonValues.convert(5, Long.class, "n")).isEqualTo(5L);
		assertThat(JsonValues.convert("x", String.class, "s")).isEqualTo("x");
		assertThat(JsonValues.convert(null, String.class, "s")).isNull();
		Customer customer = JsonValues.convert(
				Map.of("name", "ann", "age", 41, "since", "2024-01-01T00:00:00Z", "tier", "GOLD"), Customer.class, "c");
		assertThat(customer).isEqualTo(new Customer("ann", 41, Instant.parse("2024-01-01T00:00:00Z"), Tier.GOLD));
		assertThatIllegalArgumentException().isThrownBy(() -> JsonValues.convert("abc", Integer.class, "count"))
			.withMessageContaining("count cannot be converted to java.lang.Integer");
	}

}
