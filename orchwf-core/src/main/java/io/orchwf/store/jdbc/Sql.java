package io.orchwf.store.jdbc;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The one place where the statement texts of the JDBC classes become the store's SQL.
 * Every {@code %TOKEN%} a statement may hold is a {@link Token} here, documented with
 * what it stands for on PostgreSQL and on H2; a statement is resolved once, when its
 * class is built, and one that holds a token this class does not know, or that it cannot
 * resolve where it is asked to, is refused with an {@link IllegalStateException} naming
 * the token. Statements with a part that varies per call (a list of values, the
 * conditions of a filter) are resolved but for that part ({@link Listed},
 * {@link Spliced}), so a call only joins ready texts. Nothing a caller passes is ever put
 * into SQL text; values are bound.
 */
final class Sql {

	/**
	 * A token: a word between percent signs. Any such word in a statement is taken for
	 * one, so that a misspelt or unknown token is refused rather than sent.
	 */
	private static final Pattern TOKEN = Pattern.compile("%(\\w+)%");

	/** The largest count whose text a {@link Listed} keeps. */
	static final int MAX_CACHED_COUNT = 64;

	/**
	 * The instance columns every query that maps an
	 * {@link io.orchwf.store.InstanceRecord} selects (see {@link JdbcValues#instance}),
	 * of the instances table as {@code i}.
	 */
	private static final String INSTANCE_COLUMNS = """
			i.id, i.workflow_id, i.workflow_version, i.status, i.input, i.output, i.error, i.metadata, i.trace_id,
			i.correlation_id, i.business_id, i.idempotency_key, i.created_at, i.started_at, i.completed_at, i.wake_at,
			i.lease_owner, i.fence, i.cancel_reason, i.concurrency_key, i.priority, i.max_concurrency, i.max_per_key""";

	private static final String INSTANCE_SELECT = "SELECT " + INSTANCE_COLUMNS
			+ ", n.lease_expires_at AS lease_expires_at FROM %PREFIX%instances i"
			+ " LEFT JOIN %PREFIX%nodes n ON n.node_id = i.lease_owner";

	private static final String CLAIM_SELECT = "SELECT " + INSTANCE_COLUMNS
			+ ", NULL AS lease_expires_at FROM %PREFIX%instances i";

	private static final String STEP_COLUMNS = """
			instance_id, step_id, position, status, attempts, output, error, error_type, started_at, completed_at,
			wake_at, completion_order""";

	private static final String OWNER_LOST = """
			NOT EXISTS (SELECT 1 FROM %PREFIX%nodes n
				WHERE n.node_id = i.lease_owner AND n.lease_expires_at >= ?)""";

	/**
	 * An instance that waits for a slot: not started, no lease, limited, and no
	 * cancellation asked for (which needs no slot).
	 */
	private static final String WAITS_FOR_SLOT = """
			(i.status = 'PENDING' AND i.lease_owner IS NULL AND i.cancel_reason IS NULL
				AND (i.max_concurrency > 0 OR (i.max_per_key > 0 AND i.concurrency_key IS NOT NULL)))""";

	private final Dialect dialect;

	/** What each {@link Kind#FIXED} token stands for in this store. */
	private final Map<Token, String> fixed = new EnumMap<>(Token.class);

	Sql(String prefix, Dialect dialect) {
		this.dialect = dialect;
		this.fixed.put(Token.PREFIX, prefix);
		this.fixed.put(Token.JSON, dialect.jsonParameter());
		// a fragment may hold the tokens declared before it
		for (Token token : Token.values()) {
			if (token.fragment != null) {
				this.fixed.put(token, of(token.fragment));
			}
		}
	}

	Dialect dialect() {
		return this.dialect;
	}

	/**
	 * Resolve a statement whose tokens are all {@link Kind#FIXED}.
	 * @param template the statement with its tokens
	 * @return executable SQL
	 * @throws IllegalStateException if the statement holds a token that is unknown or
	 * filled per call
	 */
	String of(String template) {
		return split(template, null)[0];
	}

