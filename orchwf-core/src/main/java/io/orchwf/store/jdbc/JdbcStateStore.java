package io.orchwf.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import io.orchwf.Page;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.internal.json.JsonCodec;
import io.orchwf.store.CreateResult;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.InstanceUpdate;
import io.orchwf.store.LeaseRenewal;
import io.orchwf.store.SignalRecord;
import io.orchwf.store.StateStore;
import io.orchwf.store.StepRecord;
import io.orchwf.store.StoreException;
import io.orchwf.store.StoredInstance;
import io.orchwf.store.WorkflowKey;
import org.jspecify.annotations.Nullable;

/**
 * A durable {@link StateStore} on PostgreSQL or H2, in plain JDBC.
 *
 * <pre>{@code
 * Flyway.configure()
 *     .dataSource(dataSource)
 *     .locations("classpath:db/orchwf/postgresql")
 *     .table("orchwf_schema_history")
 *     .load()
 *     .migrate();
 * StateStore store = JdbcStateStore.builder(dataSource).build();
 * }</pre>
 *
 * <p>
 * The tables ({@code orchwf_instances}, {@code orchwf_steps}, {@code orchwf_events},
 * {@code orchwf_signals}, {@code orchwf_idempotency_keys}) are those of the Flyway
 * scripts shipped at {@code classpath:db/orchwf/postgresql} and
 * {@code classpath:db/orchwf/h2}, in the connection's current schema. The database is
 * detected from the first connection. Every method is one transaction; {@link #apply}
 * takes the transitions of many instances at once, which the engine uses to share one
 * commit among them. A failure to reach the database is a {@link StoreException}, which
 * the engine retries with backoff.
 */
public final class JdbcStateStore implements StateStore {

	/** The table prefix of the shipped Flyway scripts. */
	public static final String DEFAULT_TABLE_PREFIX = "orchwf_";

	/** The largest JSON value (input, output, payload) stored by default: 1 MiB. */
	public static final long DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

	/** How many threads commit transitions at once by default. */
	public static final int DEFAULT_WRITE_CONCURRENCY = 4;

	private final ConnectionProvider connections;

	private final String tablePrefix;

	private final long maxPayloadBytes;

	private final int writeConcurrency;

	private volatile @Nullable Statements statements;

	private JdbcStateStore(Builder builder, ConnectionProvider connections) {
		this.connections = connections;
		this.tablePrefix = builder.tablePrefix;
		this.maxPayloadBytes = builder.maxPayloadBytes;
		this.writeConcurrency = builder.writeConcurrency;
	}

	/**
	 * Start configuring a store.
	 * @param dataSource where connections come from (use a pooled one)
	 * @return a new builder
	 */
	public static Builder builder(DataSource dataSource) {
		return new Builder(dataSource);
	}

	/**
	 * The Flyway location of the scripts for this store's database.
	 * @return {@code classpath:db/orchwf/postgresql} or {@code classpath:db/orchwf/h2}
	 * @throws StoreException if the database cannot be reached to tell
	 */
	public String migrationLocation() {
		return statements().dialect.migrationLocation();
	}

	@Override
	public CreateResult create(InstanceRecord instance, List<StepRecord> steps, List<WorkflowEvent> events) {
		return inTransaction("create instance " + instance.id(),
				(connection) -> statements().writer.create(connection, instance, steps, events));
	}

	@Override
	public Set<String> apply(List<InstanceUpdate> updates) {
		if (updates.isEmpty()) {
			return Set.of();
		}
		return inTransaction("store " + updates.size() + " transitions",
				(connection) -> statements().writer.apply(connection, updates));
	}

	@Override
	public Optional<StoredInstance> load(String instanceId) {
		return inTransaction("load instance " + instanceId,
				(connection) -> statements().reader.load(connection, instanceId));
	}

	@Override
	public Page<StoredInstance> list(WorkflowFilter filter, int limit, int offset) {
		return inTransaction("list instances",
				(connection) -> statements().reader.list(connection, filter, limit, offset));
	}

