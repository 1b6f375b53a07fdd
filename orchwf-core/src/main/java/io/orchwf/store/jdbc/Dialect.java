package io.orchwf.store.jdbc;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;

/**
 * What differs between the databases the JDBC store runs on: how a JSON parameter is
 * bound, how an idempotency key is inserted only if absent, how a node row is inserted or
 * updated, and where the Flyway scripts are. Row locking
 * ({@code FOR UPDATE SKIP LOCKED}), paging ({@code OFFSET/FETCH}) and row-value
 * comparisons are standard in both.
 */
enum Dialect {

	POSTGRESQL("CAST(? AS jsonb)", """
			INSERT INTO %PREFIX%idempotency_keys (idempotency_key, instance_id, created_at)
			VALUES (?, ?, ?)
			ON CONFLICT (idempotency_key) DO NOTHING
			""", """
			INSERT INTO %PREFIX%nodes (node_id, lease_expires_at) VALUES (?, ?)
			ON CONFLICT (node_id) DO UPDATE SET lease_expires_at = EXCLUDED.lease_expires_at
			""", "classpath:db/orchwf/postgresql"),

	H2("? FORMAT JSON", """
			MERGE INTO %PREFIX%idempotency_keys k
			USING (VALUES (CAST(? AS VARCHAR), CAST(? AS UUID), CAST(? AS TIMESTAMP WITH TIME ZONE)))
				AS v (idempotency_key, instance_id, created_at)
			ON k.idempotency_key = v.idempotency_key
			WHEN NOT MATCHED THEN INSERT (idempotency_key, instance_id, created_at)
				VALUES (v.idempotency_key, v.instance_id, v.created_at)
			""", """
			MERGE INTO %PREFIX%nodes (node_id, lease_expires_at) KEY (node_id) VALUES (?, ?)
			""", "classpath:db/orchwf/h2");

	private final String jsonParameter;

	private final String insertIdempotencyKey;

	private final String upsertNode;

	private final String migrationLocation;

	Dialect(String jsonParameter, String insertIdempotencyKey, String upsertNode, String migrationLocation) {
		this.jsonParameter = jsonParameter;
		this.insertIdempotencyKey = insertIdempotencyKey;
		this.upsertNode = upsertNode;
		this.migrationLocation = migrationLocation;
	}

	/**
	 * The SQL that binds one JSON text parameter to a JSON column.
	 * @return a parameter expression
	 */
	String jsonParameter() {
		return this.jsonParameter;
	}

	/**
	 * An insert of (key, instance id, created at) that does nothing when the key exists.
	 * @return the statement, with {@code %PREFIX%} still in it
	 */
	String insertIdempotencyKey() {
		return this.insertIdempotencyKey;
	}

	/**
	 * An insert of (node id, expires at) that updates the expiry when the node exists.
	 * @return the statement, with {@code %PREFIX%} still in it
	 */
	String upsertNode() {
		return this.upsertNode;
	}

	/**
	 * Where the Flyway scripts for this database are.
	 * @return a Flyway location
	 */
	String migrationLocation() {
		return this.migrationLocation;
	}

	static Dialect of(DatabaseMetaData metaData) throws SQLException {
		String product = metaData.getDatabaseProductName().toLowerCase(Locale.ROOT);
		if (product.contains("postgres")) {
			return POSTGRESQL;
		}
		if (product.contains("h2")) {
			return H2;
		}
		throw new IllegalStateException("orchwf's JDBC store supports PostgreSQL and H2, not "
				+ metaData.getDatabaseProductName() + "; use one of them or write a StateStore");
	}

}
