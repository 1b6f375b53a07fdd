package io.orchwf.internal.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Predicate;

import io.orchwf.OverlapPolicy;
import io.orchwf.Schedule;
import io.orchwf.StartOptions;
import io.orchwf.internal.engine.support.DaemonThreads;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.ScheduleRecord;
import io.orchwf.store.StateStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the schedules that are due by the orchestrator's clock, looking every poll
 * interval of real time, on a thread of its own. A due schedule fires its latest tick
 * (older missed ones are skipped): it starts the tick's instance under the idempotency
 * key {@code schedule:<name>:<tick millis>}, unless its policy is
 * {@link OverlapPolicy#SKIP} and the previous tick's instance has not finished, and then
 * moves the schedule past the tick with a conditional update. Nodes that fire one tick at
 * once start one instance (the key) and advance the schedule once (the condition); a node
 * that stops between the two leaves the tick to the next, which finds the instance by its
 * key.
 */
final class ScheduleTicks {

	private static final Logger logger = LoggerFactory.getLogger(ScheduleTicks.class);

	/** The next tick of a cron expression that never fires again. */
	static final Instant NEVER = Instant.parse("9999-12-31T23:59:59Z");

	/** Starts an instance: workflow, input and options; answers its id. */
	@FunctionalInterface
	interface Starter {

		String start(String workflowId, Map<String, Object> input, StartOptions options);

	}

	private final StateStore store;

	private final Clock clock;

	private final Predicate<String> registered;

	private final Starter starter;

	private final OrchestratorEvents events;

	private final Duration interval;

	/** The schedules whose workflow this node lacks, told once each. */
	private final Set<String> toldUnregistered = ConcurrentHashMap.newKeySet();

	private @Nullable ScheduledExecutorService executor;

	ScheduleTicks(StateStore store, Clock clock, Predicate<String> registered, Starter starter,
			OrchestratorEvents events, Duration interval) {
		this.store = store;
		this.clock = clock;
		this.registered = registered;
		this.starter = starter;
		this.events = events;
		this.interval = interval;
	}

	synchronized void start() {
		if (this.executor != null) {
			return;
		}
		this.executor = DaemonThreads.every("orchwf-schedules-", this.interval, this::fireDue);
	}

	synchronized void close() {
		if (this.executor != null) {
			this.executor.shutdownNow();
		}
	}

	/**
	 * Fire every schedule due now.
	 */
	void fireDue() {
		Instant now = this.clock.instant();
		List<ScheduleRecord> schedules;
		try {
			schedules = this.store.schedules();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not read the schedules; trying again in {}", this.interval, ex);
			return;
		}
		for (ScheduleRecord schedule : schedules) {
			if (!schedule.nextFireAt().isAfter(now)) {
				try {
					fire(schedule, now);
				}
				catch (RuntimeException ex) {
					logger.warn("Could not fire schedule '{}'; trying again in {}", schedule.name(), this.interval, ex);
				}
			}
		}
	}

	private void fire(ScheduleRecord record, Instant now) {
		if (!this.registered.test(record.workflowId())) {
			if (this.toldUnregistered.add(record.name())) {
				logger.warn("Schedule '{}' starts workflow '{}', which this node has not registered; "
						+ "a node that has it fires the schedule", record.name(), record.workflowId());
			}
			return;
		}
		this.toldUnregistered.remove(record.name());
		Schedule schedule = ScheduleRecords.schedule(record);
		Instant tick = schedule.latestTickAtOrBefore(now)
			.filter((latest) -> !latest.isBefore(record.nextFireAt()))
			.orElse(record.nextFireAt());
		Instant next = schedule.tickAfter(now).orElse(NEVER);
		if (previousRuns(record)) {
			this.store.advanceSchedule(record.name(), record.nextFireAt(), tick, next, null);
			logger.debug("Schedule '{}' skipped its tick {}: instance {} has not finished", record.name(), tick,
					record.lastInstanceId());
			return;
		}
		StartOptions options = StartOptions.builder()
			.idempotencyKey("schedule:" + record.name() + ":" + tick.toEpochMilli())
			.metadata(Map.of("schedule_name", record.name(), "scheduled_at", tick.toString()))
			.build();
		String instanceId = this.starter.start(record.workflowId(), record.input(), options);
		if (this.store.advanceSchedule(record.name(), record.nextFireAt(), tick, next, instanceId)) {
			this.events.scheduleFired(record.name(), record.workflowId(), instanceId, tick);
		}
	}

	/** Whether the tick must be skipped: its policy says so and the last one runs. */
	private boolean previousRuns(ScheduleRecord record) {
		String previous = record.lastInstanceId();
		if (record.overlap() != OverlapPolicy.SKIP || previous == null) {
			return false;
		}
		Optional<InstanceRecord> instance = this.store.loadInstance(previous);
		return instance.isPresent() && !instance.get().status().isTerminal();
	}

}
