package io.orchwf.spring.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.orchwf.Orchestrator;

/**
 * Binds the gauges that read this node's orchestrator: {@value #WORKFLOWS_ACTIVE} (the
 * instances it drives, see {@link Orchestrator#activeInstances()}) and
 * {@value #WORKERS_BUSY} (the step attempts it runs, see
 * {@link Orchestrator#busyWorkers()}).
 *
 * <p>
 * It is a binder rather than part of {@link OrchwfMetricsListener} because the
 * orchestrator collects the listeners when it is created: a listener that needed the
 * orchestrator would depend on itself.
 */
public class OrchwfMeterBinder implements MeterBinder {

	/** Name of the gauge of the instances this node drives. */
	public static final String WORKFLOWS_ACTIVE = "orchwf.workflows.active";

	/** Name of the gauge of the step attempts this node runs. */
	public static final String WORKERS_BUSY = "orchwf.workers.busy";

	private final Orchestrator orchestrator;

	/**
	 * Create a binder for the given orchestrator.
	 * @param orchestrator the orchestrator to read
	 */
	public OrchwfMeterBinder(Orchestrator orchestrator) {
		this.orchestrator = orchestrator;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder(WORKFLOWS_ACTIVE, this.orchestrator, Orchestrator::activeInstances)
			.description("Workflow instances this node drives (running or compensating)")
			.register(registry);
		Gauge.builder(WORKERS_BUSY, this.orchestrator, Orchestrator::busyWorkers)
			.description("Step attempts this node runs")
			.register(registry);
	}

}
