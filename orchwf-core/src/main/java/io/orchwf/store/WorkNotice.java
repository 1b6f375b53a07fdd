package io.orchwf.store;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A store's word to the nodes sharing it that there is work for one of them, sent once
 * the write that made the work commits (on PostgreSQL, a {@code NOTIFY}). Notices only
 * hasten what polling and heartbeats would find anyway: a store may lose them, and one
 * that sends none (see {@link StateStore#listen}) leaves nodes to their polling.
 *
 * @param kind what the work is
 * @param nodeId the node the notice is for, or {@code null} for any node
 * @param instanceId the instance concerned, or {@code null} for none in particular
 */
public record WorkNotice(Kind kind, @Nullable String nodeId, @Nullable String instanceId) {

	/**
	 * Create a notice.
	 * @param kind what the work is
	 * @param nodeId the node it is for, or {@code null} for any node
	 * @param instanceId the instance concerned, or {@code null}
	 */
	public WorkNotice {
		Objects.requireNonNull(kind, "kind");
	}

	/**
	 * A notice that instances have become claimable.
	 * @return the notice, for any node
	 */
	public static WorkNotice claimable() {
		return new WorkNotice(Kind.CLAIMABLE, null, null);
	}

	/**
	 * A notice to the node that holds an instance that it received a signal or a
	 * cancellation request.
	 * @param nodeId the node holding the instance's lease
	 * @param instanceId the instance
	 * @return the notice
	 */
	public static WorkNotice changed(String nodeId, String instanceId) {
		return new WorkNotice(Kind.CHANGED, Objects.requireNonNull(nodeId, "nodeId"),
				Objects.requireNonNull(instanceId, "instanceId"));
	}

	/**
	 * A notice that notices may have been lost (the store's listening connection was
	 * re-established).
	 * @return the notice, for any node
	 */
	public static WorkNotice missed() {
		return new WorkNotice(Kind.MISSED, null, null);
	}

	/**
	 * What the work is.
	 */
	public enum Kind {

		/**
		 * Instances have become claimable at once: a start that its node did not take, a
		 * lease handed back. Any node with room may claim due instances.
		 */
		CLAIMABLE,

		/**
		 * An instance a node holds received a signal or a cancellation request: that node
		 * should look at it again now rather than at its next heartbeat.
		 */
		CHANGED,

		/**
		 * Notices may have been lost: every node should claim due instances and look at
		 * the instances it holds again.
		 */
		MISSED

	}

	/**
	 * Receives the notices of a store. Called on the store's listening thread: it must
	 * return quickly and never call the store.
	 */
	@FunctionalInterface
	public interface Listener {

		/**
		 * Take a notice.
		 * @param notice the notice
		 */
		void onNotice(WorkNotice notice);

	}

	/**
	 * A listener's registration with a store.
	 */
	@FunctionalInterface
	public interface Subscription extends AutoCloseable {

		/** A subscription to a store that sends no notices. */
		Subscription NONE = () -> {
		};

		/**
		 * Stop delivering notices to the listener.
		 */
		@Override
		void close();

	}

}
