package io.orchwf.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.orchwf.store.ConcurrencySlots;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.WorkflowKey;

import static io.orchwf.store.jdbc.JdbcValues.setInstant;

/**
 * The claims of instances queued for a slot of their workflow's concurrency limits. In
 * the claim's transaction, for each limited workflow: its row in the workflow locks table
 * is locked (so that two nodes never count the same free slot), its started unfinished
 * instances are counted by key, and its queued instances are taken highest priority
 * first, then oldest, while the counts leave room, one batch's picks counted as they are
 * taken. The rows taken stay locked by this transaction until the caller leases them.
 * Which instances wait for a slot is {@code %WAITS_FOR_SLOT%} (see {@link Sql}); the
 * other claims leave them alone.
 */
final class QueuedClaims {

	/** The most queued instances one claim looks at per workflow. */
	private static final int MAX_CANDIDATES = 1_000;

	private static final String LOCK = """
			SELECT workflow_id FROM %PREFIX%workflow_locks WHERE workflow_id = ? FOR UPDATE
			""";

	private static final String COUNT_SLOTS = """
			SELECT concurrency_key, COUNT(*) FROM %PREFIX%instances
			WHERE workflow_id = ? AND (max_concurrency > 0 OR max_per_key > 0)
				AND (status IN ('RUNNING', 'WAITING', 'COMPENSATING') OR (status = 'PENDING' AND lease_owner IS NOT NULL))
			GROUP BY concurrency_key
			""";

	private static final String SELECT_QUEUED = "%CLAIM_SELECT% WHERE i.workflow_id = ? AND %WAITS_FOR_SLOT%"
			+ " AND i.wake_at <= ? AND i.workflow_version IN (%IN%)"
			+ " ORDER BY i.priority DESC, i.created_at, i.id FETCH FIRST ? ROWS ONLY FOR UPDATE SKIP LOCKED";

	private final String insertLock;

	private final String lock;

	private final String countSlots;

	private final Sql.Listed selectQueued;

	QueuedClaims(Sql sql) {
		this.insertLock = sql.of((sql.dialect() == Dialect.POSTGRESQL)
				? "INSERT INTO %PREFIX%workflow_locks (workflow_id) VALUES (?) ON CONFLICT DO NOTHING"
				: "MERGE INTO %PREFIX%workflow_locks (workflow_id) KEY (workflow_id) VALUES (?)");
		this.lock = sql.of(LOCK);
		this.countSlots = sql.of(COUNT_SLOTS);
		this.selectQueued = sql.listed(SELECT_QUEUED, Sql.Token.IN, "?");
	}

	/**
	 * Select, and lock, the queued instances of some workflow versions that their limits
	 * let start now.
	 * @param limit the most to take
	 * @return the instances to lease, in the order they got their slots
	 */
	List<InstanceRecord> select(Connection connection, Collection<WorkflowKey> workflows, Instant now, int limit)
			throws SQLException {
		Map<String, List<String>> versions = new LinkedHashMap<>();
		workflows
			.forEach((key) -> versions.computeIfAbsent(key.workflowId(), (id) -> new ArrayList<>()).add(key.version()));
		List<InstanceRecord> taken = new ArrayList<>();
		for (Map.Entry<String, List<String>> workflow : versions.entrySet()) {
			if (taken.size() >= limit) {
				break;
			}
			List<InstanceRecord> queued = queued(connection, workflow.getKey(), workflow.getValue(), now);
			if (!queued.isEmpty()) {
				lock(connection, workflow.getKey());
				taken.addAll(withSlots(queued, slots(connection, workflow.getKey()), limit - taken.size()));
			}
		}
		return taken;
	}

	private List<InstanceRecord> queued(Connection connection, String workflowId, List<String> versions, Instant now)
			throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.selectQueued.of(versions.size()))) {
			int i = 0;
			statement.setString(++i, workflowId);
			setInstant(statement, ++i, now);
			for (String version : versions) {
				statement.setString(++i, version);
			}
			statement.setInt(++i, MAX_CANDIDATES);
			return JdbcValues.rows(statement, JdbcValues::instance);
		}
	}

	private void lock(Connection connection, String workflowId) throws SQLException {
		try (PreparedStatement insert = connection.prepareStatement(this.insertLock)) {
			insert.setString(1, workflowId);
			insert.executeUpdate();
		}
		try (PreparedStatement lock = connection.prepareStatement(this.lock)) {
			lock.setString(1, workflowId);
			lock.executeQuery().close();
		}
	}

	/** The started unfinished instances of a workflow, by key. */
	private ConcurrencySlots slots(Connection connection, String workflowId) throws SQLException {
		ConcurrencySlots slots = new ConcurrencySlots();
		try (PreparedStatement statement = connection.prepareStatement(this.countSlots)) {
			statement.setString(1, workflowId);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					slots.held(rows.getString(1), rows.getInt(2));
				}
			}
		}
		return slots;
	}

	private static List<InstanceRecord> withSlots(List<InstanceRecord> queued, ConcurrencySlots slots, int limit) {
		List<InstanceRecord> taken = new ArrayList<>();
		for (InstanceRecord instance : queued) {
			if (taken.size() >= limit) {
				break;
			}
			if (slots.take(instance.flow())) {
				taken.add(instance);
			}
		}
		return taken;
	}

}
