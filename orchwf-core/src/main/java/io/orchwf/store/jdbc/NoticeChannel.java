package io.orchwf.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;

import io.orchwf.store.WorkNotice;
import org.jspecify.annotations.Nullable;

/**
 * The PostgreSQL channel on which the nodes of one store tell each other of work:
 * {@code NOTIFY} sent in the transaction that made the work, so that a notice goes out
 * only if, and once, the work is committed. The channel is named after the store's schema
 * and table prefix, so that stores in other schemas of the database hear nothing of it.
 *
 * <p>
 * A notice is {@code C} (claimable) or {@code H}, an instance id and the node holding it
 * (changed). The store cannot tell which of the nodes sharing it is the caller, so a
 * change goes to the holding node even when that node sent it; a node finds nothing new
 * then, at the cost of one look.
 */
final class NoticeChannel {

	/** PostgreSQL's longest identifier, which is a channel's name too. */
	private static final int MAX_NAME_LENGTH = 63;

	private static final String CLAIMABLE = "C";

	private static final String CHANGED = "H";

	private static final int INSTANCE_ID_LENGTH = 36;

	private static final String NOTIFY = "SELECT pg_notify(?, ?)";

	private final @Nullable String name;

	private NoticeChannel(@Nullable String name) {
		this.name = name;
	}

	/**
	 * No channel: a database without notifications.
	 * @return a channel that sends nothing
	 */
	static NoticeChannel none() {
		return new NoticeChannel(null);
	}

	/**
	 * The channel of a store on PostgreSQL.
	 * @param connection a connection to the store's database, to read its schema
	 * @param tablePrefix the store's table prefix, which may name a schema
	 * @return the channel
	 */
	static NoticeChannel of(Connection connection, String tablePrefix) throws SQLException {
		String qualified = tablePrefix;
		if (tablePrefix.indexOf('.') < 0) {
			try (PreparedStatement statement = connection.prepareStatement("SELECT current_schema()");
					ResultSet row = statement.executeQuery()) {
				String schema = row.next() ? row.getString(1) : null;
				qualified = ((schema != null) ? schema + "." : "") + tablePrefix;
			}
		}
		return named(qualified.toLowerCase(Locale.ROOT) + "work");
	}

	/**
	 * A channel of a given name.
	 * @param name the name, shortened to PostgreSQL's limit if longer
	 * @return the channel
	 */
	static NoticeChannel named(String name) {
		return new NoticeChannel(name(name));
	}

	private static String name(String wanted) {
		if (wanted.length() <= MAX_NAME_LENGTH) {
			return wanted;
		}
		String hash = Integer.toHexString(wanted.hashCode());
		return wanted.substring(0, MAX_NAME_LENGTH - hash.length() - 1) + "_" + hash;
	}

	/**
	 * The channel's name.
	 * @return the name, or {@code null} if this channel sends nothing
	 */
	@Nullable String name() {
		return this.name;
	}

	/**
	 * Tell every node that instances have become claimable, once the connection's
	 * transaction commits.
	 */
	void claimable(Connection connection) throws SQLException {
		send(connection, CLAIMABLE);
	}

	/**
	 * Tell the node holding an instance that it received a signal or a cancellation
	 * request, once the connection's transaction commits; nothing if no node holds it.
	 * @param owner the instance's lease owner, or {@code null}
	 * @param instanceId the instance
	 */
	void changed(Connection connection, @Nullable String owner, String instanceId) throws SQLException {
		if (tellsOf(owner)) {
			send(connection, CHANGED + instanceId + Objects.requireNonNull(owner));
		}
	}

	/**
	 * Whether {@link #changed} sends anything for an instance held by a node.
	 * @param owner the instance's lease owner, or {@code null}
	 * @return {@code true} if this channel sends notices and a node holds it
	 */
	boolean tellsOf(@Nullable String owner) {
		return this.name != null && owner != null;
	}

	private void send(Connection connection, String payload) throws SQLException {
		if (this.name == null) {
			return;
		}
		try (PreparedStatement statement = connection.prepareStatement(NOTIFY)) {
			statement.setString(1, this.name);
			statement.setString(2, payload);
			statement.execute();
		}
	}

	/**
	 * Read a notice off the channel.
	 * @param payload what was sent
	 * @return the notice, or {@code null} if it is none of this channel's
	 */
	static @Nullable WorkNotice parse(String payload) {
		if (CLAIMABLE.equals(payload)) {
			return WorkNotice.claimable();
		}
		if (payload.startsWith(CHANGED) && payload.length() > 1 + INSTANCE_ID_LENGTH) {
			return WorkNotice.changed(payload.substring(1 + INSTANCE_ID_LENGTH),
					payload.substring(1, 1 + INSTANCE_ID_LENGTH));
		}
		return null;
	}

}
