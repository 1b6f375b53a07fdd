package io.orchwf.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.orchwf.event.WorkflowEvent;
import io.orchwf.store.InstanceState;
import io.orchwf.store.InstanceUpdate;
import io.orchwf.store.StepRecord;

import static io.orchwf.store.jdbc.JdbcValues.setId;
import static io.orchwf.store.jdbc.JdbcValues.setInstant;
import static io.orchwf.store.jdbc.JdbcValues.setJson;

/**
 * Stores a small group of transitions on PostgreSQL with one statement sent in one round
 * trip: a command per row (the fenced instance rows, then the step rows and events, each
 * written only if its instance's fence matches), which PostgreSQL, in auto-commit mode,
 * executes as one implicit transaction and commits before answering. A transition on a
 * quiet node then costs one round trip instead of the four of {@code BEGIN}, three
 * batches and {@code COMMIT}, and its step's latency is mostly that round trip. Large
 * groups, where those round trips are shared by many transitions, go through the batches
 * of {@link InstanceWriter#apply}, whose statements the database prepares once.
 *
 * <p>
 * Each command looks its rows up by primary key, so its plan does not depend on table
 * statistics (a join with a list of values would scan a table the planner has not yet
 * analyzed). The instance commands lock the rows they update until the commit, so a fence
 * that matched in the first command still matches in the later ones, and one that did not
 * never will (a fence only grows). A group with two transitions of one instance, or with
 * signals to deliver, does not fit either and is written by {@link InstanceWriter#apply}.
 */
final class TransitionGroupStatement {

	/** The most transitions a group written with one statement holds. */
	static final int MAX_TRANSITIONS = 8;

	/** The most commands such a statement holds. */
	private static final int MAX_COMMANDS = 64;

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
			SET status = ?, attempts = ?, output = %JSON%, error = ?, started_at = ?, completed_at = ?, wake_at = ?,
				completion_order = ?
			WHERE instance_id = ? AND step_id = ?
				AND EXISTS (SELECT 1 FROM %PREFIX%instances WHERE id = ? AND fence = ?)""";

	private static final String INSERT_EVENT = """
			INSERT INTO %PREFIX%events (instance_id, type, step_id, attempt, occurred_at, data)
			SELECT CAST(? AS uuid), CAST(? AS varchar), CAST(? AS varchar), CAST(? AS integer),
				CAST(? AS timestamptz), %JSON%
			WHERE EXISTS (SELECT 1 FROM %PREFIX%instances WHERE id = ? AND fence = ?)""";

	private final String updateInstance;

	private final String updateStep;

	private final String insertEvent;

	TransitionGroupStatement(Sql sql) {
		this.updateInstance = sql.of(UPDATE_INSTANCE);
		this.updateStep = sql.of(UPDATE_STEP);
		this.insertEvent = sql.of(INSERT_EVENT);
	}

	/**
	 * Whether a group can be stored with one statement: at most one transition per
	 * instance, and no signals to deliver.
	 * @param updates the group
	 * @return {@code true} if {@link #apply} can store it
	 */
	static boolean fits(List<InstanceUpdate> updates) {
		if (updates.size() > MAX_TRANSITIONS) {
			return false;
		}
		Set<String> instances = new HashSet<>();
		int commands = 0;
		for (InstanceUpdate update : updates) {
			if (!update.deliveries().isEmpty() || !instances.add(update.instanceId())) {
				return false;
			}
			for (WorkflowEvent event : update.events()) {
				if (!event.instanceId().equals(update.instanceId())) {
					return false;
				}
			}
			commands += 1 + update.steps().size() + update.events().size();
		}
		return commands <= MAX_COMMANDS;
	}

	/**
	 * Store a group that {@link #fits}. Call it on a connection in auto-commit mode to
	 * have it committed in the same round trip; in a transaction it works the same, one
	 * round trip more.
	 * @param connection the connection
	 * @param updates the transitions, one per instance
	 * @return the instances whose fence did not match
	 */
	Set<String> apply(Connection connection, List<InstanceUpdate> updates) throws SQLException {
		// the instance rows are locked in this order, as InstanceWriter locks them, so
		// that
		// concurrent groups and lease renewals do not deadlock on each other
		List<InstanceUpdate> ordered = new ArrayList<>(updates);
		ordered.sort(Comparator.comparing(InstanceUpdate::instanceId));
		List<String> commands = new ArrayList<>();
		ordered.forEach((update) -> commands.add(this.updateInstance));
		for (InstanceUpdate update : ordered) {
			update.steps().forEach((step) -> commands.add(this.updateStep));
		}
		for (InstanceUpdate update : ordered) {
			update.events().forEach((event) -> commands.add(this.insertEvent));
		}
		try (PreparedStatement statement = connection.prepareStatement(String.join(";\n", commands))) {
			Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
			int index = 0;
			for (InstanceUpdate update : ordered) {
				index = bindInstance(statement, index, update, now);
			}
			for (InstanceUpdate update : ordered) {
				for (StepRecord step : update.steps()) {
					index = bindStep(statement, index, update, step);
				}
			}
			for (InstanceUpdate update : ordered) {
				for (WorkflowEvent event : update.events()) {
					index = bindEvent(statement, index, update, event);
				}
			}
			statement.execute();
			// the first results are the instance commands' counts, in order
			Set<String> rejected = new HashSet<>();
			for (InstanceUpdate update : ordered) {
				if (statement.getUpdateCount() == 0) {
					rejected.add(update.instanceId());
				}
				statement.getMoreResults();
			}
			return rejected;
		}
	}

	private static int bindInstance(PreparedStatement statement, int index, InstanceUpdate update, Instant now)
			throws SQLException {
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
		setId(statement, ++i, update.instanceId());
		statement.setLong(++i, update.fence());
		return i;
	}

	private static int bindStep(PreparedStatement statement, int index, InstanceUpdate update, StepRecord step)
			throws SQLException {
		int i = index;
		statement.setString(++i, step.status().name());
		statement.setInt(++i, step.attempts());
		setJson(statement, ++i, step.output());
		statement.setString(++i, JdbcValues.text(step.error()));
		setInstant(statement, ++i, step.startedAt());
		setInstant(statement, ++i, step.completedAt());
		setInstant(statement, ++i, step.wakeAt());
		statement.setLong(++i, step.completionOrder());
		setId(statement, ++i, update.instanceId());
		statement.setString(++i, step.stepId());
		setId(statement, ++i, update.instanceId());
		statement.setLong(++i, update.fence());
		return i;
	}

	private static int bindEvent(PreparedStatement statement, int index, InstanceUpdate update, WorkflowEvent event)
			throws SQLException {
		int i = index;
		setId(statement, ++i, update.instanceId());
		statement.setString(++i, event.type().name());
		statement.setString(++i, event.stepId());
		statement.setInt(++i, event.attempt());
		setInstant(statement, ++i, event.timestamp());
		setJson(statement, ++i, event.data());
		setId(statement, ++i, update.instanceId());
		statement.setLong(++i, update.fence());
		return i;
	}

}
