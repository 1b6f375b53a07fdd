package io.orchwf.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.orchwf.store.InstanceRecord;
import io.orchwf.store.LeaseRenewal;
import io.orchwf.store.WorkflowKey;

import static io.orchwf.store.jdbc.JdbcValues.setId;
import static io.orchwf.store.jdbc.JdbcValues.setInstant;

/**
 * Leases: claiming due and orphaned instances with {@code FOR UPDATE SKIP LOCKED} (so
 * that nodes polling at once never block on, or take, each other's rows), renewing and
 * releasing leases, and cancellation requests.
 *
 * <p>
 * A lease belongs to a node, not to an instance: an instance names its owner, and the
 * owner's row in the nodes table says until when the owner is trusted. A heartbeat
 * therefore writes one row however many instances the node drives, and never locks an
 * instance row that a transition may be writing. An instance whose owner's row expired,
 * or has none, is an orphan any node may claim.
 */
final class LeaseManager {

	/** Ids bound per statement when a list of instances is renewed or released. */
	private static final int CHUNK = 500;

	private static final String SELECT_ORPHANED = """
			%CLAIM_SELECT%
			WHERE i.lease_owner IS NOT NULL AND %OWNER_LOST%
				AND i.status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')
				AND (i.workflow_id, i.workflow_version) IN (%IN%)
			FETCH FIRST ? ROWS ONLY
			FOR UPDATE SKIP LOCKED
			""";

	// one workflow version per statement, so that the due index delivers the rows in
	// wake-up order however large the backlog
	private static final String SELECT_DUE = """
			%CLAIM_SELECT%
			WHERE i.workflow_id = ? AND i.workflow_version = ? AND i.lease_owner IS NULL AND i.wake_at <= ?
				AND i.status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED') AND NOT %WAITS_FOR_SLOT%
			ORDER BY i.wake_at
			FETCH FIRST ? ROWS ONLY
			FOR UPDATE SKIP LOCKED
			""";

	private static final String SELECT_CLAIMABLE = """
			%CLAIM_SELECT%
			WHERE i.id = ? AND (i.lease_owner IS NULL OR %OWNER_LOST%)
				AND (? OR i.status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')) AND NOT %WAITS_FOR_SLOT%
			FOR UPDATE SKIP LOCKED
			""";

	private static final String SELECT_ALL_CLAIMABLE = """
			%CLAIM_SELECT%
			WHERE i.id IN (%IN%) AND (i.lease_owner IS NULL OR %OWNER_LOST%)
				AND i.status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED') AND NOT %WAITS_FOR_SLOT%
			FOR UPDATE SKIP LOCKED
			""";

	private static final String LEASE = """
			UPDATE %PREFIX%instances SET lease_owner = ?, fence = fence + 1, updated_at = ? WHERE id = ?
			""";

	private static final String SELECT_OWNERS = """
			SELECT id, lease_owner, cancel_reason, signal_count FROM %PREFIX%instances WHERE id IN (%IN%)
			""";

	private static final String RELEASE = """
			UPDATE %PREFIX%instances
			SET lease_owner = NULL, fence = fence + 1, updated_at = ?,
				wake_at = CASE WHEN status IN ('COMPLETED', 'FAILED', 'CANCELLED') THEN wake_at ELSE ? END
			WHERE lease_owner = ? AND id IN (%IN%)
			""";

	private static final String REQUEST_CANCEL = """
			UPDATE %PREFIX%instances i
			SET cancel_reason = ?, updated_at = ?,
				wake_at = CASE WHEN i.lease_owner IS NULL OR %OWNER_LOST% THEN ? ELSE i.wake_at END
			WHERE i.id = ? AND i.status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')
			""";

	private static final String DELETE_LOST_NODES = """
			DELETE FROM %PREFIX%nodes n
			WHERE n.lease_expires_at < ?
				AND NOT EXISTS (SELECT 1 FROM %PREFIX%instances i WHERE i.lease_owner = n.node_id)
			""";

	private final String upsertNode;

	private final Sql.Listed selectOrphaned;

	private final String selectDue;

	private final String selectClaimable;

	private final Sql.Listed selectAllClaimable;

	private final String lease;

	private final Sql.Listed selectOwners;

	private final Sql.Listed release;

	private final String requestCancel;

	private final String deleteLostNodes;

	private final boolean cancelReturnsOwner;

	private final NoticeChannel notices;

	private final QueuedClaims queued;

