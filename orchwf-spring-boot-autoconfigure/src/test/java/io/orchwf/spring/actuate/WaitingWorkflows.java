package io.orchwf.spring.actuate;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Workflows for tests that share one application context and so cannot use the one-shot
 * latch of {@link TestWorkflows}: {@code waiting}, which waits for a {@code go} signal
 * (its instance is WAITING), and {@code gated}, whose step runs until the test opens the
 * gate named in the instance's input.
 */
@Configuration(proxyBeanMethods = false)
class WaitingWorkflows {

	private final ConcurrentMap<String, CountDownLatch> gates = new ConcurrentHashMap<>();

	@Bean
	WorkflowDefinition waiting() {
		return WorkflowDefinition.builder("waiting", "Waiting")
			.step(StepDefinition.awaitSignal("await", "go").build())
			.build();
	}

	@Bean
	WorkflowDefinition gated() {
		return WorkflowDefinition.builder("gated", "Gated").step(StepDefinition.builder("pass", "Pass", (context) -> {
			gate((String) context.input().get("gate")).await(30, TimeUnit.SECONDS);
			return Map.of("passed", true);
		}).build()).build();
	}

	/**
	 * A new gate, closed.
	 * @return its name, for the input of a {@code gated} instance
	 */
	String newGate() {
		String name = UUID.randomUUID().toString();
		gate(name);
		return name;
	}

	/**
	 * Open a gate, letting the instances behind it complete.
	 * @param name the gate
	 */
	void open(String name) {
		gate(name).countDown();
	}

	private CountDownLatch gate(String name) {
		return this.gates.computeIfAbsent(name, (key) -> new CountDownLatch(1));
	}

}
