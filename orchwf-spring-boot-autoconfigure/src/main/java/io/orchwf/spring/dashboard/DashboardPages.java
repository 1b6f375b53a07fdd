package io.orchwf.spring.dashboard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.orchwf.InstanceNotFoundException;
import io.orchwf.Orchestrator;
import io.orchwf.Page;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowInstance;
import io.orchwf.WorkflowStatus;
import io.orchwf.spring.dashboard.InstanceListPage.Listing;
import io.orchwf.store.StateStore;

import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Answers the dashboard's pages: it reads what each page shows from the orchestrator and
 * the store, and hands it to the page's renderer.
 */
final class DashboardPages {

	private final Orchestrator orchestrator;

	private final StateStore store;

	private final InstanceFinder finder;

	private final Responses responses;

	DashboardPages(Orchestrator orchestrator, StateStore store, InstanceFinder finder, Responses responses) {
		this.orchestrator = orchestrator;
		this.store = store;
		this.finder = finder;
		this.responses = responses;
	}

	ServerResponse overview(ServerRequest request) {
		Map<String, List<WorkflowDefinition>> workflows = Workflows.byId(this.orchestrator.workflows());
		Map<String, Map<WorkflowStatus, Long>> counts = new LinkedHashMap<>();
		workflows.keySet().forEach((workflowId) -> counts.put(workflowId, this.store.countByStatus(workflowId)));
		Map<WorkflowStatus, Long> totals = this.store.countByStatus(null);
		return this.responses.page(request, HttpStatus.OK,
				(context) -> OverviewPage.render(context, workflows, counts, totals, this.orchestrator.schedules()));
	}

	ServerResponse instances(ServerRequest request) {
		ListQuery query = ListQuery.from(request.params());
		Listing listing;
		try {
			listing = (query.idOrKey() != null) ? byIdOrKey(query) : page(query);
		}
		catch (IllegalArgumentException ex) {
			// the API (or a store) may have rules the form does not check itself
			throw Forms.invalid(Forms.messageOf(ex, "The filters are invalid"));
		}
		List<String> workflowIds = List.copyOf(Workflows.byId(this.orchestrator.workflows()).keySet());
		return this.responses.page(request, HttpStatus.OK,
				(context) -> InstanceListPage.render(context, listing, workflowIds));
	}

	ServerResponse instance(ServerRequest request) {
		String instanceId = request.pathVariable("id");
		WorkflowInstance instance = this.finder.byId(instanceId)
			.orElseThrow(() -> DashboardException.notFound(instanceId));
		InstanceView view;
		try {
			view = new InstanceView(instance,
					Workflows.find(this.orchestrator.workflows(), instance.workflowId(), instance.workflowVersion())
						.orElse(null),
					this.orchestrator.history(instanceId), this.store.signals(instanceId),
					this.finder.idempotencyKey(instanceId).orElse(null));
		}
		catch (InstanceNotFoundException ex) {
			// deleted meanwhile
			throw DashboardException.notFound(instanceId);
		}
		return this.responses.page(request, HttpStatus.OK, (context) -> InstancePage.render(context, view));
	}

	ServerResponse notFound(ServerRequest request) {
		return this.responses.error(request, HttpStatus.NOT_FOUND,
				"The dashboard has no page at " + Forms.echo(request.path()) + ".");
	}

	private Listing page(ListQuery query) {
		Page<WorkflowInstance> page = this.orchestrator.list(query.filter(), query.limit(), query.offset());
		return new Listing(query, page.items(), page.total(), null);
	}

	private Listing byIdOrKey(ListQuery query) {
		Optional<WorkflowInstance> found = this.finder.byIdOrKey(query)
			.filter((instance) -> query.matches(instance.workflowId(), instance.status(), instance.businessId()));
		if (found.isPresent()) {
			return new Listing(query.withOffset(0), List.of(found.get()), 1, null);
		}
		return new Listing(query.withOffset(0), List.of(), 0,
				"no instance has this id, and no matching instance was started with this idempotency key");
	}

}
