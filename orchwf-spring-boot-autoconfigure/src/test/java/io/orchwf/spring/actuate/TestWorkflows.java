package io.orchwf.spring.actuate;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.orchwf.Orchestrator;
import io.orchwf.RetryPolicy;
import io.orchwf.StepDefinition;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowInstance;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The workflows the actuator tests run: one that completes, one that fails while
 * {@link #broken} is set, one that waits (interruptibly) for {@link #release}, and one
 * that waits for it ignoring interrupts.
 */
@Configuration(proxyBeanMethods = false)
class TestWorkflows {

	final CountDownLatch release = new CountDownLatch(1);

	final AtomicBoolean broken = new AtomicBoolean(true);

	@Bean
	WorkflowDefinition orders() {
		return WorkflowDefinition.builder("orders", "Orders")
			.description("Takes an order")
			.metadata("team", "shop")
			.step(StepDefinition.builder("validate", "Validate", (context) -> Map.of("valid", true)).build())
			.step(StepDefinition.builder("charge", "Charge", (context) -> Map.of("charged", true))
				.dependsOn("validate")
				.retryPolicy(RetryPolicy.builder().maxAttempts(2).build())
				.timeout(Duration.ofSeconds(30))
				.compensateWith((context) -> {
				})
				.build())
			.build();
	}

	@Bean
	WorkflowDefinition flaky() {
		return WorkflowDefinition.builder("flaky", "Flaky").step(StepDefinition.builder("call", "Call", (context) -> {
			if (this.broken.get()) {
				throw new IllegalStateException("the remote service is down");
			}
			return Map.of("called", true);
		}).build()).build();
	}

	@Bean
	WorkflowDefinition approval() {
		return WorkflowDefinition.builder("approval", "Approval")
			.step(StepDefinition.builder("wait", "Wait", (context) -> {
				this.release.await(30, TimeUnit.SECONDS);
				return Map.of("signals", context.signals("approve").size());
			}).build())
			.build();
	}

	@Bean
	WorkflowDefinition stubborn() {
		return WorkflowDefinition.builder("stubborn", "Stubborn")
			.step(StepDefinition.builder("hold", "Hold", (context) -> {
				long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
				while (this.release.getCount() > 0 && System.nanoTime() < deadline) {
					try {
						this.release.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
					}
					catch (InterruptedException ex) {
						// ignores cancellation on purpose
					}
				}
				return Map.of();
			}).build())
			.build();
	}

	/**
	 * Start an instance and wait until its first step runs.
	 * @param orchestrator the orchestrator
	 * @param workflowId the workflow
	 * @return the instance id
	 */
	static String startRunning(Orchestrator orchestrator, String workflowId) {
		String instanceId = orchestrator.startAsync(workflowId, Map.of("order", "o-1"));
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			WorkflowInstance instance = orchestrator.status(instanceId).orElseThrow();
			assertThat(instance.steps().get(0).status()).isEqualTo(StepStatus.RUNNING);
		});
		return instanceId;
	}

}
