package io.orchwf.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.orchwf.event.WorkflowEvent;
import io.orchwf.store.CreateResult;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.InstanceUpdate;
import io.orchwf.store.SignalDelivery;
import io.orchwf.store.StepRecord;
import org.jspecify.annotations.Nullable;

import static io.orchwf.store.jdbc.JdbcValues.setId;
import static io.orchwf.store.jdbc.JdbcValues.setInstant;
import static io.orchwf.store.jdbc.JdbcValues.setJson;

/**
 * The writes of instances: creation (one transaction for the instance, its steps, its
 * first events and its idempotency key), transitions of many instances grouped into one
 * transaction with the fence check, and signals.
 */
final class InstanceWriter {

	private static final String SELECT_IDEMPOTENCY_KEY = """
			SELECT instance_id FROM %PREFIX%idempotency_keys WHERE idempotency_key = ?
			""";

	private static final String INSERT_INSTANCE = """
			INSERT INTO %PREFIX%instances (id, workflow_id, workflow_version, status, input, output, error, metadata,
				trace_id, correlation_id, business_id, idempotency_key, created_at, started_at, completed_at, wake_at,
				lease_owner, fence, cancel_reason, updated_at, concurrency_key, priority, max_concurrency, max_per_key)
			VALUES (?, ?, ?, ?, %JSON%, %JSON%, ?, %JSON%, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			""";

	private static final String INSERT_STEPS = """
			INSERT INTO %PREFIX%steps (instance_id, step_id, position, status, attempts, output, error, error_type,
				started_at, completed_at, wake_at, completion_order)
			VALUES %ROWS%""";

	private static final String STEP_ROW = "(?, ?, ?, ?, ?, %JSON%, ?, ?, ?, ?, ?, ?)";

	private static final int STEP_PARAMETERS = 12;

	private static final String INSERT_HISTORY = """
			INSERT INTO %PREFIX%history (instance_id, events)
			VALUES %ROWS%""";

	private static final String HISTORY_ROW = "(?, %JSON%)";

	/**
	 * The most parameters one command binds: PostgreSQL's protocol counts them in 16
	 * bits.
	 */
	private static final int MAX_PARAMETERS = 32_767;

	// counts the signal and wakes a waiting instance no live node holds; locks the row,
	// so that a writer parking the instance sees the count
	private static final String COUNT_SIGNAL = """
			UPDATE %PREFIX%instances i
			SET signal_count = i.signal_count + 1, updated_at = ?,
				wake_at = CASE WHEN i.status = 'WAITING' AND (i.lease_owner IS NULL OR NOT EXISTS (
					SELECT 1 FROM %PREFIX%nodes n WHERE n.node_id = i.lease_owner AND n.lease_expires_at >= ?))
					THEN ? ELSE i.wake_at END
			WHERE i.id = ? AND i.status NOT IN ('COMPLETED', 'FAILED', 'CANCELLED')
			""";

	// the three writes of a signal in one command, which PostgreSQL runs as one
	// transaction when sent in auto-commit mode: one round trip, one commit
	private static final String SIGNAL_IN_ONE_COMMAND = "WITH counted AS (\n" + COUNT_SIGNAL + """
			RETURNING i.id, i.lease_owner, i.workflow_id),
			stored AS (
			INSERT INTO %PREFIX%signals (instance_id, name, payload, received_at)
			SELECT id, ?, %JSON%, ? FROM counted),
			logged AS (
			INSERT INTO %PREFIX%history (instance_id, events) SELECT id, %JSON% FROM counted)
			SELECT lease_owner, workflow_id FROM counted
			""";

	private static final String INSERT_SIGNAL = """
			INSERT INTO %PREFIX%signals (instance_id, name, payload, received_at) VALUES (?, ?, %JSON%, ?)
			""";

	private static final String SERIALIZATION_FAILURE = "40001";

	private final String selectIdempotencyKey;

	private final String insertIdempotencyKey;

	private final String insertInstance;

	private final boolean createsInOneStatement;

	private final Sql.Listed stepsInsert;

	private final String insertStep;

	private final Sql.Listed historyInsert;

	private final TransitionSql transitions;

	private final String insertSignal;

