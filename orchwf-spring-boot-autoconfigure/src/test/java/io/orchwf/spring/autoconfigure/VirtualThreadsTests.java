package io.orchwf.spring.autoconfigure;

import java.lang.reflect.Method;
import java.util.Map;

import io.orchwf.Orchestrator;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code spring.threads.virtual.enabled=true} on Java 21 or later, steps run on
 * virtual threads. The build runs this class on a JDK 21+ when {@code ORCHWF_JDK21_HOME}
 * points to one.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadsTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OrchwfAutoConfiguration.class))
		.withUserConfiguration(ThreadReportingConfiguration.class);

	@Test
	void stepsRunOnVirtualThreadsWhenTheApplicationAsksForThem() {
		this.runner.withPropertyValues("spring.threads.virtual.enabled=true")
			.run((context) -> assertThat(context.getBean(Orchestrator.class).start("threads", Map.of()).output())
				.containsEntry("sync", true)
				.containsEntry("async", true));
	}

	@Test
	void stepsRunOnPlatformThreadsOtherwise() {
		this.runner.run((context) -> assertThat(context.getBean(Orchestrator.class).start("threads", Map.of()).output())
			.containsEntry("sync", false)
			.containsEntry("async", false));
	}

	@Configuration(proxyBeanMethods = false)
	static class ThreadReportingConfiguration {

		@Bean
		WorkflowDefinition threads() {
			return WorkflowDefinition.builder("threads", "Threads")
				.steps(StepDefinition.builder("sync", "Sync", (context) -> Map.of("sync", isVirtual())).build(),
						StepDefinition.builder("async", "Async", (context) -> Map.of("async", isVirtual()))
							.async(true)
							.build())
				.build();
		}

		private static boolean isVirtual() throws Exception {
			Method isVirtual = Thread.class.getMethod("isVirtual");
			return (boolean) isVirtual.invoke(Thread.currentThread());
		}

	}

}
