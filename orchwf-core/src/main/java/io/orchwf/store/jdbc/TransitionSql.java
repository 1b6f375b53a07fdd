package io.orchwf.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

import io.orchwf.store.InstanceState;
import io.orchwf.store.InstanceUpdate;
import io.orchwf.store.StepRecord;

import static io.orchwf.store.jdbc.JdbcValues.setId;
import static io.orchwf.store.jdbc.JdbcValues.setInstant;
import static io.orchwf.store.jdbc.JdbcValues.setJson;

/**
 * The commands that store a transition, shared by the batched write of
 * {@link InstanceWriter} and the one-statement write of {@link TransitionGroupStatement},
 * and how their parameters are bound.
 *
 * <p>
 * A transition first checks its instance's fence, which locks the instance row until the
 * commit: with an update of the row when the state changed or the lease is released, else
 * (on PostgreSQL) with the insert of its history row guarded by a locking read of the
 * instance row. The steps it changed go into its history row, but for large changes,
 * which update the steps' rows (see {@link StepChanges}). A step finishing and the next
 * one starting leave the instance row as it is, so most transitions are one row insert.
 */
final class TransitionSql {

	private static final String UPDATE_INSTANCE = """
			UPDATE %PREFIX%instances
			SET status = ?, output = %JSON%, error = ?, started_at = ?, completed_at = ?,
				wake_at = CASE WHEN ? AND (cancel_reason IS NOT NULL OR signal_count > ?) THEN ? ELSE ? END,
				lease_owner = CASE WHEN ? THEN NULL ELSE lease_owner END,
				cancel_reason = CASE WHEN ? THEN NULL ELSE cancel_reason END,
				updated_at = ?
			WHERE id = ? AND fence = ?""";

	private static final String UPDATE_STEP = """
			UPDATE %PREFIX%steps
			SET status = ?, attempts = ?, output = %JSON%, error = ?, error_type = ?, started_at = ?, completed_at = ?,
				wake_at = ?, completion_order = ?
			WHERE instance_id = ? AND step_id = ?""";

	private static final String IF_FENCE_MATCHES = """

			AND EXISTS (SELECT 1 FROM %PREFIX%instances WHERE id = ? AND fence = ?)""";

	private static final String INSERT_HISTORY = """
			INSERT INTO %PREFIX%history (instance_id, events, steps) VALUES (?, %JSON%, %JSON%)""";

	private static final String INSERT_HISTORY_IF_FENCE_MATCHES = """
			INSERT INTO %PREFIX%history (instance_id, events, steps)
			SELECT CAST(? AS uuid), %JSON%, %JSON%
			WHERE EXISTS (SELECT 1 FROM %PREFIX%instances WHERE id = ? AND fence = ?%LOCK%)""";

	private final boolean locksInsteadOfRewriting;

	private final String updateInstance;

	private final String updateStep;

	private final String updateStepIfFenceMatches;

	private final String insertHistory;

	private final String insertHistoryIfFenceMatches;

	private final String insertHistoryLockingFence;

	TransitionSql(Sql sql) {
		// H2 has no shared row locks
		this.locksInsteadOfRewriting = sql.dialect() == Dialect.POSTGRESQL;
		this.updateInstance = sql.of(UPDATE_INSTANCE);
		this.updateStep = sql.of(UPDATE_STEP);
		this.updateStepIfFenceMatches = sql.of(UPDATE_STEP + IF_FENCE_MATCHES);
		this.insertHistory = sql.of(INSERT_HISTORY);
		Sql.Spliced fenced = sql.spliced(INSERT_HISTORY_IF_FENCE_MATCHES, Sql.Token.LOCK);
		this.insertHistoryIfFenceMatches = fenced.with("");
		this.insertHistoryLockingFence = fenced.with(" FOR SHARE");
	}

