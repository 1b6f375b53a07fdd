package io.orchwf.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.orchwf.store.InstanceRecord;
import io.orchwf.store.LeaseRenewal;
import io.orchwf.store.WorkflowKey;

import static io.orchwf.store.jdbc.JdbcValues.setInstant;

/**
 * Leases: claiming due and orphaned instances with {@code FOR UPDATE SKIP LOCKED} (so
 * that nodes polling at once never block on, or take, each other's rows), renewing and
 * releasing leases, and cancellation requests.
 */
final class LeaseManager {

	/** Ids bound per statement when a list of instances is renewed or released. */
	private static final int CHUNK = 500;

	private static final String SELECT_EXPIRED = """
			SELECT %COLUMNS% FROM %PREFIX%instances
			WHERE lease_owner IS NOT NULL AND lease_expires_at < ?
				AND status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')
				AND (workflow_id, workflow_version) IN (%IN%)
			ORDER BY lease_expires_at
			FETCH FIRST ? ROWS ONLY
			FOR UPDATE SKIP LOCKED
			""";

	private static final String SELECT_DUE = """
			SELECT %COLUMNS% FROM %PREFIX%instances
			WHERE lease_owner IS NULL AND wake_at <= ?
				AND status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')
				AND (workflow_id, workflow_version) IN (%IN%)
			ORDER BY wake_at
			FETCH FIRST ? ROWS ONLY
			FOR UPDATE SKIP LOCKED
			""";

	private static final String SELECT_CLAIMABLE = """
			SELECT %COLUMNS% FROM %PREFIX%instances
			WHERE id = ? AND (lease_owner IS NULL OR lease_expires_at < ?)
			FOR UPDATE SKIP LOCKED
			""";

	private static final String LEASE = """
			UPDATE %PREFIX%instances
			SET lease_owner = ?, lease_expires_at = ?, fence = fence + 1, updated_at = ?
			WHERE id = ?
			""";

	private static final String RENEW = """
			UPDATE %PREFIX%instances SET lease_expires_at = ?
			WHERE lease_owner = ? AND id IN (%IN%)
			""";

	private static final String SELECT_HELD = """
			SELECT id, cancel_reason FROM %PREFIX%instances
			WHERE lease_owner = ? AND id IN (%IN%)
			""";

	private static final String RELEASE = """
			UPDATE %PREFIX%instances
			SET lease_owner = NULL, lease_expires_at = NULL, fence = fence + 1, updated_at = ?,
				wake_at = CASE WHEN status IN ('COMPLETED', 'FAILED', 'CANCELLED') THEN wake_at ELSE ? END
			WHERE lease_owner = ? AND id IN (%IN%)
			""";

	private static final String REQUEST_CANCEL = """
			UPDATE %PREFIX%instances
			SET cancel_reason = ?, updated_at = ?,
				wake_at = CASE WHEN lease_owner IS NULL OR lease_expires_at < ? THEN ? ELSE wake_at END
			WHERE id = ? AND status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')
			""";

	private final Sql sql;

	private final String selectClaimable;

	private final String lease;

	private final String requestCancel;

	LeaseManager(Sql sql) {
		this.sql = sql;
		this.selectClaimable = columns(sql.of(SELECT_CLAIMABLE));
		this.lease = sql.of(LEASE);
		this.requestCancel = sql.of(REQUEST_CANCEL);
	}

	private static String columns(String statement) {
		return statement.replace("%COLUMNS%", JdbcValues.INSTANCE_COLUMNS);
	}

	List<InstanceRecord> claimDue(Connection connection, String nodeId, Collection<WorkflowKey> workflows, Instant now,
			Instant leaseExpiresAt, int limit) throws SQLException {
		if (workflows.isEmpty() || limit <= 0) {
			return List.of();
		}
		List<InstanceRecord> candidates = new ArrayList<>();
		// orphans of lost nodes first: their work was interrupted and is the most overdue
		candidates.addAll(select(connection, SELECT_EXPIRED, workflows, now, limit));
		if (candidates.size() < limit) {
			candidates.addAll(select(connection, SELECT_DUE, workflows, now, limit - candidates.size()));
		}
		return lease(connection, candidates, nodeId, now, leaseExpiresAt);
	}

