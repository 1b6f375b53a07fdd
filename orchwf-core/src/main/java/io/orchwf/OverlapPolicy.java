package io.orchwf;

/**
 * What a {@link Schedule}'s tick does while the instance its previous tick started has
 * not finished.
 */
public enum OverlapPolicy {

	/**
	 * Start nothing at this tick; the next tick looks again. The default: a report that
	 * runs longer than its interval is not started twice.
	 */
	SKIP,

	/**
	 * Start an instance at every tick, whatever the previous ones are doing.
	 */
	ALLOW

}
