package io.orchwf.spring.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.Orchestrator;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowStatus;
import io.orchwf.store.StateStore;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code startAsync} inside a Spring-managed transaction joins it.
 */
class TransactionalStartTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				OrchwfAutoConfiguration.class))
		.withPropertyValues("spring.datasource.url=jdbc:h2:mem:orchwf-tx-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
				"orchwf.recovery.poll-interval=50ms")
		.withUserConfiguration(ChargeConfiguration.class);

	@Test
	void aStartInACommittedTransactionRunsAfterTheCommit() {
		this.runner.run((context) -> {
			Orchestrator orchestrator = context.getBean(Orchestrator.class);
			StateStore store = context.getBean(StateStore.class);
			AtomicInteger charges = context.getBean(ChargeConfiguration.class).charges;
			String id = context.getBean(TransactionTemplate.class).execute((status) -> {
				String started = orchestrator.startAsync("charge", Map.of("amount", 10));
				assertThat(store.load(started)).as("visible inside the transaction").isPresent();
				assertThat(charges).as("nothing runs before the commit").hasValue(0);
				return started;
			});
			assertThat(orchestrator.awaitCompletion(id, Duration.ofSeconds(10)).orElseThrow().status())
				.isEqualTo(WorkflowStatus.COMPLETED);
			assertThat(charges).hasValue(1);
		});
	}

	@Test
	void aStartInARolledBackTransactionLeavesNothing() {
		this.runner.run((context) -> {
			Orchestrator orchestrator = context.getBean(Orchestrator.class);
			StateStore store = context.getBean(StateStore.class);
			String[] id = new String[1];
			context.getBean(TransactionTemplate.class).executeWithoutResult((status) -> {
				id[0] = orchestrator.startAsync("charge", Map.of("amount", 10));
				status.setRollbackOnly();
			});
			assertThat(store.load(id[0])).isEmpty();
			await().during(Duration.ofMillis(300))
				.atMost(Duration.ofSeconds(2))
				.untilAsserted(() -> assertThat(context.getBean(ChargeConfiguration.class).charges).hasValue(0));
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class ChargeConfiguration {

		final AtomicInteger charges = new AtomicInteger();

		@Bean
		WorkflowDefinition chargeWorkflow() {
			return WorkflowDefinition.builder("charge", "Charge")
				.step(StepDefinition
					.builder("charge", "Charge", (context) -> Map.of("n", this.charges.incrementAndGet()))
					.build())
				.build();
		}

	}

}
