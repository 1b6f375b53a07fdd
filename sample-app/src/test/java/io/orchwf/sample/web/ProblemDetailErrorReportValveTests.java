package io.orchwf.sample.web;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The problems {@link ProblemDetailErrorReportValve} writes for what Tomcat refuses: the
 * detail says what is wrong, and the request itself is never quoted.
 */
class ProblemDetailErrorReportValveTests {

	@Test
	void anInvalidUriIsABadRequestSayingTheUrlIsInvalid() {
		String json = ProblemDetailErrorReportValve.problem(400, "Invalid URI", null);
		assertThat(JsonPath.<String>read(json, "$.title")).isEqualTo("Bad Request");
		assertThat(JsonPath.<Integer>read(json, "$.status")).isEqualTo(400);
		assertThat(JsonPath.<String>read(json, "$.detail")).startsWith("The request URL is invalid: ").contains("%00");
	}

	@Test
	void tomcatsReasonForAnInvalidUriIsGiven() {
		String json = ProblemDetailErrorReportValve.problem(400,
				"Invalid URI: [The encoded slash character is not allowed]", null);
		assertThat(JsonPath.<String>read(json, "$.detail"))
			.isEqualTo("The request URL is invalid: the encoded slash character is not allowed");
	}

	@Test
	void anUnreadableHeaderIsNotQuoted() {
		String json = ProblemDetailErrorReportValve.problem(400, null,
				new IllegalArgumentException("The HTTP header line [Secret \"x\": y] does not conform"));
		assertThat(JsonPath.<String>read(json, "$.detail")).contains("a header is invalid").doesNotContain("Secret");
	}

	@Test
	void otherStatusesKeepTomcatsMessageAsValidJson() {
		String json = ProblemDetailErrorReportValve.problem(501, "CONNECT \"is\" not\\supported\n", null);
		assertThat(JsonPath.<String>read(json, "$.title")).isEqualTo("Not Implemented");
		assertThat(JsonPath.<String>read(json, "$.detail")).isEqualTo("CONNECT \"is\" not\\supported\n");
		assertThat(JsonPath.<String>read(ProblemDetailErrorReportValve.problem(599, null, null), "$.title"))
			.isEqualTo("Error");
	}

}
