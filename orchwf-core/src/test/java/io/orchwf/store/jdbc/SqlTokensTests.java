package io.orchwf.store.jdbc;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.orchwf.StepStatus;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventType;
import io.orchwf.store.InstanceState;
import io.orchwf.store.InstanceUpdate;
import io.orchwf.store.StepRecord;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Every statement of the JDBC store is SQL without tokens once {@link Sql} resolved it,
 * on PostgreSQL and on H2: the texts every class of the package defines (so that a
 * statement with a token {@link Sql} does not know fails here, used or not), and the
 * statements the store builds from them, in several shapes. A token {@link Sql} does not
 * know is refused, named.
 */
class SqlTokensTests {

	private static final String PREFIX = "workflows.orchwf_";

	/** Anything a token could be, known or not. */
	private static final Pattern TOKEN = Pattern.compile("%\\w+%");

	private static final int[] COUNTS = { 1, 2, 8, Sql.MAX_CACHED_COUNT, Sql.MAX_CACHED_COUNT + 1, 500 };

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	@ParameterizedTest
	@EnumSource(Dialect.class)
	void everyStatementTextOfThePackageResolves(Dialect dialect) throws Exception {
		Sql sql = new Sql(PREFIX, dialect);
		Map<String, String> texts = statementTexts();
		assertThat(texts.keySet()).anyMatch((name) -> name.startsWith("InstanceReader."))
			.anyMatch((name) -> name.startsWith("InstanceWriter."))
			.anyMatch((name) -> name.startsWith("LeaseManager."))
			.anyMatch((name) -> name.startsWith("TransitionSql."))
			.anyMatch((name) -> name.startsWith("Dialect." + dialect + "."))
			.anyMatch((name) -> name.startsWith("Sql."));
		texts.forEach((name, text) -> assertThat(everyShape(sql, text)).as(name).allSatisfy(SqlTokensTests::isSql));
	}

	@ParameterizedTest
	@EnumSource(Dialect.class)
	void everyStatementTheStoreBuildsResolves(Dialect dialect) throws Exception {
		Sql sql = new Sql(PREFIX, dialect);
		TransitionSql transitions = new TransitionSql(sql);
		NoticeChannel notices = (dialect == Dialect.POSTGRESQL) ? NoticeChannel.named("orchwf_work")
				: NoticeChannel.none();
		InstanceWriter writer = new InstanceWriter(sql, transitions, notices);
		TransitionGroupStatement group = new TransitionGroupStatement(transitions);
		List<String> statements = new ArrayList<>();
		for (Object holder : List.of(transitions, writer, new InstanceReader(sql), new LeaseManager(sql, notices),
				group)) {
			statements.addAll(statementsOf(holder));
		}
		statements.add(writer.createStatement(0, 0));
		statements.add(writer.createStatement(1, 1));
		statements.add(writer.createStatement(8, 2));
		statements.add(writer.createStatement(Sql.MAX_CACHED_COUNT + 1, 1));
		String one = group.statement(List.of(changingState(UUID.randomUUID().toString(), false)));
		String eight = group.statement(groupOfEight());
		statements.add(one);
		statements.add(eight);
		assertThat(statements).hasSizeGreaterThan(50).allSatisfy(SqlTokensTests::isSql);
		assertThat(one.split(";\n")).hasSize(2);
		assertThat(eight).contains("UPDATE " + PREFIX + "steps");
		if (dialect == Dialect.POSTGRESQL) {
			assertThat(eight).contains("FOR SHARE");
		}
	}

	@ParameterizedTest
	@EnumSource(Dialect.class)
	void resolvesEachTokenOnce(Dialect dialect) {
		Sql sql = new Sql(PREFIX, dialect);
		assertThat(sql.of("INSERT INTO %PREFIX%signals (payload) VALUES (%JSON%)"))
			.isEqualTo("INSERT INTO " + PREFIX + "signals (payload) VALUES ("
					+ ((dialect == Dialect.POSTGRESQL) ? "CAST(? AS jsonb)" : "? FORMAT JSON") + ")");
		assertThat(sql.of("SELECT %STEP_COLUMNS% FROM t")).startsWith("SELECT instance_id, step_id,");
		assertThat(sql.of("%INSTANCE_SELECT%")).contains(" FROM " + PREFIX + "instances i");
		Sql.Listed listed = sql.listed("DELETE FROM %PREFIX%instances WHERE id IN (%IN%)", Sql.Token.IN, "?");
		assertThat(listed.of(3)).isEqualTo("DELETE FROM " + PREFIX + "instances WHERE id IN (?, ?, ?)")
			.isSameAs(listed.of(3));
		assertThat(listed.of(Sql.MAX_CACHED_COUNT + 1)).endsWith(", ?)");
		assertThat(sql.listed("VALUES %ROWS%", Sql.Token.ROWS, "(?, %JSON%)").of(2))
			.isEqualTo("VALUES (?, %1$s), (?, %1$s)".formatted(dialect.jsonParameter()));
		assertThat(sql.spliced("SELECT 1 FROM %PREFIX%nodes WHERE 1 = 1%WHERE%", Sql.Token.WHERE).with(" AND x = ?"))
			.isEqualTo("SELECT 1 FROM " + PREFIX + "nodes WHERE 1 = 1 AND x = ?");
	}

