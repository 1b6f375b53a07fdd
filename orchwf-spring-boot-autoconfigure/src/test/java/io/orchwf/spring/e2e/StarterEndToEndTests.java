package io.orchwf.spring.e2e;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.jayway.jsonpath.JsonPath;
import io.micrometer.core.instrument.MeterRegistry;
import io.orchwf.Orchestrator;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.testing.EnabledIfPostgres;
import io.orchwf.testing.TestDatabase;
import io.orchwf.testing.TestDatabase.EmptySchema;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The starter as an application uses it, on PostgreSQL: an application with its own
 * Flyway migrations and annotated steps, a transactional service that saves an order and
 * starts its workflow, properties that override an annotation, and the actuator endpoint,
 * health and metrics over HTTP. Skipped, before its context is built, when the tests have
 * no PostgreSQL.
 */
@EnabledIfPostgres
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.flyway.locations=classpath:db/shop",
				"orchwf.workflows.orders.steps.charge.retry.max-attempts=4", "orchwf.recovery.poll-interval=100ms",
				"management.endpoints.web.exposure.include=health,orchwf,metrics",
				"management.endpoint.orchwf.access=unrestricted", "management.endpoint.health.show-details=always" })
@AutoConfigureTestRestTemplate
@DirtiesContext
class StarterEndToEndTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static EmptySchema schema;

	@Autowired
	private OrderService orders;

	@Autowired
	private PaymentSteps payments;

	@Autowired
	private Orchestrator orchestrator;

	@Autowired
	private JdbcTemplate jdbc;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private TestRestTemplate http;

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		schema = TestDatabase.emptyPostgresSchema();
		registry.add("spring.datasource.url", () -> schema.address().url());
		registry.add("spring.datasource.username", () -> schema.address().user());
		registry.add("spring.datasource.password", () -> schema.address().password());
		registry.add("spring.datasource.hikari.schema", () -> schema.schema());
	}

	@Test
	void aStartInsideACommittedTransactionRunsWithThePropertiesOverridingTheAnnotation() {
		String orderId = "order-" + UUID.randomUUID();
		String instanceId = this.orders.place(orderId, false);
		WorkflowResult result = this.orchestrator.awaitCompletion(instanceId, WAIT).orElseThrow();
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.output()).containsEntry("tracking", "trk-pay-" + orderId);
		assertThat(result.instance().step("charge").orElseThrow().attempts())
			.as("the annotation allows 2 attempts, the property 4; the gateway succeeds on the 4th")
			.isEqualTo(4);
		assertThat(this.jdbc.queryForObject("SELECT status FROM shop_orders WHERE id = ?", String.class, orderId))
			.isEqualTo("PLACED");
		assertThat(this.meters.get("orchwf.step.retries")
			.tag("workflow", "orders")
			.tag("step", "charge")
			.counter()
			.count()).isGreaterThanOrEqualTo(3);
	}

	@Test
	void aStartInsideARolledBackTransactionLeavesNothingBehind() {
		String orderId = "order-" + UUID.randomUUID();
		int attemptsBefore = this.payments.chargeAttempts();
		assertThatIllegalStateException().isThrownBy(() -> this.orders.place(orderId, true))
			.withMessage("the order could not be placed");
		assertThat(this.jdbc.queryForObject("SELECT COUNT(*) FROM shop_orders WHERE id = ?", Long.class, orderId))
			.isZero();
		assertThat(this.orchestrator.list(WorkflowFilter.builder().businessId(orderId).build(), 10, 0).total())
			.isZero();
		assertThat(this.payments.chargeAttempts()).isEqualTo(attemptsBefore);
	}

	@Test
	void bothMigrationsRanEachWithItsOwnHistory() {
		assertThat(this.jdbc.queryForList("SELECT version FROM flyway_schema_history WHERE success", String.class))
			.containsExactly("1");
		assertThat(this.jdbc.queryForList("SELECT version FROM orchwf_schema_history WHERE success", String.class))
			.contains("1");
	}

	@Test
	void theActuatorShowsWorkflowsInstancesHealthAndMetrics() {
		String orderId = "order-" + UUID.randomUUID();
		String instanceId = this.orders.place(orderId, false);
		assertThat(this.orchestrator.awaitCompletion(instanceId, WAIT).orElseThrow().success()).isTrue();

		String overview = get("/actuator/orchwf?businessId={id}", HttpStatus.OK, orderId);
		assertThat(JsonPath.<List<String>>read(overview, "$.workflows[*].id")).containsExactly("orders");
		assertThat(JsonPath.<List<String>>read(overview, "$.workflows[0].steps[*].id")).containsExactly("validate",
				"charge", "ship");
		assertThat(JsonPath.<List<String>>read(overview, "$.instances.items[*].id")).containsExactly(instanceId);
		assertThat(JsonPath.<Integer>read(overview, "$.counts.COMPLETED")).isPositive();

		String instance = get("/actuator/orchwf/{id}", HttpStatus.OK, instanceId);
		assertThat(JsonPath.<String>read(instance, "$.instance.status")).isEqualTo("COMPLETED");
		assertThat(JsonPath.<List<Integer>>read(instance, "$.steps[?(@.stepId == 'charge')].attempts"))
			.containsExactly(4);
		assertThat(JsonPath.<List<String>>read(instance, "$.history[*].type")).contains("WORKFLOW_STARTED",
				"STEP_RETRYING", "WORKFLOW_COMPLETED");
		get("/actuator/orchwf/{id}", HttpStatus.NOT_FOUND, UUID.randomUUID());

		String health = get("/actuator/health", HttpStatus.OK);
		assertThat(JsonPath.<String>read(health, "$.components.orchwf.status")).isEqualTo("UP");
		assertThat(JsonPath.<Integer>read(health, "$.components.orchwf.details.backlog")).isNotNull();

		String started = get("/actuator/metrics/orchwf.workflow.started?tag=workflow:orders", HttpStatus.OK);
		assertThat(JsonPath.<List<Double>>read(started, "$.measurements[?(@.statistic == 'COUNT')].value"))
			.singleElement()
			.satisfies((count) -> assertThat(count).isPositive());
		String ship = get("/actuator/metrics/orchwf.step.duration?tag=step:ship&tag=outcome:COMPLETED", HttpStatus.OK);
		assertThat(JsonPath.<List<String>>read(ship, "$.availableTags[*].tag")).contains("workflow");
	}

	@Test
	void theActuatorCancelsAnInstance() {
		String orderId = "order-" + UUID.randomUUID();
		String instanceId = this.orders.place(orderId, false);
		assertThat(this.orchestrator.awaitCompletion(instanceId, WAIT).orElseThrow().success()).isTrue();
		ResponseEntity<String> refused = this.http.postForEntity("/actuator/orchwf/{id}",
				Map.of("action", "signal", "name", "approve", "payload", "{}"), String.class, instanceId);
		assertThat(refused.getStatusCode()).as("a signal to a finished instance").isEqualTo(HttpStatus.CONFLICT);
		ResponseEntity<String> unknown = this.http.postForEntity("/actuator/orchwf/{id}",
				Map.of("action", "cancel", "reason", "customer asked"), String.class, UUID.randomUUID());
		assertThat(unknown.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
	}

	private String get(String uri, HttpStatus expected, Object... variables) {
		ResponseEntity<String> response = this.http.getForEntity(uri, String.class, variables);
		assertThat(response.getStatusCode()).as(uri).isEqualTo(expected);
		return response.getBody();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class DropSchemaOnClose {

		// destroyed after the orchestrator stopped, when nothing uses the schema any more
		@Bean
		DisposableBean dropShopSchema() {
			return () -> schema.close();
		}

	}

}
