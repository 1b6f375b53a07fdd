package io.orchwf;

import java.time.Duration;

/**
 * The defaults of {@link Orchestrator.Builder}, in one place so that configuration layers
 * (such as the Spring Boot properties) share them rather than repeat them.
 */
public final class OrchestratorDefaults {

	/** Size of the async worker pool. */
	public static final int WORKERS = 16;

	/** How many instances one node drives at once. */
	public static final int MAX_ACTIVE_INSTANCES = 256;

	/** How long a node's lease on an instance lasts without renewal. */
	public static final Duration LEASE_DURATION = Duration.ofSeconds(30);

	/**
	 * How often a node renews the leases of the instances it drives, with the default
	 * lease: {@link #heartbeatInterval(Duration) a third} of {@link #LEASE_DURATION}.
	 */
	public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(10);

	/** How often a node looks for claimable work. */
	public static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

	/** The bound of each step attempt, for steps that set none. */
	public static final Duration STEP_TIMEOUT = Duration.ofMinutes(5);

	/** How long {@code close()} lets running steps finish. */
	public static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * The heartbeat interval of a node whose interval is not set: a third of its lease,
	 * so that a lease survives two missed renewals, and setting the lease alone is always
	 * valid.
	 * @param leaseDuration the lease duration
	 * @return a third of it
	 */
	public static Duration heartbeatInterval(Duration leaseDuration) {
		return leaseDuration.dividedBy(3);
	}

	/**
	 * The retry policy of steps that set none: a single attempt, as in the Go package.
	 * @return {@link RetryPolicy#none()}
	 */
	public static RetryPolicy retryPolicy() {
		return RetryPolicy.none();
	}

	private OrchestratorDefaults() {
	}

}