	@Test
	void refusesATokenItDoesNotKnowNamingIt() {
		Sql sql = new Sql(PREFIX, Dialect.POSTGRESQL);
		assertThatIllegalStateException().isThrownBy(() -> sql.of("SELECT * FROM %PREFIX%instances WHERE %OWNER_GONE%"))
			.withMessageContaining("unknown token %OWNER_GONE%");
		assertThatIllegalStateException().isThrownBy(() -> sql.of("SELECT * FROM %prefix%instances"))
			.withMessageContaining("unknown token %prefix%");
		assertThatIllegalStateException()
			.isThrownBy(() -> sql.listed("SELECT * FROM %PREFIX%nodes WHERE node_id IN (%IN%)", Sql.Token.IN, "%ID%"))
			.withMessageContaining("unknown token %ID%");
		assertThatIllegalStateException()
			.isThrownBy(() -> sql.spliced("SELECT * FROM %TABLE% WHERE 1 = 1 %WHERE%", Sql.Token.WHERE))
			.withMessageContaining("unknown token %TABLE%");
	}

	@Test
	void refusesATokenWhereItCannotBeResolvedNamingIt() {
		Sql sql = new Sql(PREFIX, Dialect.H2);
		assertThatIllegalStateException()
			.isThrownBy(() -> sql.of("SELECT * FROM %PREFIX%nodes WHERE node_id IN (%IN%)"))
			.withMessageContaining("%IN%");
		assertThatIllegalStateException()
			.isThrownBy(() -> sql.listed("SELECT * FROM %PREFIX%nodes WHERE node_id = ?", Sql.Token.IN, "?"))
			.withMessageContaining("holds no %IN%");
		assertThatIllegalStateException()
			.isThrownBy(() -> sql.listed("SELECT * FROM %PREFIX%nodes WHERE 1 = 1 %WHERE%", Sql.Token.WHERE, "?"))
			.withMessageContaining("%WHERE%");
		assertThatIllegalStateException().isThrownBy(() -> sql.spliced("SELECT 1 %LOCK% %LOCK%", Sql.Token.LOCK))
			.withMessageContaining("%LOCK%");
		Sql.Spliced spliced = sql.spliced("SELECT * FROM %PREFIX%nodes WHERE 1 = 1%WHERE%", Sql.Token.WHERE);
		assertThatIllegalStateException().isThrownBy(() -> spliced.with(" AND %PREFIX%nodes.node_id = ?"))
			.withMessageContaining("%PREFIX%");
	}

	/**
	 * The statement texts the classes of this package define: their {@code static final}
	 * strings and the strings of their enum constants, by class and field, those that
	 * hold a {@code %}.
	 */
	private static Map<String, String> statementTexts() throws Exception {
		Path classes = Path.of(Sql.class.getResource("Sql.class").toURI()).getParent();
		List<Class<?>> types = new ArrayList<>();
		try (Stream<Path> files = Files.list(classes)) {
			for (Path file : files.toList()) {
				String name = file.getFileName().toString();
				if (!name.endsWith(".class") || name.equals("package-info.class")) {
					continue;
				}
				types.add(Class.forName(Sql.class.getPackageName() + "." + name.substring(0, name.length() - 6)));
			}
		}
		Map<String, String> texts = new TreeMap<>();
		for (Class<?> type : types) {
			for (Field field : type.getDeclaredFields()) {
				if (field.getType() != String.class) {
					continue;
				}
				field.setAccessible(true);
				if (Modifier.isStatic(field.getModifiers()) && Modifier.isFinal(field.getModifiers())) {
					add(texts, type.getSimpleName() + "." + field.getName(), (String) field.get(null));
				}
				else if (!Modifier.isStatic(field.getModifiers()) && type.isEnum()) {
					for (Object constant : type.getEnumConstants()) {
						add(texts, type.getSimpleName() + "." + constant + "." + field.getName(),
								(String) field.get(constant));
					}
				}
			}
		}
		return texts;
	}