	@Override
	public Map<WorkflowStatus, Long> countByStatus(@Nullable String workflowId) {
		return inTransaction("count instances",
				(connection) -> statements().reader.countByStatus(connection, workflowId));
	}

	@Override
	public Map<WorkflowKey, Long> countUnfinished() {
		return inTransaction("count unfinished instances",
				(connection) -> statements().reader.countUnfinished(connection));
	}

	@Override
	public long countClaimable(Instant now) {
		return inTransaction("count claimable instances",
				(connection) -> statements().reader.countClaimable(connection, now));
	}

	@Override
	public List<WorkflowEvent> history(String instanceId) {
		return inTransaction("read the history of " + instanceId,
				(connection) -> statements().reader.history(connection, instanceId));
	}

	@Override
	public List<InstanceRecord> claimDue(String nodeId, Collection<WorkflowKey> workflows, Instant now,
			Instant leaseExpiresAt, int limit) {
		return inTransaction("claim due instances", (connection) -> statements().leases.claimDue(connection, nodeId,
				workflows, now, leaseExpiresAt, limit));
	}

	@Override
	public Optional<InstanceRecord> claim(String instanceId, String nodeId, Instant now, Instant leaseExpiresAt) {
		return inTransaction("claim instance " + instanceId,
				(connection) -> statements().leases.claim(connection, instanceId, nodeId, now, leaseExpiresAt));
	}

	@Override
	public LeaseRenewal renewLeases(String nodeId, Collection<String> instanceIds, Instant leaseExpiresAt) {
		if (instanceIds.isEmpty()) {
			return new LeaseRenewal(Set.of(), Map.of());
		}
		return inTransaction("renew leases",
				(connection) -> statements().leases.renew(connection, nodeId, instanceIds, leaseExpiresAt));
	}

	@Override
	public void releaseLeases(String nodeId, Collection<String> instanceIds, Instant now) {
		if (instanceIds.isEmpty()) {
			return;
		}
		inTransaction("release leases", (connection) -> {
			statements().leases.release(connection, nodeId, instanceIds, now);
			return null;
		});
	}

	@Override
	public boolean requestCancel(String instanceId, String reason, Instant now) {
		return inTransaction("request the cancellation of " + instanceId,
				(connection) -> statements().leases.requestCancel(connection, instanceId, reason, now));
	}

	@Override
	public boolean addSignal(String instanceId, String name, Map<String, Object> payload, WorkflowEvent event) {
		return inTransaction("signal instance " + instanceId,
				(connection) -> statements().writer.addSignal(connection, instanceId, name, payload, event));
	}

	@Override
	public List<SignalRecord> signals(String instanceId, String name) {
		return inTransaction("read signals of " + instanceId,
				(connection) -> statements().reader.signals(connection, instanceId, name));
	}

	@Override
	public void checkValue(Map<String, Object> value, String what) {
		long size = JsonCodec.size(value);
		if (size > this.maxPayloadBytes) {
			throw new IllegalArgumentException(what + " is " + size + " bytes of JSON, more than the "
					+ this.maxPayloadBytes + " bytes this store accepts; keep large data elsewhere and pass a "
					+ "reference, or raise JdbcStateStore.Builder.maxPayloadBytes");
		}
	}

	@Override
	public int writeConcurrency() {
		return this.writeConcurrency;
	}

	@Override
	public void afterCommit(Runnable action) {
		this.connections.afterCommit(action);
	}

	private <T> T inTransaction(String operation, ConnectionProvider.TransactionWork<T> work) {
		try {
			return this.connections.inTransaction(work);
		}
		catch (SQLException ex) {
			throw new StoreException(
					"Could not " + operation + ": " + ex.getMessage() + " (SQL state " + ex.getSQLState() + ")", ex);
		}
	}

	private Statements statements() {
		Statements resolved = this.statements;
		if (resolved == null) {
			synchronized (this) {
				resolved = this.statements;
				if (resolved == null) {
					Dialect dialect = inTransaction("detect the database",
							(Connection connection) -> Dialect.of(connection.getMetaData()));
					resolved = new Statements(dialect, new Sql(this.tablePrefix, dialect));
					this.statements = resolved;
				}
			}
		}
		return resolved;
	}

