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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.orchwf.event.WorkflowEvent;
import io.orchwf.store.InstanceUpdate;

import static io.orchwf.store.jdbc.JdbcValues.setId;

/**
 * Stores a small group of transitions on PostgreSQL with one statement sent in one round
 * trip: a few commands per transition (the fence check, the step rows, the history row),
 * which PostgreSQL, in auto-commit mode, executes as one implicit transaction and commits
 * before answering. A transition on a quiet node then costs one round trip instead of the
 * four of {@code BEGIN}, three batches and {@code COMMIT}, and its step's latency is
 * mostly that round trip. Large groups, where those round trips are shared by many
 * transitions, go through the batches of {@link InstanceWriter#apply}, whose statements
 * the database prepares once.
 *
 * <p>
 * Each transition's first command checks its fence and locks its instance row until the
 * commit (see {@link TransitionSql}); the later ones write only if the fence still
 * matches, which, with the row locked, it does exactly when it did in the first (a fence
 * only grows). The first commands lock the instances in the order of their ids, as
 * {@link InstanceWriter} does, so that concurrent groups and lease releases do not
 * deadlock. Each command looks rows up by primary key, so its plan does not depend on
 * table statistics (a join with a list of values would scan a table the planner has not
 * yet analyzed).
 *
 * <p>
 * A group with two transitions of one instance, or with signals to deliver, does not fit
 * and is written by {@link InstanceWriter#apply}.
 */
final class TransitionGroupStatement {

	/** The most transitions a group written with one statement holds. */
	static final int MAX_TRANSITIONS = 8;

	/** The most rows (instances, steps, history) such a statement writes. */
	private static final int MAX_ROWS = 64;

	private static final String INSERT_HISTORY = """
			INSERT INTO %PREFIX%history (instance_id, events)
			SELECT CAST(? AS uuid), %JSON%
			WHERE EXISTS (SELECT 1 FROM %PREFIX%instances WHERE id = ? AND fence = ?)""";

	/** The most statement shapes {@link #sql} keeps. */
	private static final int MAX_CACHED_SHAPES = 256;

	private final TransitionSql transitions;

	private final String insertHistory;

	private final Map<Shape, String> statements = new ConcurrentHashMap<>();

	TransitionGroupStatement(Sql sql, TransitionSql transitions) {
		this.transitions = transitions;
		this.insertHistory = sql.of(INSERT_HISTORY);
	}

	/**
	 * Whether a group can be stored with one statement: a few transitions, at most one
	 * per instance, and no signals to deliver.
	 * @param updates the group
	 * @return {@code true} if {@link #apply} can store it
	 */
	static boolean fits(List<InstanceUpdate> updates) {
		if (updates.size() > MAX_TRANSITIONS) {
			return false;
		}
		Set<String> instances = new HashSet<>();
		int rows = 0;
		for (InstanceUpdate update : updates) {
			if (!update.deliveries().isEmpty() || !instances.add(update.instanceId())) {
				return false;
			}
			for (WorkflowEvent event : update.events()) {
				if (!event.instanceId().equals(update.instanceId())) {
					return false;
				}
			}
			rows += 1 + update.steps().size() + (update.events().isEmpty() ? 0 : 1);
		}
		return rows <= MAX_ROWS;
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
		List<InstanceUpdate> ordered = new ArrayList<>(updates);
		ordered.sort(Comparator.comparing(InstanceUpdate::instanceId));
		try (PreparedStatement statement = connection.prepareStatement(sql(ordered))) {
			Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
			int index = 0;
			for (InstanceUpdate update : ordered) {
				index = this.transitions.keepsInstanceRow(update) ? bindFencedStep(statement, index, update, 0)
						: TransitionSql.bindInstance(statement, index, update, now);
			}
			for (InstanceUpdate update : ordered) {
				int first = this.transitions.keepsInstanceRow(update) ? 1 : 0;
				for (int i = first; i < update.steps().size(); i++) {
					index = bindFencedStep(statement, index, update, i);
				}
			}
			for (InstanceUpdate update : ordered) {
				if (!update.events().isEmpty()) {
					index = bindHistory(statement, index, update);
				}
			}
			statement.execute();
			// the first results are the counts of the fence-checking commands, in order
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

	/**
	 * The statement of a group, the same text for every group of the same shape: the
	 * driver finds its prepared statement by the text, and the text of a cached shape
	 * need not be joined and hashed again.
	 */
	private String sql(List<InstanceUpdate> ordered) {
		long shape = 0;
		for (InstanceUpdate update : ordered) {
			// fits() keeps an update's step rows under MAX_ROWS (64): six bits
			shape = (shape << 8) | (this.transitions.keepsInstanceRow(update) ? 0x80 : 0)
					| (update.events().isEmpty() ? 0 : 0x40) | update.steps().size();
		}
		Shape key = new Shape(ordered.size(), shape);
		String cached = this.statements.get(key);
		if (cached != null) {
			return cached;
		}
		String sql = join(ordered);
		if (this.statements.size() < MAX_CACHED_SHAPES) {
			this.statements.put(key, sql);
		}
		return sql;
	}

	private String join(List<InstanceUpdate> ordered) {
		List<String> commands = new ArrayList<>();
		for (InstanceUpdate update : ordered) {
			commands.add(this.transitions.keepsInstanceRow(update) ? this.transitions.updateStepLockingFence()
					: this.transitions.updateInstance());
		}
		for (InstanceUpdate update : ordered) {
			int first = this.transitions.keepsInstanceRow(update) ? 1 : 0;
			for (int i = first; i < update.steps().size(); i++) {
				commands.add(this.transitions.updateStepIfFenceMatches());
			}
		}
		for (InstanceUpdate update : ordered) {
			if (!update.events().isEmpty()) {
				commands.add(this.insertHistory);
			}
		}
		return String.join(";\n", commands);
	}

	private static int bindFencedStep(PreparedStatement statement, int index, InstanceUpdate update, int step)
			throws SQLException {
		int i = TransitionSql.bindStep(statement, index, update.instanceId(), update.steps().get(step));
		return TransitionSql.bindFence(statement, i, update);
	}

	/**
	 * The shape of a group: its size, and for each transition, eight bits of whether it
	 * keeps its instance row, whether it has events and how many step rows it writes.
	 */
	private record Shape(int size, long transitions) {
	}

	private static int bindHistory(PreparedStatement statement, int index, InstanceUpdate update) throws SQLException {
		int i = index;
		setId(statement, ++i, update.instanceId());
		HistoryRows.setEvents(statement, ++i, update.events());
		return TransitionSql.bindFence(statement, i, update);
	}

}