	LeaseManager(Sql sql, NoticeChannel notices) {
		this.queued = new QueuedClaims(sql);
		this.notices = notices;
		this.cancelReturnsOwner = notices.name() != null;
		this.upsertNode = sql.of(sql.dialect().upsertNode());
		this.selectOrphaned = sql.listed(SELECT_ORPHANED, Sql.Token.IN, "(?, ?)");
		this.selectDue = sql.of(SELECT_DUE);
		this.selectClaimable = sql.of(SELECT_CLAIMABLE);
		this.lease = sql.of(LEASE);
		this.selectOwners = sql.listed(SELECT_OWNERS, Sql.Token.IN, "?");
		this.release = sql.listed(RELEASE, Sql.Token.IN, "?");
		this.requestCancel = sql
			.of(this.cancelReturnsOwner ? REQUEST_CANCEL + "RETURNING i.lease_owner" : REQUEST_CANCEL);
		this.selectAllClaimable = sql.listed(SELECT_ALL_CLAIMABLE, Sql.Token.IN, "?");
		this.deleteLostNodes = sql.of(DELETE_LOST_NODES);
	}

	/**
	 * Record that a node is alive until the given time, which extends every lease it
	 * holds.
	 */
	void registerNode(Connection connection, String nodeId, Instant expiresAt) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.upsertNode)) {
			statement.setString(1, nodeId);
			setInstant(statement, 2, expiresAt);
			statement.executeUpdate();
		}
	}

	/**
	 * Forget nodes that expired before the given time and own nothing, so that the nodes
	 * table does not grow with every restart of a node with a new id.
	 * @return how many were forgotten
	 */
	int forgetLostNodes(Connection connection, Instant expiredBefore) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.deleteLostNodes)) {
			setInstant(statement, 1, expiredBefore);
			return statement.executeUpdate();
		}
	}

	/**
	 * Claim due and orphaned instances.
	 * @param extendNode whether to extend the node's row to the new leases' end
	 */
	List<InstanceRecord> claimDue(Connection connection, String nodeId, boolean extendNode,
			Collection<WorkflowKey> workflows, Instant now, Instant leaseExpiresAt, int limit) throws SQLException {
		if (extendNode) {
			registerNode(connection, nodeId, leaseExpiresAt);
		}
		if (workflows.isEmpty() || limit <= 0) {
			return List.of();
		}
		// orphans of lost nodes first: their work was interrupted and is the most overdue
		List<InstanceRecord> candidates = new ArrayList<>(selectOrphaned(connection, workflows, now, limit));
		if (candidates.size() < limit) {
			candidates.addAll(selectDue(connection, workflows, now, limit - candidates.size()));
		}
		if (candidates.size() < limit) {
			candidates.addAll(this.queued.select(connection, workflows, now, limit - candidates.size()));
		}
		return lease(connection, candidates, nodeId, now, leaseExpiresAt);
	}

	private List<InstanceRecord> selectOrphaned(Connection connection, Collection<WorkflowKey> workflows, Instant now,
			int limit) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.selectOrphaned.of(workflows.size()))) {
			int i = 0;
			setInstant(statement, ++i, now);
			for (WorkflowKey workflow : workflows) {
				statement.setString(++i, workflow.workflowId());
				statement.setString(++i, workflow.version());
			}
			statement.setInt(++i, limit);
			return JdbcValues.rows(statement, JdbcValues::instance);
		}
	}

	private List<InstanceRecord> selectDue(Connection connection, Collection<WorkflowKey> workflows, Instant now,
			int limit) throws SQLException {
		List<InstanceRecord> due = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(this.selectDue)) {
			for (WorkflowKey workflow : workflows) {
				statement.setString(1, workflow.workflowId());
				statement.setString(2, workflow.version());
				setInstant(statement, 3, now);
				statement.setInt(4, limit);
				due.addAll(JdbcValues.rows(statement, JdbcValues::instance));
			}
		}
		if (workflows.size() == 1) {
			return due;
		}
		// the rows beyond the limit stay unclaimed; their locks go with this transaction
		due.sort(Comparator.comparing(InstanceRecord::wakeAt));
		return due.subList(0, Math.min(limit, due.size()));
	}

	private List<InstanceRecord> lease(Connection connection, List<InstanceRecord> candidates, String nodeId,
			Instant now, Instant leaseExpiresAt) throws SQLException {
		if (candidates.isEmpty()) {
			return List.of();
		}
		List<InstanceRecord> claimed = new ArrayList<>(candidates.size());
		try (PreparedStatement statement = connection.prepareStatement(this.lease)) {
			for (InstanceRecord candidate : candidates) {
				statement.setString(1, nodeId);
				setInstant(statement, 2, now);
				setId(statement, 3, candidate.id());
				statement.addBatch();
				claimed.add(candidate.leasedTo(nodeId, leaseExpiresAt));
			}
			statement.executeBatch();
		}
		return claimed;
	}

	/**
	 * Claim one instance if no live node holds it.
	 * @param extendNode whether to extend the node's row to the new lease's end
	 */
	Optional<InstanceRecord> claim(Connection connection, String instanceId, String nodeId, boolean extendNode,
			Instant now, Instant leaseExpiresAt, boolean finished) throws SQLException {
		if (extendNode) {
			registerNode(connection, nodeId, leaseExpiresAt);
		}
		List<InstanceRecord> candidates;
		try (PreparedStatement statement = connection.prepareStatement(this.selectClaimable)) {
			setId(statement, 1, instanceId);
			setInstant(statement, 2, now);
			statement.setBoolean(3, finished);
			candidates = JdbcValues.rows(statement, JdbcValues::instance);
		}
		return lease(connection, candidates, nodeId, now, leaseExpiresAt).stream().findFirst();
	}

	/**
	 * Claim the instances of a list that no live node holds, skipping those another
	 * transaction has locked.
	 * @param instanceIds ids of instances, all well-formed
	 * @param extendNode whether to extend the node's row to the new leases' end
	 */
	List<InstanceRecord> claimAll(Connection connection, Collection<String> instanceIds, String nodeId,
			boolean extendNode, Instant now, Instant leaseExpiresAt) throws SQLException {
		if (extendNode) {
			registerNode(connection, nodeId, leaseExpiresAt);
		}
		List<String> ids = List.copyOf(instanceIds);
		List<InstanceRecord> candidates = new ArrayList<>(ids.size());
		for (int from = 0; from < ids.size(); from += CHUNK) {
			List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
			try (PreparedStatement statement = connection.prepareStatement(this.selectAllClaimable.of(chunk.size()))) {
				setInstant(statement, 1 + chunk.size(), now);
				JdbcValues.setIds(statement, 1, chunk);
				candidates.addAll(JdbcValues.rows(statement, JdbcValues::instance));
			}
		}
		return lease(connection, candidates, nodeId, now, leaseExpiresAt);
	}

	/**
	 * Renew a node's leases: one write to its node row, then a read of who owns the
	 * instances it believes it drives. No instance row is locked.
	 * @param instanceIds ids of instances, all well-formed
	 */
	LeaseRenewal renew(Connection connection, String nodeId, Collection<String> instanceIds, Instant leaseExpiresAt)
			throws SQLException {
		registerNode(connection, nodeId, leaseExpiresAt);
		List<String> ids = List.copyOf(instanceIds);
		Set<String> held = new HashSet<>();
		Map<String, String> cancelRequests = new HashMap<>();
		Map<String, Long> signalCounts = new HashMap<>();
		for (int from = 0; from < ids.size(); from += CHUNK) {
			List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
			try (PreparedStatement statement = connection.prepareStatement(this.selectOwners.of(chunk.size()))) {
				JdbcValues.setIds(statement, 1, chunk);
				try (ResultSet rows = statement.executeQuery()) {
					while (rows.next()) {
						if (!nodeId.equals(rows.getString(2))) {
							continue;
						}
						String id = rows.getString(1);
						held.add(id);
						String reason = rows.getString(3);
						if (reason != null) {
							cancelRequests.put(id, reason);
						}
						long signals = rows.getLong(4);
						if (signals > 0) {
							signalCounts.put(id, signals);
						}
					}
				}
			}
		}
		Set<String> lost = new HashSet<>(ids);
		lost.removeAll(held);
		return new LeaseRenewal(lost, cancelRequests, signalCounts);
	}

	/**
	 * Hand leases back.
	 * @param instanceIds ids of instances, all well-formed
	 */
	void release(Connection connection, String nodeId, Collection<String> instanceIds, Instant now, Instant wakeAt)
			throws SQLException {
		// a stable order of row locks keeps concurrent writers from deadlocking
		List<String> ids = instanceIds.stream().sorted().toList();
		for (int from = 0; from < ids.size(); from += CHUNK) {
			List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
			try (PreparedStatement statement = connection.prepareStatement(this.release.of(chunk.size()))) {
				setInstant(statement, 1, now);
				setInstant(statement, 2, wakeAt);
				statement.setString(3, nodeId);
				JdbcValues.setIds(statement, 4, chunk);
				statement.executeUpdate();
			}
		}
		if (!wakeAt.isAfter(now)) {
			this.notices.claimable(connection);
		}
	}

	boolean requestCancel(Connection connection, String instanceId, String reason, Instant now) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.requestCancel)) {
			statement.setString(1, JdbcValues.text(reason));
			setInstant(statement, 2, now);
			setInstant(statement, 3, now);
			setInstant(statement, 4, now);
			setId(statement, 5, instanceId);
			if (!this.cancelReturnsOwner) {
				return statement.executeUpdate() > 0;
			}
			try (ResultSet row = statement.executeQuery()) {
				if (!row.next()) {
					return false;
				}
				this.notices.changed(connection, row.getString(1), instanceId);
				return true;
			}
		}
	}

}
