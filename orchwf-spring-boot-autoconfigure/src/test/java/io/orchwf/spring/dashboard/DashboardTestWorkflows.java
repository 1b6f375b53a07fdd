package io.orchwf.spring.dashboard;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.orchwf.NonRetryableStepException;
import io.orchwf.RetryPolicy;
import io.orchwf.StepDefinition;
import io.orchwf.StepException;
import io.orchwf.WorkflowDefinition;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The workflows the dashboard's web tests run: {@code orders} in two versions (the newer
 * a diamond whose {@code charge} step fails once and is retried), {@code flaky}, which
 * fails until the test {@link #fix fixes} the token in its input, {@code waiting}, which
 * waits for a {@code go} signal, {@code halted}, whose first step fails so that the
 * second never runs, {@code paged}, which completes at once, and one whose every name is
 * markup, to show that the pages escape what they show.
 */
@Configuration(proxyBeanMethods = false)
class DashboardTestWorkflows {

	static final String EVIL_WORKFLOW = "evil<script>alert('workflow')</script>";

	static final String EVIL_STEP = "\"><script>alert('step')</script>";

	static final String EVIL_WAIT = "<img src=x onerror=alert('wait')>";

	static final String EVIL_SIGNAL = "<script>alert('signal')</script>";

	private final Set<String> fixed = ConcurrentHashMap.newKeySet();

	@Bean
	WorkflowDefinition ordersV1() {
		return WorkflowDefinition.builder("orders", "Orders")
			.version("1.0.0")
			.step(StepDefinition.builder("validate", "Validate", (context) -> Map.of("valid", true)).build())
			.step(StepDefinition.builder("ship", "Ship", (context) -> Map.of("shipped", true))
				.dependsOn("validate")
				.build())
			.build();
	}

	@Bean
	WorkflowDefinition ordersV2() {
		return WorkflowDefinition.builder("orders", "Orders")
			.version("2.0.0")
			.description("Takes an order: validates it, reserves the stock and charges the card, then ships it")
			.step(StepDefinition.builder("validate", "Validate the order", (context) -> Map.of("valid", true)).build())
			.step(StepDefinition.builder("reserve", "Reserve stock", (context) -> Map.of("reserved", true))
				.dependsOn("validate")
				.async(true)
				.build())
			.step(StepDefinition.builder("charge", "Charge the card", (context) -> {
				if (context.attempt() == 1) {
					throw new StepException("gateway_busy", "the payment gateway is busy");
				}
				return Map.of("charged", true);
			})
				.dependsOn("validate")
				.async(true)
				.retryPolicy(RetryPolicy.builder().maxAttempts(2).initialInterval(Duration.ofMillis(10)).build())
				.build())
			.step(StepDefinition.builder("ship", "Ship", (context) -> Map.of("shipped", true))
				.dependsOn("reserve", "charge")
				.build())
			.build();
	}

	@Bean
	WorkflowDefinition flaky() {
		return WorkflowDefinition.builder("flaky", "Flaky")
			.step(StepDefinition.builder("call", "Call the remote service", (context) -> {
				String token = context.get("token", String.class);
				if (token == null || !this.fixed.contains(token)) {
					throw new NonRetryableStepException("remote_down",
							"the remote service is down: <script>alert('error')</script>");
				}
				return Map.of("called", true);
			}).build())
			.build();
	}

	@Bean
	WorkflowDefinition waiting() {
		return WorkflowDefinition.builder("waiting", "Waiting")
			.step(StepDefinition.awaitSignal("await", "go").build())
			.build();
	}

	@Bean
	WorkflowDefinition halted() {
		return WorkflowDefinition.builder("halted", "Halted").step(StepDefinition.builder("fail", "Fail", (context) -> {
			throw new NonRetryableStepException("broken", "always fails");
		}).build())
			.step(StepDefinition.builder("after", "After", (context) -> Map.of()).dependsOn("fail").build())
			.build();
	}

	@Bean
	WorkflowDefinition paged() {
		return WorkflowDefinition.builder("paged", "Paged")
			.step(StepDefinition.builder("only", "Only", (context) -> Map.of()).build())
			.build();
	}

	@Bean
	WorkflowDefinition evil() {
		return WorkflowDefinition.builder(EVIL_WORKFLOW, "<b>Evil</b> & \"co\"")
			.description("<script>alert('description')</script>")
			.metadata("team", "<script>alert('metadata')</script>")
			.step(StepDefinition
				.builder(EVIL_STEP, "<i>first</i>", (context) -> Map.of("out", "<script>alert('output')</script>"))
				.build())
			.step(StepDefinition.awaitSignal(EVIL_WAIT, EVIL_SIGNAL).dependsOn(EVIL_STEP).build())
			.build();
	}

	/**
	 * Let the {@code flaky} instances with this token in their input succeed from now on.
	 * @param token the token
	 */
	void fix(String token) {
		this.fixed.add(token);
	}

}
