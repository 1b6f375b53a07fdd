package io.orchwf.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.orchwf.Page;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.store.ClaimedInstance;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.SignalRecord;
import io.orchwf.store.StepRecord;
import io.orchwf.store.StoredInstance;
import io.orchwf.store.WorkflowKey;
import org.jspecify.annotations.Nullable;

import static io.orchwf.store.jdbc.JdbcValues.setId;
import static io.orchwf.store.jdbc.JdbcValues.setInstant;

/**
 * The reads of the JDBC store: one instance with its steps, filtered pages, counts,
 * history and signals. List filters are a fixed set of columns, each bound as a
 * parameter.
 */
final class InstanceReader {

	private static final String SELECT_INSTANCE = """
			%INSTANCE_SELECT% WHERE i.id = ?
			""";

	private static final String SELECT_STEPS = """
			SELECT %STEP_COLUMNS% FROM %PREFIX%steps WHERE instance_id = ? ORDER BY position
			""";

	private static final String SELECT_STEP_CHANGES = """
			SELECT steps FROM %PREFIX%history WHERE instance_id = ? AND steps IS NOT NULL ORDER BY id
			""";

	private static final String COUNT_FILTERED = """
			SELECT COUNT(*) FROM %PREFIX%instances WHERE 1 = 1 %WHERE%
			""";

	private static final String SELECT_FILTERED = """
			%INSTANCE_SELECT% WHERE 1 = 1 %WHERE%
			ORDER BY i.created_at DESC, i.id DESC
			OFFSET ? ROWS FETCH NEXT ? ROWS ONLY
			""";

	private static final String COUNT_BY_STATUS = """
			SELECT status, COUNT(*) FROM %PREFIX%instances GROUP BY status
			""";

	private static final String COUNT_BY_STATUS_OF = """
			SELECT status, COUNT(*) FROM %PREFIX%instances WHERE workflow_id = ? GROUP BY status
			""";

	private static final String COUNT_UNFINISHED = """
			SELECT workflow_id, workflow_version, COUNT(*) FROM %PREFIX%instances
			WHERE status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')
			GROUP BY workflow_id, workflow_version
			""";

	private static final String COUNT_CLAIMABLE = """
			SELECT
				(SELECT COUNT(*) FROM %PREFIX%instances WHERE lease_owner IS NULL AND wake_at <= ?
					AND status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED'))
				+ (SELECT COUNT(*) FROM %PREFIX%instances i WHERE i.lease_owner IS NOT NULL
					AND NOT EXISTS (SELECT 1 FROM %PREFIX%nodes n
						WHERE n.node_id = i.lease_owner AND n.lease_expires_at >= ?)
					AND i.status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED'))
			""";

	private static final String SELECT_EARLIEST_WAKE_UP = """
			SELECT MIN(wake_at) AS wake_at FROM (
				SELECT MIN(wake_at) AS wake_at FROM %PREFIX%instances
				WHERE lease_owner IS NULL AND wake_at IS NOT NULL
					AND status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')
				UNION ALL
				SELECT MIN(next_fire_at) FROM %PREFIX%schedules) wake_ups
			""";

	private static final String SELECT_HISTORY = """
			SELECT h.instance_id, i.workflow_id, h.events
			FROM %PREFIX%history h JOIN %PREFIX%instances i ON i.id = h.instance_id
			WHERE h.instance_id = ?
			ORDER BY h.id
			""";

	private static final String SELECT_ALL_SIGNALS = """
			SELECT id, name, payload, received_at FROM %PREFIX%signals
			WHERE instance_id = ?
			ORDER BY id
			""";

	private static final String SELECT_SIGNALS = """
			SELECT id, name, payload, received_at FROM %PREFIX%signals
			WHERE instance_id = ? AND name = ?
			ORDER BY id
			""";

	private final String selectInstance;

	private final String selectSteps;

	private final RowsOfInstances stepsOf;

	private final String selectStepChanges;

	private final RowsOfInstances stepChangesOf;

	private final Sql.Spliced countFiltered;

	private final Sql.Spliced selectFiltered;

	private final String countByStatus;

