package io.orchwf.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A signal received by an instance.
 *
 * @param sequence the store's arrival order of the signal
 * @param name the signal name
 * @param payload the payload, JSON values
 * @param receivedAt when it arrived
 */
public record SignalRecord(long sequence, String name, Map<String, Object> payload, Instant receivedAt) {

	/**
	 * Create a signal.
	 * @param sequence the arrival order
	 * @param name the signal name
	 * @param payload the payload
	 * @param receivedAt when it arrived
	 */
	public SignalRecord {
		Objects.requireNonNull(name, "name");
		Objects.requireNonNull(payload, "payload");
		Objects.requireNonNull(receivedAt, "receivedAt");
	}

}
