package io.orchwf.internal.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.orchwf.OrchwfException;
import io.orchwf.WorkflowFilter;
import io.orchwf.WorkflowStatus;
import io.orchwf.internal.engine.node.Claims.Activation;
import io.orchwf.internal.engine.node.NodeRuntime;
import io.orchwf.internal.json.TextFlaw;
import io.orchwf.internal.plan.WorkflowRegistry;
import io.orchwf.store.InstanceRecord;
import io.orchwf.store.StateStore;
import io.orchwf.store.StoredInstance;
import org.jspecify.annotations.Nullable;

/**
 * Cancels or resumes every instance a filter matches, a page at a time.
 *
 * <p>
 * Acting on an instance takes it out of the instances that match (a cancelled instance is
 * no longer running, a resumed one no longer failed), which would shift an offset past
 * others; so the pages are keyed by creation time instead: each page holds the instances
 * created no later than the oldest one of the page before, newest first, as the stores
 * list them. The instances of that last instant that were acted on already are remembered
 * and skipped, so that instances created at the same instant (a clock that stands still,
 * in tests) are neither missed nor taken twice.
 */
final class BulkActions {

	/** How many instances are read and acted on at a time. */
	static final int PAGE_SIZE = 100;

	private static final Set<WorkflowStatus> CANCELLABLE = EnumSet.of(WorkflowStatus.PENDING, WorkflowStatus.RUNNING,
			WorkflowStatus.WAITING);

	private static final Set<WorkflowStatus> RESUMABLE = EnumSet.of(WorkflowStatus.FAILED);

	private final StateStore store;

	private final NodeRuntime runtime;

	private final WorkflowRegistry registry;

	private final Duration storeWait;

	/**
	 * Create the bulk actions of an engine.
	 * @param store the store, which lists the instances
	 * @param runtime the node, which cancels and claims them
	 * @param registry the registered workflows: only their instances can be resumed here
	 * @param storeWait how long a resumption may take to be stored before it is given up
	 * on (not counted)
	 */
	BulkActions(StateStore store, NodeRuntime runtime, WorkflowRegistry registry, Duration storeWait) {
		this.store = store;
		this.runtime = runtime;
		this.registry = registry;
		this.storeWait = storeWait;
	}

	/**
	 * Ask every matching instance that is pending, running or waiting to be cancelled.
	 * @return how many were asked
	 */
	int cancelAll(@Nullable WorkflowFilter filter, @Nullable String reason) {
		requireFilter(filter);
		if (reason == null || reason.isBlank()) {
			throw new IllegalArgumentException(
					"reason must not be blank: say why the instances are cancelled, as their error will");
		}
		TextFlaw flaw = TextFlaw.of(reason);
		if (flaw != null) {
			throw new IllegalArgumentException(flaw.describe("reason"));
		}
		Set<WorkflowStatus> states = states(filter, CANCELLABLE, "cancelAll",
				"a COMPENSATING instance is being undone already, and a finished one cannot be cancelled");
		this.runtime.lifecycle().requireOpen();
		int cancelled = 0;
		Pages pages = new Pages(filter.toBuilder().status(states.toArray(WorkflowStatus[]::new)).build());
		for (List<InstanceRecord> page = pages.next(); !page.isEmpty(); page = pages.next()) {
			for (InstanceRecord instance : page) {
				// as listed: one cancelled meanwhile is left alone, one finished
				// meanwhile
				// is refused by the store
				if (instance.cancelReason() == null && this.runtime.requestCancel(instance.id(), reason)) {
					cancelled++;
				}
			}
		}
		return cancelled;
	}