	private static void add(Map<String, String> texts, String name, @Nullable String text) {
		if (text != null && text.indexOf('%') >= 0) {
			texts.put(name, text);
		}
	}

	/**
	 * A statement text resolved as its class would: whole, or for several lists or parts
	 * if it has a token filled per call.
	 */
	private static List<String> everyShape(Sql sql, String text) {
		Sql.Token open = null;
		Matcher matcher = TOKEN.matcher(text);
		while (matcher.find()) {
			for (Sql.Token token : Sql.Token.values()) {
				if (token.text().equals(matcher.group()) && token.kind() != Sql.Kind.FIXED) {
					open = token;
				}
			}
		}
		if (open == null) {
			return List.of(sql.of(text));
		}
		if (open.kind() == Sql.Kind.LIST) {
			return shapesOf(sql.listed(text, open, "(?, ?)"));
		}
		return shapesOf(sql.spliced(text, open));
	}

	/**
	 * The statements a class holds: its strings, and its lists and spliced statements in
	 * several shapes.
	 */
	private static List<String> statementsOf(Object holder) throws IllegalAccessException {
		List<String> statements = new ArrayList<>();
		for (Field field : holder.getClass().getDeclaredFields()) {
			if (Modifier.isStatic(field.getModifiers())) {
				continue;
			}
			field.setAccessible(true);
			Object value = field.get(holder);
			if (value instanceof String statement) {
				statements.add(statement);
			}
			else if (value instanceof Sql.Listed listed) {
				statements.addAll(shapesOf(listed));
			}
			else if (value instanceof Sql.Spliced spliced) {
				statements.addAll(shapesOf(spliced));
			}
		}
		return statements;
	}

	private static List<String> shapesOf(Sql.Listed listed) {
		List<String> shapes = new ArrayList<>();
		for (int count : COUNTS) {
			shapes.add(listed.of(count));
		}
		return shapes;
	}

	private static List<String> shapesOf(Sql.Spliced spliced) {
		return List.of(spliced.with(""), spliced.with(" AND workflow_id = ? AND status IN (?, ?)"),
				spliced.with(" FOR SHARE"));
	}

	private static void isSql(String statement) {
		assertThat(statement).doesNotContainPattern(TOKEN);
	}

	/**
	 * Eight transitions of every shape a group statement has: state changes with and
	 * without a history row, kept instance rows, lease releases, and steps whose changes
	 * go into their rows.
	 */
	private static List<InstanceUpdate> groupOfEight() {
		List<InstanceUpdate> group = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			String id = UUID.randomUUID().toString();
			group.add((i % 2 == 0) ? changingState(id, i == 2) : keepingRow(id, i == 3));
		}
		for (int i = 0; i < 3; i++) {
			String id = UUID.randomUUID().toString();
			group.add(new InstanceUpdate(id, 1, T0, running(), i == 0, List.of(), List.of(), 0, List.of(), i != 1));
		}
		group.add(keepingRow(UUID.randomUUID().toString(), true));
		assertThat(TransitionGroupStatement.fits(group)).isTrue();
		return group;
	}

	private static InstanceUpdate changingState(String id, boolean largeOutput) {
		return new InstanceUpdate(id, 1, T0, running(), false, List.of(completed("validate", largeOutput)),
				List.of(event(id)));
	}

	private static InstanceUpdate keepingRow(String id, boolean largeOutput) {
		return new InstanceUpdate(id, 1, T0, running(), false,
				List.of(completed("validate", largeOutput), completed("pay", largeOutput)), List.of(event(id)), 0,
				List.of(), false);
	}

	private static InstanceState running() {
		return new InstanceState(WorkflowStatus.RUNNING, Map.of(), null, T0, null, null);
	}

	private static StepRecord completed(String stepId, boolean largeOutput) {
		Map<String, Object> output = Map.of("v", largeOutput ? "x".repeat(StepChanges.MAX_OUTPUT_IN_HISTORY) : "x");
		return new StepRecord(stepId, 0, StepStatus.COMPLETED, 1, output, null, T0, T0, null, 1);
	}

	private static WorkflowEvent event(String id) {
		return new WorkflowEvent(WorkflowEventType.STEP_COMPLETED, id, "orders", "validate", 1, T0, Map.of());
	}

}
