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
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.orchwf.event.WorkflowEvent;
import io.orchwf.store.InstanceUpdate;
import io.orchwf.store.StepRecord;
import org.jspecify.annotations.Nullable;

/**
 * Stores a small group of transitions on PostgreSQL with one statement sent in one round
 * trip: one or two commands per transition (the fence check, and the history row with the
 * steps it changed), which PostgreSQL, in auto-commit mode, executes as one implicit
 * transaction and commits before answering. A transition on a quiet node then costs one
 * round trip instead of the four of {@code BEGIN}, two batches and {@code COMMIT}, and
 * its step's latency is mostly that round trip. Large groups, where those round trips are
 * shared by many transitions, go through the batches of {@link InstanceWriter#apply},
 * whose statements the database prepares once.
 *
 * <p>
 * Each transition's first command checks its fence and locks its instance row until the
 * commit (see {@link TransitionSql}); the later ones (the history row when the first
 * command is an update of the instance row, the rows of steps whose changes are too large
 * for the history) write only if the fence still matches, which, with the row locked, it
 * does exactly when it did in the first (a fence only grows). The first commands lock the
 * instances in the order of their ids, as {@link InstanceWriter} does, so that concurrent
 * groups and lease releases do not deadlock. Each command looks rows up by primary key,
 * so its plan does not depend on table statistics.
 *
 * <p>
 * A group with two transitions of one instance, or with signals to deliver, does not fit
 * and is written by {@link InstanceWriter#apply}.
 */
final class TransitionGroupStatement {

	/** The most transitions a group written with one statement holds. */
	static final int MAX_TRANSITIONS = 8;

	/**
	 * The most step rows a transition updates for its shape to be cached; the shape keeps
	 * the count in six bits.
	 */
	private static final int MAX_STEPS_IN_ROW_OF_A_SHAPE = 63;

	/** The most statement shapes {@link #sql} keeps. */
	private static final int MAX_CACHED_SHAPES = 256;

	private final TransitionSql transitions;

	private final Map<Shape, String> statements = new ConcurrentHashMap<>();

	TransitionGroupStatement(TransitionSql transitions) {
		this.transitions = transitions;
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
		for (InstanceUpdate update : updates) {
			if (!update.deliveries().isEmpty() || !instances.add(update.instanceId())) {
				return false;
			}
			for (WorkflowEvent event : update.events()) {
				if (!event.instanceId().equals(update.instanceId())) {
					return false;
				}
			}
		}
		return true;
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
		List<Planned> planned = plan(updates);
		try (PreparedStatement statement = connection.prepareStatement(sql(planned))) {
			int index = 0;
			for (Planned transition : planned) {
				index = transition.keepsInstanceRow() ? bindHistory(statement, index, transition)
						: TransitionSql.bindInstance(statement, index, transition.update());
			}
			for (Planned transition : planned) {
				if (!transition.keepsInstanceRow() && transition.history() != null) {
					index = bindHistory(statement, index, transition);
				}
			}
			for (Planned transition : planned) {
				for (StepRecord step : transition.stepsInRow()) {
					index = TransitionSql.bindStep(statement, index, transition.update().instanceId(), step);
					index = TransitionSql.bindFence(statement, index, transition.update());
				}
			}
			statement.execute();
			// the first results are the counts of the fence-checking commands, in order
			Set<String> rejected = new HashSet<>();
			for (Planned transition : planned) {
				if (statement.getUpdateCount() == 0) {
					rejected.add(transition.update().instanceId());
				}
				statement.getMoreResults();
			}
			return rejected;
		}
	}

	/**
	 * The statement {@link #apply} prepares for a group that {@link #fits}.
	 * @param updates the transitions, one per instance
	 * @return the statement
	 */
	String statement(List<InstanceUpdate> updates) {
		return sql(plan(updates));
	}

	/**
	 * What each transition of a group writes, in the order of their instances' ids.
	 */
	private List<Planned> plan(List<InstanceUpdate> updates) {
		List<Planned> planned = new ArrayList<>(updates.size());
		for (InstanceUpdate update : updates) {
			// fits() keeps out events of other instances: a transition has its own row or
			// none
			List<HistoryRows.Row> rows = HistoryRows.of(update);
			planned.add(new Planned(update, this.transitions.keepsInstanceRow(update),
					rows.isEmpty() ? null : rows.get(0)));
		}
		planned.sort(Comparator.comparing((transition) -> transition.update().instanceId()));
		return planned;
	}

	/**
	 * The statement of a group, the same text for every group of the same shape: the
	 * driver finds its prepared statement by the text, and the text of a cached shape
	 * need not be joined and hashed again.
	 */
	private String sql(List<Planned> planned) {
		long shape = 0;
		boolean cacheable = true;
		for (Planned transition : planned) {
			int inRow = transition.stepsInRow().size();
			cacheable &= inRow <= MAX_STEPS_IN_ROW_OF_A_SHAPE;
			shape = (shape << 8) | (transition.keepsInstanceRow() ? 0x80 : 0)
					| ((transition.history() != null) ? 0x40 : 0) | Math.min(inRow, MAX_STEPS_IN_ROW_OF_A_SHAPE);
		}
		if (!cacheable) {
			return join(planned);
		}
		Shape key = new Shape(planned.size(), shape);
		String cached = this.statements.get(key);
		if (cached != null) {
			return cached;
		}
		String sql = join(planned);
		if (this.statements.size() < MAX_CACHED_SHAPES) {
			this.statements.put(key, sql);
		}
		return sql;
	}

	private String join(List<Planned> planned) {
		List<String> commands = new ArrayList<>();
		for (Planned transition : planned) {
			commands.add(transition.keepsInstanceRow() ? this.transitions.insertHistoryLockingFence()
					: this.transitions.updateInstance());
		}
		for (Planned transition : planned) {
			if (!transition.keepsInstanceRow() && transition.history() != null) {
				commands.add(this.transitions.insertHistoryIfFenceMatches());
			}
		}
		for (Planned transition : planned) {
			for (int i = 0; i < transition.stepsInRow().size(); i++) {
				commands.add(this.transitions.updateStepIfFenceMatches());
			}
		}
		return String.join(";\n", commands);
	}

	private static int bindHistory(PreparedStatement statement, int index, Planned transition) throws SQLException {
		int i = HistoryRows.bind(statement, index, Objects.requireNonNull(transition.history()));
		return TransitionSql.bindFence(statement, i, transition.update());
	}

	/**
	 * The shape of a group: its size, and for each transition, eight bits of whether it
	 * keeps its instance row, whether it has a history row, and how many step rows it
	 * updates.
	 */
	private record Shape(int size, long transitions) {
	}

	/**
	 * A transition of the group and what it writes.
	 *
	 * @param update the transition
	 * @param keepsInstanceRow whether its fence is checked by the insert of its history
	 * row rather than by an update of its instance row
	 * @param history its history row, or {@code null} if it has none
	 */
	private record Planned(InstanceUpdate update, boolean keepsInstanceRow, HistoryRows.@Nullable Row history) {

		List<StepRecord> stepsInRow() {
			return (this.history != null) ? this.history.steps().inRow() : List.of();
		}

	}

}