	/**
	 * Resume every matching failed instance of a workflow version this node runs.
	 * @return how many were resumed
	 */
	int resumeAll(@Nullable WorkflowFilter filter) {
		requireFilter(filter);
		states(filter, RESUMABLE, "resumeAll",
				"only a FAILED instance can be resumed; others go on by themselves or have nothing left to run");
		this.runtime.lifecycle().requireOpen();
		int resumed = 0;
		Pages pages = new Pages(filter.toBuilder().status(WorkflowStatus.FAILED).build());
		for (List<InstanceRecord> page = pages.next(); !page.isEmpty(); page = pages.next()) {
			List<CompletableFuture<Void>> stored = new ArrayList<>(page.size());
			for (InstanceRecord instance : page) {
				if (instance.status() == WorkflowStatus.FAILED
						&& this.registry.find(instance.workflowId(), instance.workflowVersion()).isPresent()) {
					// empty if it is no longer FAILED, or another node holds it
					this.runtime.claim(instance.id(), Activation.RESUME_FAILED).ifPresent(stored::add);
				}
			}
			resumed += countStored(stored);
		}
		return resumed;
	}

	private static void requireFilter(@Nullable WorkflowFilter filter) {
		if (filter == null) {
			throw new IllegalArgumentException("filter must not be null; WorkflowFilter.all() matches every instance");
		}
	}

	/**
	 * The states a bulk action looks for: those of the filter it can act on, or all of
	 * them if the filter names none.
	 * @throws IllegalArgumentException if the filter names only states it cannot act on
	 */
	private static Set<WorkflowStatus> states(WorkflowFilter filter, Set<WorkflowStatus> actionable, String action,
			String why) {
		if (filter.statuses().isEmpty()) {
			return actionable;
		}
		Set<WorkflowStatus> states = EnumSet.noneOf(WorkflowStatus.class);
		states.addAll(filter.statuses());
		states.retainAll(actionable);
		if (states.isEmpty()) {
			throw new IllegalArgumentException(
					action + " acts on " + actionable + " instances, but the filter asks for " + filter.statuses()
							+ " only: " + why + "; name one of " + actionable + ", or no state");
		}
		return states;
	}

	/**
	 * How many resumptions were stored, waiting for them together so that a page costs
	 * about one commit's wait.
	 */
	private int countStored(List<CompletableFuture<Void>> stored) {
		long deadline = System.nanoTime() + this.storeWait.toNanos();
		int count = 0;
		for (CompletableFuture<Void> resumption : stored) {
			try {
				resumption.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				count++;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new OrchwfException("Interrupted while resuming instances", ex);
			}
			catch (ExecutionException | TimeoutException ex) {
				// the instance went on without this resumption: it did not change it
			}
		}
		return count;
	}

	/**
	 * The pages of the instances a filter matches, keyed by creation time.
	 */
	private final class Pages {

		private final WorkflowFilter filter;

		/** The creation time of the oldest instance handed out, or {@code null}. */
		private @Nullable Instant edge;

		/** The instances created at {@link #edge} handed out already. */
		private final Set<String> handedOutAtEdge = new HashSet<>();

		private boolean exhausted;

		Pages(WorkflowFilter filter) {
			this.filter = filter;
		}

		/**
		 * The next instances, newest first.
		 * @return the next page, empty once every match was handed out
		 */
		List<InstanceRecord> next() {
			if (this.exhausted) {
				return List.of();
			}
			Instant edge = this.edge;
			WorkflowFilter page = (edge != null)
					? this.filter.toBuilder().createdBefore(edge.plus(1, ChronoUnit.MICROS)).build() : this.filter;
			// those handed out at the edge come first among the instances of that instant
			// that still match: read past them
			int limit = this.handedOutAtEdge.size() + PAGE_SIZE;
			List<StoredInstance> listed = BulkActions.this.store.list(page, limit, 0).items();
			this.exhausted = listed.size() < limit;
			List<InstanceRecord> fresh = new ArrayList<>(listed.size());
			for (StoredInstance stored : listed) {
				InstanceRecord instance = stored.instance();
				if (!this.handedOutAtEdge.contains(instance.id())) {
					fresh.add(instance);
				}
			}
			if (fresh.isEmpty()) {
				this.exhausted = true;
				return fresh;
			}
			Instant oldest = fresh.get(fresh.size() - 1).createdAt();
			if (!oldest.equals(this.edge)) {
				this.edge = oldest;
				this.handedOutAtEdge.clear();
			}
			fresh.stream()
				.filter((instance) -> instance.createdAt().equals(oldest))
				.map(InstanceRecord::id)
				.forEach(this.handedOutAtEdge::add);
			return fresh;
		}

	}

}
