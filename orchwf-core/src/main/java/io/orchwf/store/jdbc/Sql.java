package io.orchwf.store.jdbc;

import java.util.Collections;

/**
 * Turns statement templates into the store's SQL: the one {@code %PREFIX%} token becomes
 * the table prefix, {@code %JSON%} the dialect's JSON parameter, and {@code %IN%} a list
 * of bind placeholders. Nothing a caller passes is ever put into SQL text; values are
 * bound.
 */
final class Sql {

	private final String prefix;

	private final Dialect dialect;

	Sql(String prefix, Dialect dialect) {
		this.prefix = prefix;
		this.dialect = dialect;
	}

	Dialect dialect() {
		return this.dialect;
	}

	/**
	 * Resolve a template.
	 * @param template the statement with its tokens
	 * @return executable SQL
	 */
	String of(String template) {
		return template.replace("%PREFIX%", this.prefix).replace("%JSON%", this.dialect.jsonParameter());
	}

	/**
	 * Resolve a template whose {@code %IN%} token stands for a list of values.
	 * @param template the statement with its tokens
	 * @param count how many values the list binds
	 * @param tuple the placeholder of one value, such as {@code ?} or {@code (?, ?)}
	 * @return executable SQL
	 */
	String of(String template, int count, String tuple) {
		return of(template).replace("%IN%", String.join(", ", Collections.nCopies(count, tuple)));
	}

}
