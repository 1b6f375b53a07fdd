package io.orchwf.acceptance;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.orchwf.Orchestrator;
import io.orchwf.WorkflowResult;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEventType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract, "Running" ({@code signal}) and {@code StepContext.signals}: a signal is
 * stored and steps read the payloads received so far, in arrival order. (The awaitSignal
 * step is a later milestone and not tested here.)
 */
class SignalsAcceptanceTests extends AcceptanceSupport {

	@Test
	void stepsReadSignalsSentBeforeTheyRanInArrivalOrder() throws Exception {
		CountDownLatch gateStarted = new CountDownLatch(1);
		CountDownLatch openGate = new CountDownLatch(1);
		AtomicReference<List<Map<String, Object>>> approvals = new AtomicReference<>();
		AtomicReference<List<Map<String, Object>>> others = new AtomicReference<>();
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("signalled", step("gate", (ctx) -> {
			gateStarted.countDown();
			openGate.await(3, TimeUnit.SECONDS);
			return Map.of();
		}), step("reader", (ctx) -> {
			approvals.set(ctx.signals("approve-payment"));
			others.set(ctx.signals("never-sent"));
			return Map.of();
		}).dependsOn("gate")));
		String id = orchestrator.startAsync("signalled", Map.of());
		assertThat(gateStarted.await(3, TimeUnit.SECONDS)).isTrue();
		orchestrator.signal(id, "approve-payment", Map.of("approvedBy", "ann"));
		orchestrator.signal(id, "unrelated", Map.of("x", 1));
		orchestrator.signal(id, "approve-payment", Map.of("approvedBy", "bob", "level", 2));
		openGate.countDown();
		WorkflowResult result = awaitResult(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(approvals.get()).containsExactly(Map.of("approvedBy", "ann"),
				Map.of("approvedBy", "bob", "level", 2));
		assertThat(others.get()).isEmpty();
	}

	@Test
	void aRunningStepSeesSignalsAsTheyArrive() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("polling", step("poller", (ctx) -> {
			started.countDown();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
			while (System.nanoTime() < deadline) {
				if (!ctx.signals("go").isEmpty()) {
					return Map.of("go", ctx.signals("go").get(0).get("who"));
				}
				Thread.sleep(5);
			}
			throw new IllegalStateException("no signal seen");
		})));
		String id = orchestrator.startAsync("polling", Map.of());
		assertThat(started.await(3, TimeUnit.SECONDS)).isTrue();
		orchestrator.signal(id, "go", Map.of("who", "ann"));
		WorkflowResult result = awaitResult(orchestrator, id);
		assertThat(result.status()).isEqualTo(WorkflowStatus.COMPLETED);
		assertThat(result.output()).containsEntry("go", "ann");
	}

	@Test
	void aSignalEmitsSignalReceived() throws Exception {
		CountDownLatch started = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Orchestrator orchestrator = orchestrator();
		orchestrator.register(workflow("evented", step("a", (ctx) -> {
			started.countDown();
			release.await(3, TimeUnit.SECONDS);
			return Map.of();
		})));
		String id = orchestrator.startAsync("evented", Map.of());
		assertThat(started.await(3, TimeUnit.SECONDS)).isTrue();
		orchestrator.signal(id, "approve-payment", Map.of("approvedBy", "ann"));
		release.countDown();
		awaitResult(orchestrator, id);
		await().atMost(WAIT).untilAsserted(() -> assertThat(this.events).anySatisfy((e) -> {
			assertThat(e.type()).isEqualTo(WorkflowEventType.SIGNAL_RECEIVED);
			assertThat(e.instanceId()).isEqualTo(id);
		}));
	}

}
