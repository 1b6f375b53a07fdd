package io.orchwf.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import javax.sql.DataSource;

import io.orchwf.Page;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowStatus;
import io.orchwf.event.WorkflowEvent;
import io.orchwf.internal.json.JsonCodec;
import io.orchwf.internal.json.TextFlaw;
import io.orchwf.store.ClaimedInstance;
import io.orchwf.store.CreateResult;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.InstanceUpdate;
import io.orchwf.store.LeaseRenewal;
import io.orchwf.store.ScheduleRecord;
import io.orchwf.store.SignalRecord;
import io.orchwf.store.StateStore;
import io.orchwf.store.StepRecord;
import io.orchwf.store.StoreException;
import io.orchwf.store.StoredInstance;
import io.orchwf.store.WorkNotice;
import io.orchwf.store.WorkflowKey;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * The tables ({@code orchwf_nodes}, {@code orchwf_instances}, {@code orchwf_steps},
 * {@code orchwf_history}, {@code orchwf_signals}, {@code orchwf_idempotency_keys}) are
 * those of the Flyway scripts shipped at {@code classpath:db/orchwf/postgresql} and
 * {@code classpath:db/orchwf/h2}, in the connection's current schema. The database is
 * detected from the first connection. Instance ids are UUIDs; any other string names no
 * instance. A transition stores the steps it changed in its history row rather than in
 * {@code orchwf_steps} (but for changes with large outputs): a step's state is its last
 * change in the history, or its row (see {@code StepChanges}).
 *
 * <p>
 * Every method is one transaction. {@link #create}, {@link #addSignal} and the reads run
 * in the caller's transaction when the {@link ConnectionProvider} has one open, so that a
 * start or a signal commits or rolls back with the caller's work and a read sees it; the
 * engine's own writes (transitions, claims, leases, cancellations) always run in
 * transactions of their own. {@link #apply} takes the transitions of many instances at
 * once, which the engine uses to share one commit among them. A failure is a
 * {@link StoreException} that tells whether it may pass (the database is unreachable, a
 * deadlock); the engine retries those with backoff. Transactions are expected to run at
 * the databases' default isolation, READ COMMITTED.
 */
public final class JdbcStateStore implements StateStore {

	private static final Logger logger = LoggerFactory.getLogger(JdbcStateStore.class);

	/** The table prefix of the shipped Flyway scripts. */
	public static final String DEFAULT_TABLE_PREFIX = "orchwf_";

	/** The largest JSON value (input, output, payload) stored by default: 1 MiB. */
	public static final long DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

	/** How many threads commit transitions at once by default. */
	public static final int DEFAULT_WRITE_CONCURRENCY = 4;

	/** How long the row of a node that is gone and owns nothing is kept. */
	private static final Duration NODE_RETENTION = Duration.ofDays(1);

	/** How often a store looks for such rows. */
	private static final Duration NODE_CLEANUP_INTERVAL = Duration.ofHours(1);

	private final ConnectionProvider connections;

	private final String tablePrefix;

	private final long maxPayloadBytes;

	private final int writeConcurrency;

	private final boolean notices;

	private volatile @Nullable Statements statements;

	/** The node rows this store wrote, and until when they keep their nodes alive. */
	private final Map<String, Instant> nodeExpiries = new ConcurrentHashMap<>();

	private final AtomicLong lastNodeCleanupNanos = new AtomicLong(System.nanoTime());

	private final DataSource dataSource;

	private @Nullable NoticeListening listening;

	private JdbcStateStore(Builder builder, ConnectionProvider connections) {
		this.connections = connections;
		this.dataSource = builder.dataSource;
		this.tablePrefix = builder.tablePrefix;
		this.maxPayloadBytes = builder.maxPayloadBytes;
		this.writeConcurrency = builder.writeConcurrency;
		this.notices = builder.notices;
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
		if (!JdbcValues.isInstanceId(instance.id())) {
			throw new IllegalArgumentException("Instance id '" + instance.id() + "' is not a UUID; this store keeps "
					+ "instance ids as UUIDs in their canonical form");
		}
		String owner = instance.leaseOwner();
		Instant leaseExpiresAt = instance.leaseExpiresAt();
		if (owner != null && leaseExpiresAt != null) {
			ensureRegistered(owner, instance.createdAt(), leaseExpiresAt);
		}
		Statements statements = statements();
		InstanceWriter writer = statements.writer;
		CreateResult created = writer.createsInOneStatement(instance, steps, events)
				? inCallerTransactionOrAutoCommit("create instance " + instance.id(),
						(connection) -> writer.createInOneStatement(connection, instance, steps, events))
				: inCallerTransaction("create instance " + instance.id(),
						(connection) -> writer.create(connection, instance, steps, events));
		Instant wakeAt = instance.wakeAt();
		if (created.created() && owner == null && wakeAt != null && !wakeAt.isAfter(instance.createdAt())
				&& statements.notices.name() != null) {
			// a start its node does not take: any node with room may
			afterCommit(() -> sendNotice("a claimable instance", statements.notices::claimable));
		}
		return created;
	}

	/**
	 * Send a notice after the commit that made its work, in a command of its own; one
	 * that cannot be sent is left to the other nodes' polling and heartbeats.
	 * @param what what the notice is of, for the log
	 * @param send sends it on a connection
	 */
	private void sendNotice(String what, NoticeSending send) {
		try {
			inAutoCommit("notify of " + what, (connection) -> {
				send.on(connection);
				return null;
			});
		}
		catch (StoreException ex) {
			logger.debug("Could not tell other nodes of {}; their polling and heartbeats will find it", what, ex);
		}
	}

	/**
	 * The sending of one notice.
	 */
	@FunctionalInterface
	private interface NoticeSending {

		void on(Connection connection) throws SQLException;

	}

	/**
	 * Make sure the owner of a new instance has a live node row, without which the
	 * instance would look orphaned. Its heartbeat keeps the row live from then on, so
	 * this costs a write only for a node's first start and after its row expired. The row
	 * is written in a transaction of its own, never the caller's, whose lock on it would
	 * hold up the node's heartbeat until the caller commits.
	 */
	private void ensureRegistered(String nodeId, Instant now, Instant expiresAt) {
		Instant known = this.nodeExpiries.get(nodeId);
		if (known != null && !known.isBefore(now)) {
			return;
		}
		inTransaction("register node " + nodeId, (connection) -> {
			statements(connection).leases.registerNode(connection, nodeId, expiresAt);
			return null;
		});
		this.nodeExpiries.put(nodeId, expiresAt);
	}

	@Override
	public Set<String> apply(List<InstanceUpdate> updates) {
		if (updates.isEmpty()) {
			return Set.of();
		}
		Set<String> unknown = new HashSet<>();
		List<InstanceUpdate> known = new ArrayList<>(updates.size());
		for (InstanceUpdate update : updates) {
			if (JdbcValues.isInstanceId(update.instanceId())) {
				known.add(update);
			}
			else {
				unknown.add(update.instanceId());
			}
		}
		if (known.isEmpty()) {
			return unknown;
		}
		Statements statements = statements();
		Set<String> rejected;
		if (statements.groupStatement != null && TransitionGroupStatement.fits(known)) {
			rejected = inAutoCommit("store " + known.size() + " transitions",
					(connection) -> statements.groupStatement.apply(connection, known));
		}
		else {
			rejected = inTransaction("store " + known.size() + " transitions",
					(connection) -> statements.writer.apply(connection, known));
		}
		if (unknown.isEmpty()) {
			return rejected;
		}
		Set<String> all = new HashSet<>(rejected);
		all.addAll(unknown);
		return all;
	}

	@Override
	public Optional<StoredInstance> load(String instanceId) {
		if (!JdbcValues.isInstanceId(instanceId)) {
			return Optional.empty();
		}
		return inCallerTransaction("load instance " + instanceId,
				(connection) -> statements(connection).reader.load(connection, instanceId));
	}

	@Override
	public Optional<InstanceRecord> loadInstance(String instanceId) {
		if (!JdbcValues.isInstanceId(instanceId)) {
			return Optional.empty();
		}
		return inCallerTransaction("load instance " + instanceId,
				(connection) -> statements(connection).reader.loadInstance(connection, instanceId));
	}

	@Override
	public Page<StoredInstance> list(WorkflowFilter filter, int limit, int offset) {
		return inCallerTransaction("list instances",
				(connection) -> statements(connection).reader.list(connection, filter, limit, offset));
	}

	@Override
	public Map<WorkflowStatus, Long> countByStatus(@Nullable String workflowId) {
		return inCallerTransaction("count instances",
				(connection) -> statements(connection).reader.countByStatus(connection, workflowId));
	}

	@Override
	public Map<WorkflowKey, Long> countUnfinished() {
		return inTransaction("count unfinished instances",
				(connection) -> statements(connection).reader.countUnfinished(connection));
	}

	@Override
	public long countClaimable(Instant now) {
		return inTransaction("count claimable instances",
				(connection) -> statements(connection).reader.countClaimable(connection, now));
	}

	@Override
	public Optional<Instant> earliestWakeUp() {
		return inTransaction("find the earliest wake-up",
				(connection) -> statements(connection).reader.earliestWakeUp(connection));
	}

	@Override
	public List<WorkflowEvent> history(String instanceId) {
		if (!JdbcValues.isInstanceId(instanceId)) {
			return List.of();
		}
		return inCallerTransaction("read the history of " + instanceId,
				(connection) -> statements(connection).reader.history(connection, instanceId));
	}

	@Override
	public List<ClaimedInstance> claimDue(String nodeId, Collection<WorkflowKey> workflows, Instant now,
			Instant leaseExpiresAt, int limit) {
		List<ClaimedInstance> claimed = claiming("claim due instances", nodeId, now, leaseExpiresAt,
				(connection, leases, extendNode) -> leases.claimDue(connection, nodeId, extendNode, workflows, now,
						leaseExpiresAt, limit));
		forgetLostNodes(now);
		return claimed;
	}

	/**
	 * Claim instances in a transaction, read with their steps and signals, extending the
	 * node's row only when it is not fresh (see {@link #nodeLives}).
	 */
	private List<ClaimedInstance> claiming(String operation, String nodeId, Instant now, Instant leaseExpiresAt,
			ClaimWork work) {
		boolean extendNode = !nodeLives(nodeId, now, leaseExpiresAt);
		List<ClaimedInstance> claimed = inTransaction(operation, (connection) -> statements(connection).reader
			.withStepsAndSignals(connection, work.claim(connection, statements(connection).leases, extendNode)));
		if (extendNode) {
			this.nodeExpiries.put(nodeId, leaseExpiresAt);
		}
		return claimed;
	}

	/**
	 * A claim's own statements.
	 */
	@FunctionalInterface
	private interface ClaimWork {

		List<InstanceRecord> claim(Connection connection, LeaseManager leases, boolean extendNode) throws SQLException;

	}

	/**
	 * Whether the node's row, as this store last wrote it, keeps the node alive for at
	 * least half of the lease a claim asks for. A claim then leaves the row alone: the
	 * node's heartbeat extends it, and an upsert in every claim would make the claims of
	 * one node wait for each other on that row's lock.
	 */
	private boolean nodeLives(String nodeId, Instant now, Instant leaseExpiresAt) {
		Instant known = this.nodeExpiries.get(nodeId);
		if (known == null) {
			return false;
		}
		Duration half = Duration.between(now, leaseExpiresAt).dividedBy(2);
		return known.isAfter(now.plus(half));
	}

	/**
	 * Now and then, delete the rows of nodes that have been gone for a day and own
	 * nothing: every node id that ever ran leaves one.
	 */
	private void forgetLostNodes(Instant now) {
		long nowNanos = System.nanoTime();
		long last = this.lastNodeCleanupNanos.get();
		if (nowNanos - last < NODE_CLEANUP_INTERVAL.toNanos()
				|| !this.lastNodeCleanupNanos.compareAndSet(last, nowNanos)) {
			return;
		}
		inTransaction("forget lost nodes",
				(connection) -> statements(connection).leases.forgetLostNodes(connection, now.minus(NODE_RETENTION)));
	}

	@Override
	public Optional<ClaimedInstance> claim(String instanceId, String nodeId, Instant now, Instant leaseExpiresAt,
			boolean finished) {
		if (!JdbcValues.isInstanceId(instanceId)) {
			return Optional.empty();
		}
		return claiming("claim instance " + instanceId, nodeId, now, leaseExpiresAt,
				(connection, leases, extendNode) -> leases
					.claim(connection, instanceId, nodeId, extendNode, now, leaseExpiresAt, finished)
					.stream()
					.toList())
			.stream()
			.findFirst();
	}

	@Override
	public List<ClaimedInstance> claimAll(Collection<String> instanceIds, String nodeId, Instant now,
			Instant leaseExpiresAt) {
		// a stable order of row locks, and no id the database would refuse
		List<String> ids = instanceIds.stream().filter(JdbcValues::isInstanceId).sorted().distinct().toList();
		if (ids.isEmpty()) {
			return List.of();
		}
		return claiming("claim " + ids.size() + " instances", nodeId, now, leaseExpiresAt, (connection, leases,
				extendNode) -> leases.claimAll(connection, ids, nodeId, extendNode, now, leaseExpiresAt));
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * On PostgreSQL, the store listens with {@code LISTEN} on one connection of its
	 * {@code DataSource}, held while anyone listens, and sends its notices with
	 * {@code NOTIFY} in the transactions that make the work. On H2 it sends none.
	 */
	@Override
	public WorkNotice.Subscription listen(WorkNotice.Listener listener) {
		String channel = statements().notices.name();
		if (channel == null) {
			return WorkNotice.Subscription.NONE;
		}
		NoticeListening current;
		synchronized (this) {
			current = this.listening;
			if (current == null) {
				current = new NoticeListening(this.dataSource, channel);
				this.listening = current;
			}
		}
		return current.add(listener);
	}

	@Override
	public LeaseRenewal renewLeases(String nodeId, Collection<String> instanceIds, Instant leaseExpiresAt) {
		Set<String> malformed = new HashSet<>();
		List<String> ids = new ArrayList<>(instanceIds.size());
		for (String id : instanceIds) {
			if (JdbcValues.isInstanceId(id)) {
				ids.add(id);
			}
			else {
				malformed.add(id);
			}
		}
		LeaseRenewal renewal = inTransaction("renew leases",
				(connection) -> statements(connection).leases.renew(connection, nodeId, ids, leaseExpiresAt));
		this.nodeExpiries.put(nodeId, leaseExpiresAt);
		if (malformed.isEmpty()) {
			return renewal;
		}
		Set<String> lost = new HashSet<>(renewal.lost());
		lost.addAll(malformed);
		return new LeaseRenewal(lost, renewal.cancelRequests());
	}

	@Override
	public void releaseLeases(String nodeId, Collection<String> instanceIds, Instant now, Instant wakeAt) {
		List<String> ids = instanceIds.stream().filter(JdbcValues::isInstanceId).toList();
		if (ids.isEmpty()) {
			return;
		}
		inTransaction("release leases", (connection) -> {
			statements(connection).leases.release(connection, nodeId, ids, now, wakeAt);
			return null;
		});
	}

	@Override
	public ScheduleRecord saveSchedule(ScheduleRecord schedule) {
		// two nodes declaring a new schedule at once: the one whose insert loses reads
		// the winner's row the second time
		for (int attempt = 1;; attempt++) {
			try {
				return inTransaction("save schedule " + schedule.name(),
						(connection) -> statements(connection).schedules.save(connection, schedule));
			}
			catch (StoreException ex) {
				if (attempt == 2 || !(ex.getCause() instanceof SQLException cause)
						|| !StoreFailures.UNIQUE_VIOLATION.equals(cause.getSQLState())) {
					throw ex;
				}
			}
		}
	}

	@Override
	public boolean deleteSchedule(String name) {
		return inTransaction("delete schedule " + name,
				(connection) -> statements(connection).schedules.delete(connection, name));
	}

	@Override
	public List<ScheduleRecord> schedules() {
		return inTransaction("read the schedules", (connection) -> statements(connection).schedules.all(connection));
	}

	@Override
	public boolean advanceSchedule(String name, Instant expectedNextFireAt, Instant firedTick, Instant nextFireAt,
			@Nullable String startedInstanceId) {
		return inTransaction("advance schedule " + name, (connection) -> statements(connection).schedules
			.advance(connection, name, expectedNextFireAt, firedTick, nextFireAt, startedInstanceId));
	}

	@Override
	public int deleteFinished(WorkflowStatus status, Instant finishedBefore, int limit) {
		if (!status.isTerminal()) {
			throw new IllegalArgumentException(status + " instances are unfinished and never deleted");
		}
		if (limit <= 0) {
			return 0;
		}
		return inTransaction("delete " + status + " instances finished before " + finishedBefore,
				(connection) -> statements(connection).expired.delete(connection, status, finishedBefore, limit));
	}

	@Override
	public boolean requestCancel(String instanceId, String reason, Instant now) {
		if (!JdbcValues.isInstanceId(instanceId)) {
			return false;
		}
		return inTransaction("request the cancellation of " + instanceId,
				(connection) -> statements(connection).leases.requestCancel(connection, instanceId, reason, now));
	}

	@Override
	public boolean addSignal(String instanceId, String name, Map<String, Object> payload, WorkflowEvent event) {
		return JdbcValues.isInstanceId(instanceId) && storeSignal(instanceId, name, payload, event).stored();
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * On PostgreSQL the signal's one command returns the workflow id: no read before it.
	 */
	@Override
	public Optional<WorkflowEvent> signal(String instanceId, String name, Map<String, Object> payload,
			Function<String, WorkflowEvent> event) {
		if (!JdbcValues.isInstanceId(instanceId)) {
			return Optional.empty();
		}
		if (!statements().writer.signalsInOneCommand()) {
			return StateStore.super.signal(instanceId, name, payload, event);
		}
		// the history keeps no workflow id: the event stored is the same without one
		InstanceWriter.SignalCount count = storeSignal(instanceId, name, payload, event.apply(""));
		String workflowId = count.workflowId();
		return (count.stored() && workflowId != null) ? Optional.of(event.apply(workflowId)) : Optional.empty();
	}

	private InstanceWriter.SignalCount storeSignal(String instanceId, String name, Map<String, Object> payload,
			WorkflowEvent event) {
		Statements statements = statements();
		InstanceWriter writer = statements.writer;
		InstanceWriter.SignalCount count = writer.signalsInOneCommand()
				? inCallerTransactionOrAutoCommit("signal instance " + instanceId,
						(connection) -> writer.addSignal(connection, instanceId, name, payload, event))
				: inCallerTransaction("signal instance " + instanceId,
						(connection) -> writer.addSignal(connection, instanceId, name, payload, event));
		if (count.stored() && statements.notices.tellsOf(count.owner())) {
			// the node driving the instance hears of it now, not at its next heartbeat
			afterCommit(() -> sendNotice("a signal to " + instanceId,
					(connection) -> statements.notices.changed(connection, count.owner(), instanceId)));
		}
		return count;
	}

	@Override
	public List<SignalRecord> signals(String instanceId, String name) {
		if (!JdbcValues.isInstanceId(instanceId)) {
			return List.of();
		}
		return inCallerTransaction("read signals of " + instanceId,
				(connection) -> statements(connection).reader.signals(connection, instanceId, name));
	}

	@Override
	public List<SignalRecord> signals(String instanceId) {
		if (!JdbcValues.isInstanceId(instanceId)) {
			return List.of();
		}
		return inCallerTransaction("read signals of " + instanceId,
				(connection) -> statements(connection).reader.signals(connection, instanceId));
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * This store also refuses the character U+0000 in strings and keys, which PostgreSQL
	 * cannot store, and unpaired surrogates, which no database stores as they are.
	 */
	@Override
	public void checkValue(Map<String, Object> value, String what) {
		TextFlaw flaw = TextFlaw.in(value);
		if (flaw != null) {
			throw new IllegalArgumentException(flaw.describe(what));
		}
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
		return run(ConnectionProvider::inTransaction, operation, work);
	}

	private <T> T inAutoCommit(String operation, ConnectionProvider.TransactionWork<T> work) {
		return run(ConnectionProvider::inAutoCommit, operation, work);
	}

	private <T> T inCallerTransactionOrAutoCommit(String operation, ConnectionProvider.TransactionWork<T> work) {
		return run(ConnectionProvider::inCallerTransactionOrAutoCommit, operation, work);
	}

	private <T> T inCallerTransaction(String operation, ConnectionProvider.TransactionWork<T> work) {
		return run(ConnectionProvider::inCallerTransaction, operation, work);
	}

	private <T> T run(Scope scope, String operation, ConnectionProvider.TransactionWork<T> work) {
		try {
			return scope.run(this.connections, work);
		}
		catch (SQLException ex) {
			throw StoreFailures.translate(operation, ex);
		}
	}

	private Statements statements() {
		Statements resolved = this.statements;
		return (resolved != null) ? resolved : inTransaction("detect the database", this::statements);
	}

	/**
	 * The statements for the database behind a connection the caller holds, detecting it
	 * on that connection the first time: taking a second connection here could wait
	 * forever for a pool whose every connection is held by a thread doing the same.
	 */
	private Statements statements(Connection connection) throws SQLException {
		Statements resolved = this.statements;
		if (resolved == null) {
			synchronized (this) {
				resolved = this.statements;
				if (resolved == null) {
					Dialect dialect = Dialect.of(connection.getMetaData());
					NoticeChannel notices = (dialect == Dialect.POSTGRESQL && this.notices)
							? NoticeChannel.of(connection, this.tablePrefix) : NoticeChannel.none();
					resolved = new Statements(dialect, new Sql(this.tablePrefix, dialect), this.tablePrefix, notices);
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
	 * One of the ways a {@link ConnectionProvider} runs work: in a transaction of its
	 * own, in auto-commit mode, or in the caller's transaction.
	 */
	@FunctionalInterface
	private interface Scope {

		<T> T run(ConnectionProvider connections, ConnectionProvider.TransactionWork<T> work) throws SQLException;

	}

	/**
	 * The statements for the detected database, built once.
	 */
	private static final class Statements {

		private final Dialect dialect;

		private final InstanceWriter writer;

		private final InstanceReader reader;

		private final LeaseManager leases;

		/** Stores a group of transitions in one round trip; only on PostgreSQL. */
		private final @Nullable TransitionGroupStatement groupStatement;

		private final NoticeChannel notices;

		private final ExpiredInstances expired;

		private final ScheduleRows schedules;

		Statements(Dialect dialect, Sql sql, String tablePrefix, NoticeChannel notices) {
			this.dialect = dialect;
			this.notices = notices;
			this.expired = new ExpiredInstances(sql, tablePrefix);
			this.schedules = new ScheduleRows(sql);
			TransitionSql transitions = new TransitionSql(sql);
			this.writer = new InstanceWriter(sql, transitions, notices);
			this.groupStatement = (dialect == Dialect.POSTGRESQL) ? new TransitionGroupStatement(transitions) : null;
			this.reader = new InstanceReader(sql);
			this.leases = new LeaseManager(sql, notices);
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

		private boolean notices = true;

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
		 * Whether nodes tell each other of work through the database (on PostgreSQL,
		 * {@code LISTEN}/{@code NOTIFY} on one connection of the data source per store):
		 * a signal or cancellation through one node reaches the node driving the instance
		 * at once, and a full node's starts go to nodes with room. Without, nodes find
		 * that work at their next poll or heartbeat. Turn it off behind a pooler that
		 * does not keep a session per client (PgBouncer in transaction mode), where
		 * {@code LISTEN} does not work.
		 * @param notices {@code true} by default; H2 sends none either way
		 * @return this builder
		 */
		public Builder notices(boolean notices) {
			this.notices = notices;
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
