package io.orchwf.spring.autoconfigure;

import io.orchwf.Orchestrator;

import org.springframework.context.SmartLifecycle;

/**
 * Launches the orchestrator once the context is refreshed (every workflow registered) and
 * closes it on shutdown, letting running steps finish within
 * {@code orchwf.shutdown.await-termination}. It starts before the web server and stops
 * after it, so that requests can start workflows for as long as they are served.
 */
class OrchestratorLifecycle implements SmartLifecycle {

	/** Below the web server's phases (start and graceful shutdown). */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final Orchestrator orchestrator;

	private volatile boolean running;

	OrchestratorLifecycle(Orchestrator orchestrator) {
		this.orchestrator = orchestrator;
	}

	@Override
	public void start() {
		this.orchestrator.launch();
		this.running = true;
	}

	@Override
	public void stop() {
		this.orchestrator.close();
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
