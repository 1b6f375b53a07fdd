package io.orchwf.internal.engine.statemachine;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.orchwf.store.InstanceUpdate;
import io.orchwf.store.SignalRecord;
import org.jspecify.annotations.Nullable;

/**
 * The signals an instance has received, as far as its run knows them, for the steps that
 * wait for signals: a signal wait, or a child workflow whose end arrives as a signal.
 * Guarded by the owning run.
 *
 * <p>
 * Signals are never marked consumed in the store. A signal wait consumes the signal of
 * its name whose position among the signals of that name equals the number of waits for
 * that name that completed before it, so the assignment is the same on every node and
 * after every recovery.
 */
public final class SignalBox {

	private final boolean tracked;

	private List<SignalRecord> received;

	/**
	 * Create a box.
	 * @param tracked whether the instance has steps that wait for signals; if not, the
	 * run ignores signal counts
	 * @param received the signals received so far, in arrival order
	 */
	public SignalBox(boolean tracked, List<SignalRecord> received) {
		this.tracked = tracked;
		this.received = List.copyOf(received);
	}

	/**
	 * How many signals the run has taken into account, for the store to compare with when
	 * the instance parks.
	 * @return the count, or {@link InstanceUpdate#SIGNALS_IGNORED}
	 */
	long seen() {
		return this.tracked ? this.received.size() : InstanceUpdate.SIGNALS_IGNORED;
	}

	boolean isTracked() {
		return this.tracked;
	}

	/**
	 * Take a newer read of the signals.
	 * @param signals every signal received, in arrival order
	 * @return {@code true} if it holds signals the box did not know
	 */
	boolean update(List<SignalRecord> signals) {
		if (signals.size() <= this.received.size()) {
			return false;
		}
		this.received = List.copyOf(signals);
		return true;
	}

	/**
	 * The signal of a name at a position among the signals of that name.
	 * @param name the signal name
	 * @param position 0 for the first of that name
	 * @return the signal, or {@code null} if fewer have arrived
	 */
	@Nullable SignalRecord nth(String name, int position) {
		int seen = 0;
		for (SignalRecord signal : this.received) {
			if (signal.name().equals(name) && seen++ == position) {
				return signal;
			}
		}
		return null;
	}

	/**
	 * The first signal of a name whose payload matches.
	 * @param name the signal name
	 * @param payload the condition on the payload
	 * @return the signal, or {@code null} if none has arrived
	 */
	@Nullable SignalRecord first(String name, Predicate<Map<String, Object>> payload) {
		for (SignalRecord signal : this.received) {
			if (signal.name().equals(name) && payload.test(signal.payload())) {
				return signal;
			}
		}
		return null;
	}

}
