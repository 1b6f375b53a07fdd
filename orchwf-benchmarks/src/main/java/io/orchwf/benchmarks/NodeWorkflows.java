package io.orchwf.benchmarks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import io.orchwf.Orchestrator;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;

/**
 * The workflows of {@link TwoNodes}, as every {@link BenchmarkNode} registers them, and
 * what their steps and this node's listener record: each step of the burn-down counts its
 * executions, the first step of a short workflow notes when it started, and the listener
 * notes when an approval workflow or a burn-down workflow completed here. Times are
 * microseconds of the wall clock ({@link Instant#now()}), which every process on the
 * machine shares.
 */
final class NodeWorkflows {

	/** A chain of no-op steps. */
	static final String BURN = "two_nodes_burn";

	/** Waits for the signal {@code approve}, then runs a step. */
	static final String APPROVAL = "two_nodes_approval";

	/**
	 * Runs a step that takes {@link #HELD_MILLIS} on the worker pool beside a wait for
	 * the signal {@code approve}, then a step after the signal whose end is noted:
	 * signalled while its first step runs, the instance is still driven by its node.
	 */
	static final String HELD = "two_nodes_held";

	/** How long the first step of a held workflow takes. */
	static final long HELD_MILLIS = 1500;

	/** One step, whose start is noted. */
	static final String SHORT = "two_nodes_short";

	/** One step that holds its node until released. */
	static final String LONG = "two_nodes_long";

	/** How long the long workflow's step holds at most. */
	static final long HOLD_LIMIT_SECONDS = 120;

	/** Step executions of the burn-down here. */
	final LongAdder executions = new LongAdder();

	/** Approval workflows completed here: instance id, then completion time. */
	final ConcurrentLinkedQueue<String[]> approvals = new ConcurrentLinkedQueue<>();

	/** First steps of short workflows started here: instance id, then start time. */
	final ConcurrentLinkedQueue<String[]> firstSteps = new ConcurrentLinkedQueue<>();

	/** The burn-down this node waits for. */
	final AtomicReference<Burn> burn = new AtomicReference<>(new Burn(0));

	/** Counted down when a long workflow's step starts here, and by which it ends. */
	final AtomicReference<Hold> hold = new AtomicReference<>(new Hold());

	static long micros(Instant instant) {
		return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
	}

	static long nowMicros() {
		return micros(Instant.now());
	}

	void register(Orchestrator orchestrator, int steps) {
		WorkflowDefinition.Builder chain = WorkflowDefinition.builder(BURN, BURN);
		for (int i = 0; i < steps; i++) {
			StepDefinition.Builder step = StepDefinition.builder("s" + i, "Step " + i, (context) -> {
				this.executions.increment();
				return Map.of();
			});
			if (i > 0) {
				step.dependsOn("s" + (i - 1));
			}
			chain.step(step.build());
		}
		orchestrator.register(chain.build());
		orchestrator.register(WorkflowDefinition.builder(APPROVAL, "Approval")
			.step(StepDefinition.awaitSignal("approval", "approve").build())
			.step(StepDefinition.builder("record", "Record", (context) -> Map.of("recorded", true))
				.dependsOn("approval")
				.build())
			.build());
		orchestrator.register(
				WorkflowDefinition.builder(HELD, "Held").step(StepDefinition.builder("busy", "Busy", (context) -> {
					Thread.sleep(HELD_MILLIS);
					return Map.of();
				}).async(true).build())
					.step(StepDefinition.awaitSignal("approval", "approve").build())
					.step(StepDefinition.builder("record", "Record", (context) -> {
						// the dependent step's end: what a signal to a held instance is
						// for
						this.approvals.add(new String[] { context.instanceId(), Long.toString(nowMicros()) });
						return Map.of();
					}).dependsOn("approval").build())
					.build());
		orchestrator.register(
				WorkflowDefinition.builder(SHORT, "Short").step(StepDefinition.builder("first", "First", (context) -> {
					this.firstSteps.add(new String[] { context.instanceId(), Long.toString(nowMicros()) });
					return Map.of();
				}).build()).build());
		orchestrator.register(
				WorkflowDefinition.builder(LONG, "Long").step(StepDefinition.builder("hold", "Hold", (context) -> {
					Hold current = this.hold.get();
					current.started.countDown();
					current.released.await(HOLD_LIMIT_SECONDS, TimeUnit.SECONDS);
					return Map.of();
				}).build()).build());
	}

	void onEvent(WorkflowEvent event) {
		if (event.type() != WorkflowEventType.WORKFLOW_COMPLETED) {
			return;
		}
		long at = nowMicros();
		if (APPROVAL.equals(event.workflowId())) {
			this.approvals.add(new String[] { event.instanceId(), Long.toString(at) });
		}
		else if (BURN.equals(event.workflowId())) {
			this.burn.get().completed(at);
		}
	}

	static List<String[]> drain(ConcurrentLinkedQueue<String[]> queue) {
		List<String[]> drained = new ArrayList<>();
		for (String[] item = queue.poll(); item != null; item = queue.poll()) {
			drained.add(item);
		}
		return drained;
	}

	/** The burn-down workflows that complete on this node, and when the last did. */
	static final class Burn {

		final CountDownLatch done;

		final AtomicLong lastMicros = new AtomicLong();

		Burn(int workflows) {
			this.done = new CountDownLatch(workflows);
		}

		void completed(long at) {
			this.lastMicros.accumulateAndGet(at, Math::max);
			this.done.countDown();
		}

	}

	/** One long workflow's hold on its node. */
	static final class Hold {

		final CountDownLatch started = new CountDownLatch(1);

		final CountDownLatch released = new CountDownLatch(1);

	}

}