	private final String countSignal;

	/** Whether a signal is stored with one command, which returns the lease owner. */
	private final boolean signalsInOneCommand;

	private final String signalInOneCommand;

	private final NoticeChannel notices;

	InstanceWriter(Sql sql, TransitionSql transitions, NoticeChannel notices) {
		this.transitions = transitions;
		this.notices = notices;
		this.selectIdempotencyKey = sql.of(SELECT_IDEMPOTENCY_KEY);
		this.insertIdempotencyKey = sql.of(sql.dialect().insertIdempotencyKey());
		this.insertInstance = sql.of(INSERT_INSTANCE);
		this.createsInOneStatement = sql.dialect() == Dialect.POSTGRESQL;
		this.stepsInsert = sql.listed(INSERT_STEPS, Sql.Token.ROWS, STEP_ROW);
		this.insertStep = this.stepsInsert.of(1);
		this.historyInsert = sql.listed(INSERT_HISTORY, Sql.Token.ROWS, HISTORY_ROW);
		this.insertSignal = sql.of(INSERT_SIGNAL);
		this.countSignal = sql.of(COUNT_SIGNAL);
		this.signalsInOneCommand = sql.dialect() == Dialect.POSTGRESQL;
		this.signalInOneCommand = sql.of(SIGNAL_IN_ONE_COMMAND);
	}

	CreateResult create(Connection connection, InstanceRecord instance, List<StepRecord> steps,
			List<WorkflowEvent> events) throws SQLException {
		String key = instance.idempotencyKey();
		if (key != null) {
			String existing = existingInstance(connection, key);
			if (existing == null && !takeIdempotencyKey(connection, key, instance)) {
				// another start took the key between our check and insert
				existing = existingInstance(connection, key);
				if (existing == null) {
					// it did so in a transaction this one cannot see yet
					throw new SQLException(
							"Idempotency key '" + key + "' is being taken by a concurrent start; " + "try again",
							SERIALIZATION_FAILURE);
				}
			}
			if (existing != null) {
				return new CreateResult(existing, false);
			}
		}
		insertInstance(connection, instance);
		insertSteps(connection, instance.id(), steps);
		insertHistory(connection, events);
		return new CreateResult(instance.id(), true);
	}

	/**
	 * Whether {@link #createInOneStatement} can store a new instance: on PostgreSQL,
	 * without an idempotency key (whose check needs a read first), and with no more rows
	 * than one command's parameters can carry.
	 * @param instance the instance row
	 * @param steps its step rows
	 * @param events its first events
	 * @return {@code true} if it fits one statement
	 */
	boolean createsInOneStatement(InstanceRecord instance, List<StepRecord> steps, List<WorkflowEvent> events) {
		return this.createsInOneStatement && instance.idempotencyKey() == null
				&& steps.size() * STEP_PARAMETERS <= MAX_PARAMETERS;
	}

	/**
	 * Store a new instance with one statement: an insert of the instance, of its steps
	 * and of its first history row, sent in one round trip; in auto-commit mode
	 * PostgreSQL commits it as one transaction before answering.
	 * @param connection the connection, in auto-commit mode or in the caller's
	 * transaction
	 * @param instance the instance row, without an idempotency key
	 * @param steps its step rows
	 * @param events its first events
	 * @return the new instance's id
	 */
	CreateResult createInOneStatement(Connection connection, InstanceRecord instance, List<StepRecord> steps,
			List<WorkflowEvent> events) throws SQLException {
		Map<String, List<WorkflowEvent>> history = HistoryRows.byInstance(events);
		try (PreparedStatement statement = connection.prepareStatement(createStatement(steps.size(), history.size()))) {
			int index = bindInstanceRow(statement, 0, instance);
			for (StepRecord step : steps) {
				index = bindStepRow(statement, index, instance.id(), step);
			}
			for (Map.Entry<String, List<WorkflowEvent>> row : history.entrySet()) {
				setId(statement, ++index, row.getKey());
				HistoryRows.setEvents(statement, ++index, row.getValue());
			}
			statement.execute();
		}
		return new CreateResult(instance.id(), true);
	}