	private final String countByStatusOf;

	private final String countUnfinished;

	private final String countClaimable;

	private final String selectEarliestWakeUp;

	/** Through the keys' own table, whose primary key finds the instance at once. */
	private final String idempotencyKeyCondition;

	private final String selectHistory;

	private final String selectSignals;

	private final String selectAllSignals;

	private final RowsOfInstances signalsOf;

	InstanceReader(Sql sql) {
		this.selectInstance = sql.of(SELECT_INSTANCE);
		this.selectSteps = sql.of(SELECT_STEPS);
		this.stepsOf = new RowsOfInstances(sql, "%STEP_COLUMNS%", "%PREFIX%steps", "", "instance_id, position");
		this.selectStepChanges = sql.of(SELECT_STEP_CHANGES);
		this.stepChangesOf = new RowsOfInstances(sql, "instance_id, id, steps", "%PREFIX%history",
				"AND steps IS NOT NULL", "instance_id, id");
		this.countFiltered = sql.spliced(COUNT_FILTERED, Sql.Token.WHERE);
		this.selectFiltered = sql.spliced(SELECT_FILTERED, Sql.Token.WHERE);
		this.countByStatus = sql.of(COUNT_BY_STATUS);
		this.countByStatusOf = sql.of(COUNT_BY_STATUS_OF);
		this.countUnfinished = sql.of(COUNT_UNFINISHED);
		this.countClaimable = sql.of(COUNT_CLAIMABLE);
		this.selectEarliestWakeUp = sql.of(SELECT_EARLIEST_WAKE_UP);
		this.idempotencyKeyCondition = sql
			.of(" AND id IN (SELECT instance_id FROM %PREFIX%idempotency_keys WHERE idempotency_key = ?)");
		this.selectHistory = sql.of(SELECT_HISTORY);
		this.selectSignals = sql.of(SELECT_SIGNALS);
		this.selectAllSignals = sql.of(SELECT_ALL_SIGNALS);
		this.signalsOf = new RowsOfInstances(sql, "instance_id, id, name, payload, received_at", "%PREFIX%signals", "",
				"instance_id, id");
	}

