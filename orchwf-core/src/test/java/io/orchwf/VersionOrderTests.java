package io.orchwf;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class VersionOrderTests {

	@Test
	void comparesNumericSegmentsAsNumbers() {
		List<String> versions = new ArrayList<>(List.of("1.10", "1.2.1", "2", "1.2", "1.9", "10.0"));
		versions.sort(WorkflowDefinition.versionOrder());
		assertThat(versions).containsExactly("1.2", "1.2.1", "1.9", "1.10", "2", "10.0");
	}

	@Test
	void ordersTextSegmentsBelowNumbersAndAlphabetically() {
		assertThat(WorkflowDefinition.versionOrder().compare("1.0-beta", "1.0-alpha")).isPositive();
		assertThat(WorkflowDefinition.versionOrder().compare("1.0.rc", "1.0.1")).isNegative();
		assertThat(WorkflowDefinition.versionOrder().compare("1.0", "1.0")).isZero();
	}

}
