package io.orchwf.internal.engine.run;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A run as the node that registered it sees it when it ends: which instance it drove, and
 * when that instance wants to be looked at again. The node compares it by identity, since
 * a newer run of the same instance may have replaced it meanwhile.
 */
public interface DrivenRun {

	/**
	 * The instance the run drives.
	 * @return its id
	 */
	String instanceId();

	/**
	 * When the instance wants to be looked at again, once the run parked it.
	 * @return the time, or {@code null} if nothing is due
	 */
	@Nullable Instant wakeAt();

}