	/**
	 * Resolve a statement but for its list ({@link Kind#LIST} token), which a call fills
	 * with a number of tuples.
	 * @param template the statement with its tokens, the list token once
	 * @param token the list token
	 * @param tuple the SQL of one element, such as {@code ?} or {@code (?, ?)}, which may
	 * hold fixed tokens
	 * @return the statement, to complete per call
	 * @throws IllegalStateException if the statement or the tuple holds a token that is
	 * unknown or not resolved here
	 */
	Listed listed(String template, Token token, String tuple) {
		requireKind(token, Kind.LIST);
		String[] parts = split(template, token);
		return new Listed(parts[0], of(tuple), parts[1]);
	}

	/**
	 * Resolve a statement but for one {@link Kind#PART} token, which a call fills with a
	 * fragment of fixed SQL.
	 * @param template the statement with its tokens, the part token once
	 * @param token the part token
	 * @return the statement, to complete per call
	 * @throws IllegalStateException if the statement holds a token that is unknown or not
	 * resolved here
	 */
	Spliced spliced(String template, Token token) {
		requireKind(token, Kind.PART);
		String[] parts = split(template, token);
		return new Spliced(parts[0], parts[1]);
	}

	private static void requireKind(Token token, Kind kind) {
		if (token.kind != kind) {
			throw new IllegalStateException(token.text() + " is not a " + kind + " token");
		}
	}

	/**
	 * Resolve the fixed tokens of a statement, splitting it at its open token if it has
	 * one.
	 * @return the resolved text, or the texts before and after the open token
	 */
	private String[] split(String template, @Nullable Token open) {
		Matcher matcher = TOKEN.matcher(template);
		StringBuilder text = new StringBuilder(template.length() + 256);
		String head = null;
		int from = 0;
		while (matcher.find()) {
			Token token = Token.named(matcher.group(1));
			if (token == null) {
				throw new IllegalStateException("Statement holds the unknown token " + matcher.group()
						+ ", which Sql does not resolve; add it to Sql.Token or remove it: " + template.strip());
			}
			text.append(template, from, matcher.start());
			from = matcher.end();
			if (token == open && head == null) {
				head = text.toString();
				text.setLength(0);
				continue;
			}
			String value = this.fixed.get(token);
			if (value == null) {
				throw new IllegalStateException("Statement holds " + token.text() + ", which is filled per call"
						+ ((token == open) ? " and may stand once" : "") + "; resolve it with Sql."
						+ ((token.kind == Kind.LIST) ? "listed" : "spliced") + ": " + template.strip());
			}
			text.append(value);
		}
		text.append(template, from, template.length());
		if (open == null) {
			return new String[] { text.toString() };
		}
		if (head == null) {
			throw new IllegalStateException("Statement holds no " + open.text() + ": " + template.strip());
		}
		return new String[] { head, text.toString() };
	}

	/**
	 * When a token is resolved.
	 */
	enum Kind {

		/** When the statement is: it stands for the same text in every call. */
		FIXED,

		/** Per call, by {@link Listed}: a list of some number of tuples. */
		LIST,

		/**
		 * Per call, by {@link Spliced}: a fragment of fixed SQL the statement's class
		 * holds.
		 */
		PART

	}

	/**
	 * Every token of the store's statements.
	 */
	enum Token {

		/**
		 * The table prefix, such as {@code orchwf_} or {@code workflows.orchwf_}; the
		 * same on PostgreSQL and H2.
		 */
		PREFIX(Kind.FIXED, null),

		/**
		 * One bound JSON parameter: {@code CAST(? AS jsonb)} on PostgreSQL,
		 * {@code ? FORMAT JSON} on H2 (see {@link Dialect#jsonParameter}).
		 */
		JSON(Kind.FIXED, null),

		/**
		 * Selects instances as {@code i} with the expiry of their owner's lease, which is
		 * its node's; a {@code WHERE} clause follows. The same on PostgreSQL and H2.
		 */
		INSTANCE_SELECT(Kind.FIXED, Sql.INSTANCE_SELECT),

		/**
		 * Selects instances as {@code i} to lock them for a claim, which sets the lease;
		 * a {@code WHERE} clause follows. The same on PostgreSQL and H2.
		 */
		CLAIM_SELECT(Kind.FIXED, Sql.CLAIM_SELECT),

		/**
		 * The step columns every query that maps a {@link io.orchwf.store.StepRecord}
		 * selects (see {@link JdbcValues#step}); the same on PostgreSQL and H2.
		 */
		STEP_COLUMNS(Kind.FIXED, Sql.STEP_COLUMNS),

