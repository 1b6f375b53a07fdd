package io.orchwf.sample;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import io.orchwf.Orchestrator;
import io.orchwf.ScheduleInfo;
import io.orchwf.StartOptions;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.sample.report.DailyOrdersReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app declares its nightly report schedule, and the report counts the orders of the
 * day before the tick it was started for.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class DailyOrdersReportTests {

	@TempDir
	static Path dataDirectory;

	@Value("${local.server.port}")
	private int port;

	@Autowired
	private Orchestrator orchestrator;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + dataDirectory.resolve("db").toAbsolutePath());
	}

	@Test
	void theNightlyScheduleIsDeclared() {
		assertThat(this.orchestrator.schedules()).singleElement().satisfies((ScheduleInfo info) -> {
			assertThat(info.name()).isEqualTo("daily-orders-report");
			assertThat(info.workflowId()).isEqualTo(DailyOrdersReport.ID);
			assertThat(info.nextFireAt().atZone(ZoneOffset.UTC).toLocalTime().toString()).isEqualTo("00:05");
			assertThat(info.nextFireAt()).isAfter(Instant.now());
		});
	}

	@Test
	void theReportCountsTheOrdersOfTheDayBeforeItsTick() {
		SampleAppClient shop = SampleAppClient.onPort(this.port);
		shop.placeOrder("card_ok");
		shop.placeOrder("card_ok");
		LocalDate today = LocalDate.now(ZoneOffset.UTC);
		Instant tonight = today.plusDays(1).atTime(0, 5).toInstant(ZoneOffset.UTC);

		WorkflowResult report = this.orchestrator.start(DailyOrdersReport.ID, Map.of(),
				StartOptions.builder().metadata(Map.of("scheduled_at", tonight.toString())).build());

		assertThat(report.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(report.output()).containsEntry("day", today.toString()).containsEntry("orders", 2);
		WorkflowResult nothing = this.orchestrator.start(DailyOrdersReport.ID, Map.of(),
				StartOptions.builder()
					.metadata(Map.of("scheduled_at", today.atTime(0, 5).toInstant(ZoneOffset.UTC).toString()))
					.build());
		assertThat(nothing.output()).containsEntry("day", today.minusDays(1).toString()).containsEntry("orders", 0);
	}

}