	/**
	 * The statement of {@link #createInOneStatement}: the insert of the instance, then
	 * those of its steps and its history rows, if it has any.
	 * @param steps how many steps the instance has
	 * @param historyRows how many history rows its first events fill
	 * @return the statement
	 */
	String createStatement(int steps, int historyRows) {
		StringBuilder sql = new StringBuilder(this.insertInstance);
		if (steps > 0) {
			sql.append(";\n").append(this.stepsInsert.of(steps));
		}
		if (historyRows > 0) {
			sql.append(";\n").append(this.historyInsert.of(historyRows));
		}
		return sql.toString();
	}

	/**
	 * Insert an idempotency key unless it exists.
	 * @return {@code false} if another start holds it
	 */
	private boolean takeIdempotencyKey(Connection connection, String key, InstanceRecord instance) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.insertIdempotencyKey)) {
			statement.setString(1, key);
			setId(statement, 2, instance.id());
			setInstant(statement, 3, instance.createdAt());
			return statement.executeUpdate() > 0;
		}
		catch (SQLException ex) {
			// H2's MERGE reports a concurrent insert of the key as a duplicate; on
			// PostgreSQL the insert does nothing instead
			if (StoreFailures.UNIQUE_VIOLATION.equals(ex.getSQLState())) {
				return false;
			}
			throw ex;
		}
	}

	private @Nullable String existingInstance(Connection connection, String key) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.selectIdempotencyKey)) {
			statement.setString(1, key);
			try (ResultSet row = statement.executeQuery()) {
				return row.next() ? row.getString(1) : null;
			}
		}
	}

	private void insertInstance(Connection connection, InstanceRecord instance) throws SQLException {
		try (PreparedStatement statement = connection.prepareStatement(this.insertInstance)) {
			bindInstanceRow(statement, 0, instance);
			statement.executeUpdate();
		}
	}

	private static int bindInstanceRow(PreparedStatement statement, int index, InstanceRecord instance)
			throws SQLException {
		int i = index;
		setId(statement, ++i, instance.id());
		statement.setString(++i, instance.workflowId());
		statement.setString(++i, instance.workflowVersion());
		statement.setString(++i, instance.status().name());
		setJson(statement, ++i, instance.input());
		setJson(statement, ++i, instance.output());
		statement.setString(++i, JdbcValues.text(instance.error()));
		setJson(statement, ++i, instance.metadata());
		statement.setString(++i, instance.traceId());
		statement.setString(++i, instance.correlationId());
		statement.setString(++i, instance.businessId());
		statement.setString(++i, instance.idempotencyKey());
		setInstant(statement, ++i, instance.createdAt());
		setInstant(statement, ++i, instance.startedAt());
		setInstant(statement, ++i, instance.completedAt());
		setInstant(statement, ++i, instance.wakeAt());
		statement.setString(++i, instance.leaseOwner());
		statement.setLong(++i, instance.fence());
		statement.setString(++i, JdbcValues.text(instance.cancelReason()));
		setInstant(statement, ++i, instance.createdAt());
		statement.setString(++i, instance.flow().concurrencyKey());
		statement.setInt(++i, instance.flow().priority());
		statement.setInt(++i, instance.flow().maxConcurrency());
		statement.setInt(++i, instance.flow().maxConcurrencyPerKey());
		return i;
	}

	private void insertSteps(Connection connection, String instanceId, List<StepRecord> steps) throws SQLException {
		if (steps.isEmpty()) {
			return;
		}
		try (PreparedStatement statement = connection.prepareStatement(this.insertStep)) {
			for (StepRecord step : steps) {
				bindStepRow(statement, 0, instanceId, step);
				statement.addBatch();
			}
			statement.executeBatch();
		}
	}

	private static int bindStepRow(PreparedStatement statement, int index, String instanceId, StepRecord step)
			throws SQLException {
		int i = index;
		setId(statement, ++i, instanceId);
		statement.setString(++i, step.stepId());
		statement.setInt(++i, step.position());
		return JdbcValues.bindStepState(statement, i, step);
	}

	/**
	 * Insert the history rows of a new instance or of a signal: one per instance.
	 * @param events the events, in order
	 */
	private void insertHistory(Connection connection, List<WorkflowEvent> events) throws SQLException {
		List<HistoryRows.Row> rows = new ArrayList<>();
		HistoryRows.byInstance(events)
			.forEach((instanceId, itsEvents) -> rows
				.add(new HistoryRows.Row(instanceId, itsEvents, StepChanges.Split.NONE)));
		insertHistoryRows(connection, rows);
	}

	private void insertHistoryRows(Connection connection, List<HistoryRows.Row> rows) throws SQLException {
		if (rows.isEmpty()) {
			return;
		}
		try (PreparedStatement statement = connection.prepareStatement(this.transitions.insertHistory())) {
			for (HistoryRows.Row row : rows) {
				HistoryRows.bind(statement, 0, row);
				statement.addBatch();
			}
			statement.executeBatch();
		}
	}

	/**
	 * Apply transitions of many instances in the caller's transaction: first the fence
	 * checks (which lock the instance rows), then the history rows, with the steps each
	 * transition changed, of the instances whose fence matched, and the step rows of
	 * changes too large for the history.
	 * @return the instances whose fence did not match
	 */
	Set<String> apply(Connection connection, List<InstanceUpdate> updates) throws SQLException {
		// a stable order of row locks keeps concurrent batches and lease releases from
		// deadlocking on each other
		List<InstanceUpdate> ordered = new ArrayList<>(updates);
		ordered.sort(Comparator.comparing(InstanceUpdate::instanceId));
		Set<String> seen = new HashSet<>();
		Set<String> repeated = new HashSet<>();
		for (InstanceUpdate update : ordered) {
			if (!seen.add(update.instanceId())) {
				repeated.add(update.instanceId());
			}
		}
		Map<InstanceUpdate, List<HistoryRows.Row>> rows = new IdentityHashMap<>();
		List<InstanceUpdate> rewriting = new ArrayList<>();
		List<InstanceUpdate> keeping = new ArrayList<>();
		Set<InstanceUpdate> kept = Collections.newSetFromMap(new IdentityHashMap<>());
		for (InstanceUpdate update : ordered) {
			rows.put(update, HistoryRows.of(update));
			// the history rows of an instance with two transitions here must keep their
			// order, so both go after the fence checks
			boolean keeps = this.transitions.keepsInstanceRow(update) && !repeated.contains(update.instanceId());
			(keeps ? keeping : rewriting).add(update);
			if (keeps) {
				kept.add(update);
			}
		}
		Set<String> rejected = new HashSet<>();
		rejected.addAll(fenceChecks(connection, this.transitions.updateInstance(), rewriting,
				(statement, update) -> TransitionSql.bindInstance(statement, 0, update)));
		// a kept instance row's fence is checked by the insert of the transition's own
		// history row, which HistoryRows.of lists first
		rejected.addAll(fenceChecks(connection, this.transitions.insertHistoryLockingFence(), keeping,
				(statement, update) -> TransitionSql.bindFence(statement,
						HistoryRows.bind(statement, 0, rows.get(update).get(0)), update)));
		List<InstanceUpdate> accepted = ordered.stream()
			.filter((update) -> !rejected.contains(update.instanceId()))
			.toList();
		List<HistoryRows.Row> historyRows = new ArrayList<>();
		for (InstanceUpdate update : accepted) {
			List<HistoryRows.Row> itsRows = rows.get(update);
			historyRows.addAll(kept.contains(update) ? itsRows.subList(1, itsRows.size()) : itsRows);
		}
		insertHistoryRows(connection, historyRows);
		updateStepsInRow(connection, accepted, rows);
		for (InstanceUpdate update : accepted) {
			for (SignalDelivery delivery : update.deliveries()) {
				if (JdbcValues.isInstanceId(delivery.instanceId())) {
					SignalCount count = addSignal(connection, delivery.instanceId(), delivery.name(),
							delivery.payload(), delivery.event());
					// a child's end reaching its parent on another node
					this.notices.changed(connection, count.owner(), delivery.instanceId());
				}
			}
		}
		return rejected;
	}

	private void updateStepsInRow(Connection connection, List<InstanceUpdate> accepted,
			Map<InstanceUpdate, List<HistoryRows.Row>> rows) throws SQLException {
		boolean any = false;
		try (PreparedStatement statement = connection.prepareStatement(this.transitions.updateStep())) {
			for (InstanceUpdate update : accepted) {
				List<HistoryRows.Row> itsRows = rows.get(update);
				if (itsRows.isEmpty() || !itsRows.get(0).instanceId().equals(update.instanceId())) {
					continue;
				}
				for (StepRecord step : itsRows.get(0).steps().inRow()) {
					TransitionSql.bindStep(statement, 0, update.instanceId(), step);
					statement.addBatch();
					any = true;
				}
			}
			if (any) {
				statement.executeBatch();
			}
		}
	}

	/**
	 * Run a batch of fence-checking commands, one per update.
	 * @return the instances whose command changed no row: their fence did not match
	 */
	private static Set<String> fenceChecks(Connection connection, String command, List<InstanceUpdate> updates,
			Binder binder) throws SQLException {
		if (updates.isEmpty()) {
			return Set.of();
		}
		Set<String> rejected = new HashSet<>();
		try (PreparedStatement statement = connection.prepareStatement(command)) {
			for (InstanceUpdate update : updates) {
				binder.bind(statement, update);
				statement.addBatch();
			}
			int[] counts = statement.executeBatch();
			for (int i = 0; i < counts.length; i++) {
				if (counts[i] == 0) {
					rejected.add(updates.get(i).instanceId());
				}
			}
		}
		return rejected;
	}

	/**
	 * Whether {@link #addSignal} stores a signal with one command, so that it can run in
	 * auto-commit mode.
	 * @return {@code true} on PostgreSQL
	 */
	boolean signalsInOneCommand() {
		return this.signalsInOneCommand;
	}

	/**
	 * Store a signal, count it and append its event, if the instance exists and has not
	 * finished.
	 * @return whether it was stored, and the instance's lease owner and workflow (known
	 * on PostgreSQL only)
	 */
	SignalCount addSignal(Connection connection, String instanceId, String name, Map<String, Object> payload,
			WorkflowEvent event) throws SQLException {
		Instant receivedAt = event.timestamp().truncatedTo(ChronoUnit.MICROS);
		if (this.signalsInOneCommand) {
			try (PreparedStatement statement = connection.prepareStatement(this.signalInOneCommand)) {
				setInstant(statement, 1, receivedAt);
				setInstant(statement, 2, receivedAt);
				setInstant(statement, 3, receivedAt);
				setId(statement, 4, instanceId);
				statement.setString(5, name);
				setJson(statement, 6, payload);
				setInstant(statement, 7, receivedAt);
				statement.setString(8, HistoryRows.json(List.of(event)));
				try (ResultSet row = statement.executeQuery()) {
					return row.next() ? new SignalCount(true, row.getString(1), row.getString(2))
							: SignalCount.NOT_STORED;
				}
			}
		}
		try (PreparedStatement statement = connection.prepareStatement(this.countSignal)) {
			setInstant(statement, 1, receivedAt);
			setInstant(statement, 2, receivedAt);
			setInstant(statement, 3, receivedAt);
			setId(statement, 4, instanceId);
			if (statement.executeUpdate() == 0) {
				return SignalCount.NOT_STORED;
			}
		}
		try (PreparedStatement statement = connection.prepareStatement(this.insertSignal)) {
			setId(statement, 1, instanceId);
			statement.setString(2, name);
			setJson(statement, 3, payload);
			setInstant(statement, 4, receivedAt);
			statement.executeUpdate();
		}
		insertHistory(connection, List.of(event));
		return new SignalCount(true, null, null);
	}

	/**
	 * What storing a signal found.
	 *
	 * @param stored whether the signal was stored: the instance exists and has not
	 * finished
	 * @param owner the node holding the instance's lease, if known
	 * @param workflowId the instance's workflow, if known
	 */
	record SignalCount(boolean stored, @Nullable String owner, @Nullable String workflowId) {

		static final SignalCount NOT_STORED = new SignalCount(false, null, null);

	}

	/**
	 * Binds one update's parameters of a command.
	 */
	@FunctionalInterface
	private interface Binder {

		void bind(PreparedStatement statement, InstanceUpdate update) throws SQLException;

	}

}