	/**
	 * Whether a transition leaves the instance row as it is: its state did not change, it
	 * keeps the lease, and it has a history row of its instance to check the fence with.
	 * @param update the transition
	 * @return {@code true} if its first command is {@link #insertHistoryLockingFence()}
	 */
	boolean keepsInstanceRow(InstanceUpdate update) {
		return this.locksInsteadOfRewriting && !update.stateChanged() && !update.releaseLease()
				&& HistoryRows.hasOwnRow(update);
	}

	/**
	 * The fenced update of an instance row; bind with {@link #bindInstance}.
	 * @return the command
	 */
	String updateInstance() {
		return this.updateInstance;
	}

	/**
	 * The update of a step row, for a change too large for the history (see
	 * {@link StepChanges}); bind with {@link #bindStep}.
	 * @return the command
	 */
	String updateStep() {
		return this.updateStep;
	}

	/**
	 * The update of a step row if its instance's fence matches; bind with
	 * {@link #bindStep} then {@link #bindFence}.
	 * @return the command
	 */
	String updateStepIfFenceMatches() {
		return this.updateStepIfFenceMatches;
	}

	/**
	 * The insert of a history row; bind with {@link HistoryRows#bind}.
	 * @return the command
	 */
	String insertHistory() {
		return this.insertHistory;
	}

	/**
	 * The insert of a history row if its instance's fence matches; bind with
	 * {@link HistoryRows#bind} then {@link #bindFence}.
	 * @return the command
	 */
	String insertHistoryIfFenceMatches() {
		return this.insertHistoryIfFenceMatches;
	}

	/**
	 * The insert of a history row if its instance's fence matches, locking the instance
	 * row until the commit; bind with {@link HistoryRows#bind} then {@link #bindFence}.
	 * @return the command
	 */
	String insertHistoryLockingFence() {
		return this.insertHistoryLockingFence;
	}

	/**
	 * Bind {@link #updateInstance()}.
	 * @param statement the statement
	 * @param index the last parameter index bound so far
	 * @param update the transition
	 * @return the last parameter index bound
	 */
	static int bindInstance(PreparedStatement statement, int index, InstanceUpdate update) throws SQLException {
		Instant now = update.at();
		InstanceState state = update.state();
		int i = index;
		statement.setString(++i, state.status().name());
		setJson(statement, ++i, state.output());
		statement.setString(++i, JdbcValues.text(state.error()));
		setInstant(statement, ++i, state.startedAt());
		setInstant(statement, ++i, state.completedAt());
		// a cancellation requested, or a signal received, while the lease was held must
		// not wait for the wake-up
		statement.setBoolean(++i, update.releaseLease() && !state.status().isTerminal());
		statement.setLong(++i, update.signalsSeen());
		setInstant(statement, ++i, now);
		setInstant(statement, ++i, state.wakeAt());
		statement.setBoolean(++i, update.releaseLease());
		statement.setBoolean(++i, state.status().isTerminal());
		setInstant(statement, ++i, now);
		return bindFence(statement, i, update);
	}

	/**
	 * Bind the update of a step row.
	 * @param statement the statement
	 * @param index the last parameter index bound so far
	 * @param instanceId the step's instance
	 * @param step the step row
	 * @return the last parameter index bound
	 */
	static int bindStep(PreparedStatement statement, int index, String instanceId, StepRecord step)
			throws SQLException {
		int i = JdbcValues.bindStepState(statement, index, step);
		setId(statement, ++i, instanceId);
		statement.setString(++i, step.stepId());
		return i;
	}

	/**
	 * Bind a fence check: the instance and the fence the writer holds.
	 * @param statement the statement
	 * @param index the last parameter index bound so far
	 * @param update the transition
	 * @return the last parameter index bound
	 */
	static int bindFence(PreparedStatement statement, int index, InstanceUpdate update) throws SQLException {
		int i = index;
		setId(statement, ++i, update.instanceId());
		statement.setLong(++i, update.fence());
		return i;
	}

}
