package io.orchwf.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.orchwf.store.WorkNotice;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one connection on which a store listens to its {@link NoticeChannel}, and the
 * thread that hands what it hears to the store's listeners. After a fault it connects
 * again, with pauses that grow to a limit, and then tells the listeners that notices may
 * have been missed; polling covers the gap.
 *
 * <p>
 * The connection comes from the store's {@code DataSource} and is held for as long as
 * anyone listens: a connection pool gives up one connection for it.
 */
final class NoticeListening {

	private static final Logger logger = LoggerFactory.getLogger(NoticeListening.class);

	/** How long one wait for notifications lasts before the thread looks at its flag. */
	private static final int WAIT_MILLIS = 500;

	private static final Duration FIRST_RETRY = Duration.ofMillis(200);

	private static final Duration LAST_RETRY = Duration.ofSeconds(10);

	private final DataSource dataSource;

	private final String channel;

	private final List<WorkNotice.Listener> listeners = new CopyOnWriteArrayList<>();

	/** The listening thread; a thread that is no longer this one stops. */
	private volatile @Nullable Thread thread;

	NoticeListening(DataSource dataSource, String channel) {
		this.dataSource = dataSource;
		this.channel = channel;
	}

	/**
	 * Add a listener, starting to listen with the first.
	 */
	synchronized WorkNotice.Subscription add(WorkNotice.Listener listener) {
		this.listeners.add(listener);
		if (this.thread == null) {
			Thread started = new Thread(this::listen, "orchwf-notices");
			started.setDaemon(true);
			this.thread = started;
			started.start();
		}
		return () -> remove(listener);
	}

	private synchronized void remove(WorkNotice.Listener listener) {
		this.listeners.remove(listener);
		Thread listening = this.thread;
		if (this.listeners.isEmpty() && listening != null) {
			this.thread = null;
			listening.interrupt();
		}
	}

	private void listen() {
		Duration retry = FIRST_RETRY;
		boolean first = true;
		while (listening()) {
			try (Connection connection = this.dataSource.getConnection()) {
				connection.setAutoCommit(true);
				try (Statement statement = connection.createStatement()) {
					statement.execute("LISTEN \"" + this.channel + "\"");
				}
				PGConnection notifications = connection.unwrap(PGConnection.class);
				if (!first) {
					logger.info("Listening to notices on channel '{}' again", this.channel);
					deliver(WorkNotice.missed());
				}
				first = false;
				retry = FIRST_RETRY;
				while (listening()) {
					PGNotification[] received = notifications.getNotifications(WAIT_MILLIS);
					if (received != null) {
						for (PGNotification notification : received) {
							WorkNotice notice = NoticeChannel.parse(notification.getParameter());
							if (notice != null) {
								deliver(notice);
							}
						}
					}
				}
			}
			catch (SQLException | RuntimeException ex) {
				if (!listening()) {
					return;
				}
				logger.warn("Listening to notices on channel '{}' failed; polling covers for it, trying again in {}",
						this.channel, retry, ex);
				first = false;
				try {
					Thread.sleep(retry.toMillis());
				}
				catch (InterruptedException interrupted) {
					return;
				}
				retry = (retry.compareTo(LAST_RETRY.dividedBy(2)) < 0) ? retry.multipliedBy(2) : LAST_RETRY;
			}
		}
	}

	private boolean listening() {
		return this.thread == Thread.currentThread();
	}

	private void deliver(WorkNotice notice) {
		for (WorkNotice.Listener listener : this.listeners) {
			try {
				listener.onNotice(notice);
			}
			catch (RuntimeException ex) {
				logger.warn("A listener of the store's notices failed on {}", notice, ex);
			}
		}
	}

}