	@Override
	public String toString() {
		Statements resolved = this.statements;
		return "JdbcStateStore[" + ((resolved != null) ? resolved.dialect : "database not detected yet") + ", tables "
				+ this.tablePrefix + "*]";
	}

	/**
	 * The statements for the detected database, built once.
	 */
	private static final class Statements {

		private final Dialect dialect;

		private final InstanceWriter writer;

		private final InstanceReader reader;

		private final LeaseManager leases;

		Statements(Dialect dialect, Sql sql) {
			this.dialect = dialect;
			this.writer = new InstanceWriter(sql);
			this.reader = new InstanceReader(sql);
			this.leases = new LeaseManager(sql);
		}

	}

	/**
	 * Configures a {@link JdbcStateStore}.
	 */
	public static final class Builder {

		private final DataSource dataSource;

		private @Nullable ConnectionProvider connectionProvider;

		private String tablePrefix = DEFAULT_TABLE_PREFIX;

		private long maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;

		private int writeConcurrency = DEFAULT_WRITE_CONCURRENCY;

		private Builder(DataSource dataSource) {
			if (dataSource == null) {
				throw new IllegalArgumentException("dataSource must not be null");
			}
			this.dataSource = dataSource;
		}

		/**
		 * How the store gets connections and transactions; the default runs each
		 * operation in a transaction of its own. Supply one that joins the caller's
		 * transaction to make a start commit or roll back with it.
		 * @param connectionProvider the provider
		 * @return this builder
		 */
		public Builder connectionProvider(ConnectionProvider connectionProvider) {
			if (connectionProvider == null) {
				throw new IllegalArgumentException("connectionProvider must not be null");
			}
			this.connectionProvider = connectionProvider;
			return this;
		}

		/**
		 * The prefix of the table names, which may include a schema
		 * ({@code "workflows.orchwf_"}). The shipped Flyway scripts create
		 * {@code orchwf_} tables.
		 * @param tablePrefix letters, digits, underscores and one optional dot; default
		 * {@value #DEFAULT_TABLE_PREFIX}
		 * @return this builder
		 */
		public Builder tablePrefix(String tablePrefix) {
			if (tablePrefix == null || !tablePrefix.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
				throw new IllegalArgumentException(
						"tablePrefix must be an SQL identifier prefix such as 'orchwf_' or 'schema.orchwf_' but was '"
								+ tablePrefix + "'");
			}
			this.tablePrefix = tablePrefix;
			return this;
		}

		/**
		 * The largest JSON value the store accepts (an input, a step output, a signal
		 * payload); a larger one fails its start or step with a clear message.
		 * @param maxPayloadBytes a positive number of bytes; default 1 MiB
		 * @return this builder
		 */
		public Builder maxPayloadBytes(long maxPayloadBytes) {
			if (maxPayloadBytes < 1) {
				throw new IllegalArgumentException("maxPayloadBytes must be positive but was " + maxPayloadBytes);
			}
			this.maxPayloadBytes = maxPayloadBytes;
			return this;
		}

		/**
		 * How many threads commit transitions at once, each grouping the transitions that
		 * wait at that moment into one transaction. Each holds a connection while it
		 * commits.
		 * @param writeConcurrency at least 1; default {@value #DEFAULT_WRITE_CONCURRENCY}
		 * @return this builder
		 */
		public Builder writeConcurrency(int writeConcurrency) {
			if (writeConcurrency < 1) {
				throw new IllegalArgumentException("writeConcurrency must be >= 1 but was " + writeConcurrency);
			}
			this.writeConcurrency = writeConcurrency;
			return this;
		}

		/**
		 * Build the store. It does not connect until first used.
		 * @return the store
		 */
		public JdbcStateStore build() {
			ConnectionProvider provider = (this.connectionProvider != null) ? this.connectionProvider
					: new DataSourceConnectionProvider(this.dataSource);
			return new JdbcStateStore(this, provider);
		}

	}

}
