package io.orchwf.scenario;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.orchwf.Orchestrator;
import io.orchwf.StepDefinition;
import io.orchwf.StepException;
import io.orchwf.StepInstance;
import io.orchwf.StepInterceptor;
import io.orchwf.StepStatus;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.store.memory.InMemoryStateStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Step interceptors wrap the code of every step attempt, forEach element and
 * compensation, on the thread of that code and as part of the attempt: outermost first,
 * within its timeout, their failures its failures.
 */
class StepInterceptorScenarioTests extends ScenarioSupport {

	private final List<String> calls = new CopyOnWriteArrayList<>();

	private final ThreadLocal<Boolean> interceptedHere = new ThreadLocal<>();

	@Test
	void wrapsEveryRunOfStepCodeOnItsThreadOutermostFirst() {
		Orchestrator orchestrator = orchestrator(
				(builder) -> builder.stepInterceptor(recording("outer")).stepInterceptor(recording("inner")));
		orchestrator.register(WorkflowDefinition.builder("shop", "shop")
			.step(step("reserve", (context) -> code("reserve")).compensateWith((context) -> code("undo reserve"))
				.build())
			.step(StepDefinition.timer("pause", Duration.ofMillis(1)).dependsOn("reserve").build())
			.step(StepDefinition
				.forEach("pack", "pack", "lines", (context) -> code("pack " + context.get("item", String.class)))
				.maxConcurrency(1)
				.dependsOn("pause")
				.build())
			.step(step("charge", (context) -> {
				code("charge");
				throw new IllegalStateException("declined");
			}).dependsOn("pack").build())
			.build());

		WorkflowResult result = orchestrator.start("shop", Map.of("lines", List.of("a", "b")));

		assertThat(result.status()).isEqualTo(WorkflowStatus.FAILED);
		assertThat(this.calls).containsExactly("outer reserve element=-1 compensation=false",
				"inner reserve element=-1 compensation=false", "code reserve on the same thread",
				"outer pack element=0 compensation=false", "inner pack element=0 compensation=false",
				"code pack a on the same thread", "outer pack element=1 compensation=false",
				"inner pack element=1 compensation=false", "code pack b on the same thread",
				"outer charge element=-1 compensation=false", "inner charge element=-1 compensation=false",
				"code charge on the same thread", "outer reserve element=-1 compensation=true",
				"inner reserve element=-1 compensation=true", "code undo reserve on the same thread");
	}

	@Test
	void whatAnInterceptorThrowsFailsTheAttemptAsTheStepWould() {
		AtomicInteger ran = new AtomicInteger();
		Orchestrator orchestrator = orchestrator((builder) -> builder.stepInterceptor((invocation) -> {
			throw new StepException("forbidden", "step " + invocation.context().stepId() + " may not run here");
		}));
		orchestrator.register(workflow("guarded", step("call", (context) -> Map.of("ran", ran.incrementAndGet()))));

		WorkflowResult result = orchestrator.start("guarded", null);

		StepInstance call = result.instance().step("call").orElseThrow();
		assertThat(call.status()).isEqualTo(StepStatus.FAILED);
		assertThat(call.errorType()).hasValue("forbidden");
		assertThat(call.error()).hasValue("step call may not run here");
		assertThat(ran).hasValue(0);
	}

	@Test
	void whatAnInterceptorReturnsIsTheStepsOutput() {
		Orchestrator orchestrator = orchestrator((builder) -> builder.stepInterceptor((invocation) -> {
			Map<String, Object> output = invocation.proceed();
			return Map.of("wrapped", output);
		}));
		orchestrator.register(workflow("wrapped", step("call", (context) -> Map.of("value", 1))));

		WorkflowResult result = orchestrator.start("wrapped", null);

		assertThat(result.output()).isEqualTo(Map.of("wrapped", Map.of("value", 1)));
	}

	@Test
	void anInterceptorThatProceedsTwiceFailsTheAttemptAndTheCodeRunsOnce() {
		AtomicInteger ran = new AtomicInteger();
		Orchestrator orchestrator = orchestrator((builder) -> builder.stepInterceptor((invocation) -> {
			invocation.proceed();
			return invocation.proceed();
		}));
		orchestrator.register(workflow("twice", step("call", (context) -> Map.of("ran", ran.incrementAndGet()))));

		StepInstance call = orchestrator.start("twice", null).instance().step("call").orElseThrow();

		assertThat(call.status()).isEqualTo(StepStatus.FAILED);
		assertThat(call.errorType()).hasValue("IllegalStateException");
		assertThat(call.error())
			.hasValue("An interceptor of step call proceeded twice; call proceed() once per " + "invocation");
		assertThat(ran).hasValue(1);
	}

	@Test
	void anInterceptorRunsWithinTheAttemptsTimeout() {
		Orchestrator orchestrator = orchestrator((builder) -> builder.stepInterceptor((invocation) -> {
			Thread.sleep(10_000);
			return invocation.proceed();
		}));
		orchestrator.register(workflow("slow", noop("call").timeout(Duration.ofMillis(200))));

		StepInstance call = orchestrator.start("slow", null).instance().step("call").orElseThrow();

		assertThat(call.status()).isEqualTo(StepStatus.FAILED);
		assertThat(call.errorType()).hasValue("timeout");
	}

	@Test
	void theBuilderRefusesANullInterceptor() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Orchestrator.builder(new InMemoryStateStore()).stepInterceptor(null))
			.withMessage("interceptor must not be null");
	}

	private StepInterceptor recording(String name) {
		return (invocation) -> {
			this.calls.add(name + " " + invocation.context().stepId() + " element=" + invocation.element().orElse(-1)
					+ " compensation=" + invocation.isCompensation());
			// the code sees this mark only if it runs on this thread, inside this call
			this.interceptedHere.set(Boolean.TRUE);
			try {
				return invocation.proceed();
			}
			finally {
				this.interceptedHere.remove();
			}
		};
	}

	private Map<String, Object> code(String what) {
		boolean sameThread = Boolean.TRUE.equals(this.interceptedHere.get());
		this.calls.add("code " + what + (sameThread ? " on the same thread" : " on another thread"));
		return Map.of("done", what);
	}

}
