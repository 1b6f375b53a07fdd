package io.orchwf.sample.web;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The query parameters {@link QueryTextFilter} refuses, read from the raw query string.
 */
class QueryTextFilterTests {

	@Test
	void plainParametersPass() {
		assertThat(QueryTextFilter.errors(null)).isEmpty();
		assertThat(QueryTextFilter.errors("")).isEmpty();
		assertThat(QueryTextFilter.errors("status=WAITING&limit=10&flag&businessId=%C3%A9t%C3%A9+1")).isEmpty();
	}

	@Test
	void aNulInANameOrAValueIsNamed() {
		assertThat(QueryTextFilter.errors("a=1&businessId=x%00y"))
			.containsExactly(Map.of("field", "businessId", "message", "must not contain the character U+0000"));
		assertThat(QueryTextFilter.errors("b%00=1")).extracting((error) -> error.get("field"))
			.isEqualTo(List.of("b\u0000"));
	}

	@Test
	void aMalformedEscapeIsLeftToTomcat() {
		assertThat(QueryTextFilter.errors("a=%zz&b=%0")).isEmpty();
	}

}