	/**
	 * Read an instance's row alone, without its steps.
	 */
	Optional<InstanceRecord> loadInstance(Connection connection, String instanceId) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.selectInstance)) {
			setId(statement, 1, instanceId);
			try (ResultSet row = statement.executeQuery()) {
				return row.next() ? Optional.of(JdbcValues.instance(row)) : Optional.empty();
			}
		}
	}

	Optional<StoredInstance> load(Connection connection, String instanceId) throws SQLException {
		Optional<InstanceRecord> found = loadInstance(connection, instanceId);
		if (found.isEmpty()) {
			return Optional.empty();
		}
		InstanceRecord instance = found.get();
		List<StepRecord> created;
		try (PreparedStatement statement = connection.prepareStatement(this.selectSteps)) {
			setId(statement, 1, instanceId);
			created = JdbcValues.rows(statement, JdbcValues::step);
		}
		Map<String, StepRecord> rows = StepChanges.byId(created);
		Map<String, StepRecord> steps = StepChanges.byId(created);
		try (PreparedStatement statement = connection.prepareStatement(this.selectStepChanges)) {
			setId(statement, 1, instanceId);
			try (ResultSet changes = statement.executeQuery()) {
				while (changes.next()) {
					StepChanges.applyTo(changes.getString("steps"), steps, rows, instanceId);
				}
			}
		}
		return Optional.of(new StoredInstance(instance, StepChanges.steps(steps)));
	}

	Page<StoredInstance> list(Connection connection, WorkflowFilter filter, int limit, int offset) throws SQLException {
		Filter where = Filter.of(filter, this.idempotencyKeyCondition);
		long total;
		try (PreparedStatement statement = connection.prepareStatement(this.countFiltered.with(where.sql))) {
			where.bind(statement, 1);
			try (ResultSet row = statement.executeQuery()) {
				row.next();
				total = row.getLong(1);
			}
		}
		List<InstanceRecord> instances;
		try (PreparedStatement statement = connection.prepareStatement(this.selectFiltered.with(where.sql))) {
			int next = where.bind(statement, 1);
			statement.setInt(next, offset);
			statement.setInt(next + 1, limit);
			instances = JdbcValues.rows(statement, JdbcValues::instance);
		}
		Map<String, List<StepRecord>> steps = stepsOf(connection, instances);
		List<StoredInstance> items = new ArrayList<>(instances.size());
		for (InstanceRecord instance : instances) {
			items.add(new StoredInstance(instance, steps.getOrDefault(instance.id(), List.of())));
		}
		return new Page<>(items, total, limit, offset);
	}

	/**
	 * Read the steps and signals of instances just claimed, in the claim's transaction.
	 */
	List<ClaimedInstance> withStepsAndSignals(Connection connection, List<InstanceRecord> claimed) throws SQLException {
		if (claimed.isEmpty()) {
			return List.of();
		}
		Map<String, List<StepRecord>> steps = stepsOf(connection, claimed);
		Map<String, List<SignalRecord>> signals;
		try (PreparedStatement statement = this.signalsOf.prepare(connection, claimed, InstanceRecord::id)) {
			signals = byInstance(statement, JdbcValues::signal);
		}
		List<ClaimedInstance> result = new ArrayList<>(claimed.size());
		for (InstanceRecord instance : claimed) {
			result.add(new ClaimedInstance(instance, steps.getOrDefault(instance.id(), List.of()),
					signals.getOrDefault(instance.id(), List.of())));
		}
		return result;
	}

	/**
	 * The steps of instances: their rows, then the changes in their history, in its order
	 * (see {@link StepChanges}).
	 */
	private Map<String, List<StepRecord>> stepsOf(Connection connection, List<InstanceRecord> instances)
			throws SQLException {
		if (instances.isEmpty()) {
			return new HashMap<>();
		}
		Map<String, List<StepRecord>> created;
		try (PreparedStatement statement = this.stepsOf.prepare(connection, instances, InstanceRecord::id)) {
			created = byInstance(statement, JdbcValues::step);
		}
		Map<String, Map<String, StepRecord>> rows = new HashMap<>();
		Map<String, Map<String, StepRecord>> steps = new HashMap<>();
		created.forEach((instanceId, itsSteps) -> {
			rows.put(instanceId, StepChanges.byId(itsSteps));
			steps.put(instanceId, StepChanges.byId(itsSteps));
		});
		try (PreparedStatement statement = this.stepChangesOf.prepare(connection, instances, InstanceRecord::id)) {
			try (ResultSet changes = statement.executeQuery()) {
				while (changes.next()) {
					String instanceId = changes.getString("instance_id");
					Map<String, StepRecord> itsSteps = steps.get(instanceId);
					if (itsSteps != null) {
						StepChanges.applyTo(changes.getString("steps"), itsSteps, rows.get(instanceId), instanceId);
					}
				}
			}
		}
		Map<String, List<StepRecord>> result = new HashMap<>();
		steps.forEach((instanceId, itsSteps) -> result.put(instanceId, StepChanges.steps(itsSteps)));
		return result;
	}

	/**
	 * Run a query of rows of several instances, each with its {@code instance_id}, and
	 * map them by instance.
	 * @return the records of each instance, in the order of the rows
	 */
	private static <T> Map<String, List<T>> byInstance(PreparedStatement statement, JdbcValues.RowMapper<T> mapper)
			throws SQLException {
		Map<String, List<T>> byInstance = new HashMap<>();
		try (ResultSet rows = statement.executeQuery()) {
			while (rows.next()) {
				byInstance.computeIfAbsent(rows.getString("instance_id"), (id) -> new ArrayList<>())
					.add(mapper.map(rows));
			}
		}
		return byInstance;
	}

	Map<WorkflowStatus, Long> countByStatus(Connection connection, @Nullable String workflowId) throws SQLException {
		Map<WorkflowStatus, Long> counts = new EnumMap<>(WorkflowStatus.class);
		try (PreparedStatement statement = connection
			.prepareStatement((workflowId != null) ? this.countByStatusOf : this.countByStatus)) {
			if (workflowId != null) {
				statement.setString(1, workflowId);
			}
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					counts.put(WorkflowStatus.valueOf(rows.getString(1)), rows.getLong(2));
				}
			}
		}
		return counts;
	}

	Map<WorkflowKey, Long> countUnfinished(Connection connection) throws SQLException {
		Map<WorkflowKey, Long> counts = new HashMap<>();
		try (PreparedStatement statement = connection.prepareStatement(this.countUnfinished);
				ResultSet rows = statement.executeQuery()) {
			while (rows.next()) {
				counts.put(new WorkflowKey(rows.getString(1), rows.getString(2)), rows.getLong(3));
			}
		}
		return counts;
	}

	long countClaimable(Connection connection, Instant now) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.countClaimable)) {
			setInstant(statement, 1, now);
			setInstant(statement, 2, now);
			try (ResultSet row = statement.executeQuery()) {
				row.next();
				return row.getLong(1);
			}
		}
	}

	Optional<Instant> earliestWakeUp(Connection connection) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.selectEarliestWakeUp);
				ResultSet row = statement.executeQuery()) {
			row.next();
			return Optional.ofNullable(JdbcValues.instant(row, "wake_at"));
		}
	}

	List<WorkflowEvent> history(Connection connection, String instanceId) throws SQLException {
		List<WorkflowEvent> events = new ArrayList<>();
		try (PreparedStatement statement = connection.prepareStatement(this.selectHistory)) {
			setId(statement, 1, instanceId);
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					events.addAll(HistoryRows.events(rows.getString("events"), rows.getString("instance_id"),
							rows.getString("workflow_id")));
				}
			}
		}
		return events;
	}

	List<SignalRecord> signals(Connection connection, String instanceId, String name) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.selectSignals)) {
			setId(statement, 1, instanceId);
			statement.setString(2, name);
			return JdbcValues.rows(statement, JdbcValues::signal);
		}
	}

	List<SignalRecord> signals(Connection connection, String instanceId) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.selectAllSignals)) {
			setId(statement, 1, instanceId);
			return JdbcValues.rows(statement, JdbcValues::signal);
		}
	}

	/**
	 * The conditions of a {@link WorkflowFilter}: fixed SQL fragments per criterion, with
	 * the values kept aside for binding.
	 */
	private record Filter(String sql, List<Object> values) {

		static Filter of(WorkflowFilter filter, String idempotencyKeyCondition) {
			StringBuilder sql = new StringBuilder();
			List<Object> values = new ArrayList<>();
			filter.workflowId().ifPresent((value) -> add(sql, values, " AND workflow_id = ?", value));
			if (!filter.statuses().isEmpty()) {
				sql.append(" AND status IN (")
					.append(String.join(", ", Collections.nCopies(filter.statuses().size(), "?")))
					.append(')');
				filter.statuses().forEach((status) -> values.add(status.name()));
			}
			filter.businessId().ifPresent((value) -> add(sql, values, " AND business_id = ?", value));
			filter.correlationId().ifPresent((value) -> add(sql, values, " AND correlation_id = ?", value));
			filter.traceId().ifPresent((value) -> add(sql, values, " AND trace_id = ?", value));
			filter.idempotencyKey().ifPresent((value) -> add(sql, values, idempotencyKeyCondition, value));
			filter.createdAfter().ifPresent((value) -> add(sql, values, " AND created_at >= ?", value));
			filter.createdBefore().ifPresent((value) -> add(sql, values, " AND created_at < ?", value));
			return new Filter(sql.toString(), values);
		}

		private static void add(StringBuilder sql, List<Object> values, String condition, Object value) {
			sql.append(condition);
			values.add(value);
		}

		/**
		 * Bind the values from the given parameter index on.
		 * @return the index of the next parameter
		 */
		int bind(PreparedStatement statement, int first) throws SQLException {
			int i = first;
			for (Object value : this.values) {
				if (value instanceof Instant instant) {
					setInstant(statement, i++, instant);
				}
				else {
					statement.setString(i++, (String) value);
				}
			}
			return i;
		}

	}

}