		/**
		 * The condition that the owner of instance {@code i} is no longer trusted: its
		 * node row expired before the bound time, or is gone. The same on PostgreSQL and
		 * H2.
		 */
		OWNER_LOST(Kind.FIXED, Sql.OWNER_LOST),

		/**
		 * The condition that instance {@code i} waits for a slot of its workflow's
		 * concurrency limits, which only the claims of queued instances give (see
		 * {@link QueuedClaims}); the same on PostgreSQL and H2.
		 */
		WAITS_FOR_SLOT(Kind.FIXED, Sql.WAITS_FOR_SLOT),

		/**
		 * The elements of an {@code IN} list: a number of placeholders ({@code ?}) or
		 * tuples ({@code (?, ?)}), joined by commas; the same on PostgreSQL and H2.
		 */
		IN(Kind.LIST, null),

		/**
		 * The rows of a multi-row {@code VALUES}: a number of row tuples, joined by
		 * commas; the same on PostgreSQL and H2.
		 */
		ROWS(Kind.LIST, null),

		/**
		 * The conditions of a filtered read: fixed {@code AND} clauses whose values are
		 * bound, or nothing; the same on PostgreSQL and H2.
		 */
		WHERE(Kind.PART, null),

		/**
		 * The row lock a fence check's read of the instance row takes: nothing, or
		 * {@code FOR SHARE}, which holds the row until the commit. The same text on
		 * PostgreSQL and H2, but only PostgreSQL is sent the locking one: H2 has no
		 * shared row locks.
		 */
		LOCK(Kind.PART, null);

		private final Kind kind;

		private final @Nullable String fragment;

		Token(Kind kind, @Nullable String fragment) {
			this.kind = kind;
			this.fragment = fragment;
		}

		Kind kind() {
			return this.kind;
		}

		static @Nullable Token named(String name) {
			for (Token token : values()) {
				if (token.name().equals(name)) {
					return token;
				}
			}
			return null;
		}

		/**
		 * The token as statements write it.
		 * @return the name between percent signs
		 */
		String text() {
			return "%" + name() + "%";
		}

	}

	/**
	 * A statement resolved but for its list, which {@link #of} fills with a number of
	 * tuples. The texts of the smaller counts are kept, so that a statement built per
	 * call is joined once per count.
	 */
	static final class Listed {

		private final String head;

		private final String tuple;

		private final String tail;

		private final AtomicReferenceArray<String> texts = new AtomicReferenceArray<>(MAX_CACHED_COUNT + 1);

		private Listed(String head, String tuple, String tail) {
			this.head = head;
			this.tuple = tuple;
			this.tail = tail;
		}

		/**
		 * The statement with a list of the given number of tuples.
		 * @param count how many tuples, at least one
		 * @return executable SQL
		 */
		String of(int count) {
			if (count < 1) {
				throw new IllegalArgumentException("A list needs at least one element but got " + count);
			}
			if (count > MAX_CACHED_COUNT) {
				return join(count);
			}
			String text = this.texts.get(count);
			if (text == null) {
				text = join(count);
				this.texts.set(count, text);
			}
			return text;
		}

		private String join(int count) {
			StringBuilder text = new StringBuilder(
					this.head.length() + count * (this.tuple.length() + 2) + this.tail.length());
			text.append(this.head).append(this.tuple);
			for (int i = 1; i < count; i++) {
				text.append(", ").append(this.tuple);
			}
			return text.append(this.tail).toString();
		}

	}

	/**
	 * A statement resolved but for one part, which {@link #with} fills with a fragment of
	 * fixed SQL.
	 */
	static final class Spliced {

		private final String head;

		private final String tail;

		private Spliced(String head, String tail) {
			this.head = head;
			this.tail = tail;
		}

		/**
		 * The statement with its part.
		 * @param part a fragment of SQL the statement's class holds, never a value
		 * @return executable SQL
		 * @throws IllegalStateException if the part holds a token
		 */
		String with(String part) {
			if (part.indexOf('%') >= 0) {
				Matcher matcher = TOKEN.matcher(part);
				if (matcher.find()) {
					throw new IllegalStateException(
							"A part spliced into a statement holds the token " + matcher.group() + ": " + part);
				}
			}
			return this.head.concat(part).concat(this.tail);
		}

	}

}
