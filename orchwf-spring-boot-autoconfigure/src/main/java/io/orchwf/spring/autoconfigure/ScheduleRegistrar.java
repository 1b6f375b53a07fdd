package io.orchwf.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.orchwf.Orchestrator;
import io.orchwf.Schedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Declares the application's schedules (those of {@code orchwf.schedules.*} and the
 * {@link Schedule} beans) in the store once every workflow is registered, just before the
 * orchestrator launches. A schedule whose properties say {@code enabled=false} is removed
 * from the store, so that switching it off on every node stops it.
 */
class ScheduleRegistrar implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ScheduleRegistrar.class);

	private final Orchestrator orchestrator;

	private final OrchwfProperties properties;

	private final ObjectProvider<Schedule> beans;

	private volatile boolean running;

	ScheduleRegistrar(Orchestrator orchestrator, OrchwfProperties properties, ObjectProvider<Schedule> beans) {
		this.orchestrator = orchestrator;
		this.properties = properties;
		this.beans = beans;
	}

	@Override
	public void start() {
		List<Schedule> declared = new ArrayList<>();
		for (Map.Entry<String, OrchwfProperties.ScheduleProperties> entry : this.properties.getSchedules().entrySet()) {
			if (entry.getValue().isEnabled()) {
				declared.add(entry.getValue().toSchedule(entry.getKey()));
			}
			else if (this.orchestrator.unschedule(entry.getKey())) {
				logger.info("Removed schedule '{}': orchwf.schedules.{}.enabled is false", entry.getKey(),
						entry.getKey());
			}
		}
		this.beans.orderedStream().forEach(declared::add);
		declared.forEach(this.orchestrator::schedule);
		if (!declared.isEmpty()) {
			logger.info("Declared {} schedule(s): {}", declared.size(), declared);
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		// just before the orchestrator launches
		return OrchestratorLifecycle.PHASE - 1;
	}

}