	private List<InstanceRecord> select(Connection connection, String template, Collection<WorkflowKey> workflows,
			Instant now, int limit) throws SQLException {
		String statementSql = columns(this.sql.of(template, workflows.size(), "(?, ?)"));
		try (PreparedStatement statement = connection.prepareStatement(statementSql)) {
			int i = 0;
			setInstant(statement, ++i, now);
			for (WorkflowKey workflow : workflows) {
				statement.setString(++i, workflow.workflowId());
				statement.setString(++i, workflow.version());
			}
			statement.setInt(++i, limit);
			return records(statement);
		}
	}

	private static List<InstanceRecord> records(PreparedStatement statement) throws SQLException {
		List<InstanceRecord> records = new ArrayList<>();
		try (ResultSet rows = statement.executeQuery()) {
			while (rows.next()) {
				records.add(JdbcValues.instance(rows));
			}
		}
		return records;
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
				setInstant(statement, 2, leaseExpiresAt);
				setInstant(statement, 3, now);
				statement.setString(4, candidate.id());
				statement.addBatch();
				claimed.add(candidate.leasedTo(nodeId, leaseExpiresAt));
			}
			statement.executeBatch();
		}
		return claimed;
	}

	Optional<InstanceRecord> claim(Connection connection, String instanceId, String nodeId, Instant now,
			Instant leaseExpiresAt) throws SQLException {
		List<InstanceRecord> candidates;
		try (PreparedStatement statement = connection.prepareStatement(this.selectClaimable)) {
			statement.setString(1, instanceId);
			setInstant(statement, 2, now);
			candidates = records(statement);
		}
		return lease(connection, candidates, nodeId, now, leaseExpiresAt).stream().findFirst();
	}

	LeaseRenewal renew(Connection connection, String nodeId, Collection<String> instanceIds, Instant leaseExpiresAt)
			throws SQLException {
		List<String> ids = instanceIds.stream().sorted().toList();
		Set<String> held = new HashSet<>();
		Map<String, String> cancelRequests = new HashMap<>();
		for (int from = 0; from < ids.size(); from += CHUNK) {
			List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
			try (PreparedStatement statement = connection.prepareStatement(this.sql.of(RENEW, chunk.size(), "?"))) {
				setInstant(statement, 1, leaseExpiresAt);
				statement.setString(2, nodeId);
				bindIds(statement, 3, chunk);
				statement.executeUpdate();
			}
			try (PreparedStatement statement = connection
				.prepareStatement(this.sql.of(SELECT_HELD, chunk.size(), "?"))) {
				statement.setString(1, nodeId);
				bindIds(statement, 2, chunk);
				try (ResultSet rows = statement.executeQuery()) {
					while (rows.next()) {
						held.add(rows.getString(1));
						String reason = rows.getString(2);
						if (reason != null) {
							cancelRequests.put(rows.getString(1), reason);
						}
					}
				}
			}
		}
		Set<String> lost = new HashSet<>(ids);
		lost.removeAll(held);
		return new LeaseRenewal(lost, cancelRequests);
	}

	void release(Connection connection, String nodeId, Collection<String> instanceIds, Instant now)
			throws SQLException {
		List<String> ids = instanceIds.stream().sorted().toList();
		for (int from = 0; from < ids.size(); from += CHUNK) {
			List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
			try (PreparedStatement statement = connection.prepareStatement(this.sql.of(RELEASE, chunk.size(), "?"))) {
				setInstant(statement, 1, now);
				setInstant(statement, 2, now);
				statement.setString(3, nodeId);
				bindIds(statement, 4, chunk);
				statement.executeUpdate();
			}
		}
	}

	boolean requestCancel(Connection connection, String instanceId, String reason, Instant now) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.requestCancel)) {
			statement.setString(1, reason);
			setInstant(statement, 2, now);
			setInstant(statement, 3, now);
			setInstant(statement, 4, now);
			statement.setString(5, instanceId);
			return statement.executeUpdate() > 0;
		}
	}

	private static void bindIds(PreparedStatement statement, int first, List<String> ids) throws SQLException {
		int i = first;
		for (String id : ids) {
			statement.setString(i++, id);
		}
	}

}
