package io.orchwf.spring.autoconfigure;

import io.orchwf.Orchestrator;
import io.orchwf.Schedule;
import io.orchwf.StepInterceptor;
import io.orchwf.WorkflowDefinition;
import io.orchwf.event.OrchestratorListener;
import io.orchwf.event.WorkflowEventListener;
import io.orchwf.spring.OrchestratorCustomizer;
import io.orchwf.store.StateStore;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.thread.Threading;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * Auto-configuration of orchwf: the state store (JDBC when the application has a
 * DataSource, else in-memory; {@code orchwf.store} forces one), the migration of the
 * orchwf tables, the orchestrator (with every {@code WorkflowEventListener} and
 * {@link StepInterceptor} bean, in their order) with every {@code @WorkflowStep} and
 * {@link WorkflowDefinition} bean registered, and its lifecycle. Every bean gives way to
 * one of the application's own.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
		"org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "orchwf.enabled", matchIfMissing = true)
@EnableConfigurationProperties(OrchwfProperties.class)
@Import({ StoreConfigurations.Jdbc.class, StoreConfigurations.MissingDataSource.class,
		StoreConfigurations.InMemory.class })
public final class OrchwfAutoConfiguration {

	@Bean
	static WorkflowStepCollector orchwfWorkflowStepCollector() {
		return new WorkflowStepCollector();
	}

	@Bean
	@ConditionalOnMissingBean
	Orchestrator orchwfOrchestrator(StateStore store, OrchwfProperties properties, Environment environment,
			ObjectProvider<WorkflowEventListener> listeners, ObjectProvider<StepInterceptor> interceptors,
			ObjectProvider<OrchestratorListener> orchestratorListeners,
			ObjectProvider<OrchestratorCustomizer> customizers, ObjectProvider<OrchwfSchemaMigration> migration) {
		// created first: the tables must exist before the orchestrator can claim anything
		migration.getIfAvailable();
		Orchestrator.Builder builder = Orchestrator.builder(store)
			.autoStart(false)
			.workers(properties.getWorkers())
			.maxActiveInstances(properties.getMaxActiveInstances())
			.leaseDuration(properties.getRecovery().getLeaseDuration())
			.pollInterval(properties.getRecovery().getPollInterval())
			.defaultRetryPolicy(RetryPolicies.fromProperties(properties.getDefaultRetry()))
			.defaultStepTimeout(properties.getDefaultStepTimeout())
			.shutdownTimeout(properties.getShutdown().getAwaitTermination())
			.retention(properties.getRetention().toRetention());
		if (properties.getRecovery().getHeartbeatInterval() != null) {
			builder.heartbeatInterval(properties.getRecovery().getHeartbeatInterval());
		}
		if (properties.getNodeId() != null) {
			builder.nodeId(properties.getNodeId());
		}
		if (Threading.VIRTUAL.isActive(environment)) {
			builder.threadFactory(new VirtualThreadTaskExecutor("orchwf-").getVirtualThreadFactory());
		}
		listeners.orderedStream().forEach(builder::listener);
		interceptors.orderedStream().forEach(builder::stepInterceptor);
		orchestratorListeners.orderedStream().forEach(builder::orchestratorListener);
		customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	@Bean
	@ConditionalOnMissingBean
	WorkflowRegistrar orchwfWorkflowRegistrar(Orchestrator orchestrator, WorkflowStepCollector collector,
			ObjectProvider<WorkflowDefinition> definitions, OrchwfProperties properties, Environment environment,
			BeanFactory beanFactory) {
		return new WorkflowRegistrar(orchestrator, collector, definitions,
				new WorkflowAssembler(properties, environment, beanFactory));
	}

	@Bean
	@ConditionalOnMissingBean
	ScheduleRegistrar orchwfScheduleRegistrar(Orchestrator orchestrator, OrchwfProperties properties,
			ObjectProvider<Schedule> schedules) {
		return new ScheduleRegistrar(orchestrator, properties, schedules);
	}

	@Bean
	@ConditionalOnMissingBean
	OrchestratorLifecycle orchwfLifecycle(Orchestrator orchestrator) {
		return new OrchestratorLifecycle(orchestrator);
	}

}
