package io.orchwf.spring.dashboard;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.orchwf.OverlapPolicy;
import io.orchwf.Schedule;
import io.orchwf.ScheduleInfo;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowStatus;
import org.jspecify.annotations.Nullable;

/**
 * The overview: the instance counts by state over all workflows, the schedules when there
 * are any (each with its ticks, its next and last fire times and the instance it last
 * started), then every registered workflow with its description, its versions, its counts
 * by state (each linking to the instance list filtered by it) and the DAG of its highest
 * version; the DAGs of the other versions fold behind their summaries.
 */
final class OverviewPage {

	private OverviewPage() {
	}

	/**
	 * Render the overview.
	 * @param context the request's context
	 * @param workflows the versions of each workflow, highest first
	 * @param counts the instance counts of each workflow
	 * @param totals the instance counts over all workflows
	 * @param schedules the schedules in the store, by name
	 * @return the document
	 */
	static String render(PageContext context, Map<String, List<WorkflowDefinition>> workflows,
			Map<String, Map<WorkflowStatus, Long>> counts, Map<WorkflowStatus, Long> totals,
			List<ScheduleInfo> schedules) {
		return Layout.page(context, "Overview", Layout.Section.OVERVIEW, (html) -> {
			long all = totals.values().stream().mapToLong(Long::longValue).sum();
			html.element("h1", "Workflows");
			html.element("p", Formats.count(workflows.size(), "registered workflow") + " on this node · "
					+ Formats.count(all, "instance") + " in the store", "class", "lede");
			tiles(html, context.links(), totals, all);
			if (!schedules.isEmpty()) {
				schedules(html, context.links(), schedules);
			}
			if (workflows.isEmpty()) {
				html.open("section", "class", "card")
					.element("p",
							"No workflow is registered on this node. Declare @WorkflowStep beans or "
									+ "WorkflowDefinition beans, and they show here.",
							"class", "empty")
					.close("section");
			}
			int index = 0;
			for (Map.Entry<String, List<WorkflowDefinition>> entry : workflows.entrySet()) {
				workflow(html, context.links(), entry.getValue(), counts.getOrDefault(entry.getKey(), Map.of()),
						index++);
			}
		});
	}

	private static void tiles(Html html, Links links, Map<WorkflowStatus, Long> totals, long all) {
		html.open("nav", "class", "tiles", "aria-label", "Instances by state");
		html.open("a", "class", "tile", "href", links.instances())
			.element("strong", Formats.number(all))
			.element("span", "All instances", "class", "muted")
			.close("a");
		for (WorkflowStatus status : WorkflowStatus.values()) {
			long count = totals.getOrDefault(status, 0L);
			html.open("a", "class", "tile", "href", links.instances(query(null, status)), "data-status", status.name());
			html.element("strong", Formats.number(count));
			html.open("span");
			Statuses.badge(html, status);
			html.close("span");
			html.close("a");
		}
		html.close("nav");
	}

	private static void schedules(Html html, Links links, List<ScheduleInfo> schedules) {
		html.open("section", "class", "card schedules", "aria-label", "Schedules");
		html.element("h2", "Schedules");
		html.open("div", "class", "table-scroll").open("table", "class", "instances");
		html.open("thead").open("tr");
		for (String heading : List.of("Schedule", "Workflow", "Ticks", "Next fire (UTC)", "Last fire (UTC)",
				"Last instance")) {
			html.element("th", heading, "scope", "col");
		}
		html.close("tr").close("thead").open("tbody");
		for (ScheduleInfo info : schedules) {
			Schedule schedule = info.schedule();
			html.open("tr", "data-schedule", info.name());
			html.open("td").element("strong", info.name()).close("td");
			html.open("td").element("code", info.workflowId()).close("td");
			html.open("td");
			if (schedule.cronExpression().isPresent()) {
				html.element("code", schedule.cronExpression().get());
				html.element("span", " " + schedule.zone().getId(), "class", "muted small");
			}
			else {
				html.text("every " + Formats.duration(schedule.interval().orElseThrow()));
			}
			if (schedule.overlap() == OverlapPolicy.ALLOW) {
				html.element("span", " overlaps allowed", "class", "muted small");
			}
			html.close("td");
			html.element("td", Formats.instant(info.nextFireAt()), "class", "mono nowrap");
			html.element("td", Formats.instant(info.lastFireAt().orElse(null)), "class", "mono nowrap");
			html.open("td");
			if (info.lastInstanceId().isPresent()) {
				String id = info.lastInstanceId().get();
				html.open("a", "class", "mono nowrap", "href", links.instance(id)).text(id).close("a");
			}
			else {
				html.text("—");
			}
			html.close("td");
			html.close("tr");
		}
		html.close("tbody").close("table").close("div");
		html.close("section");
	}

	private static void workflow(Html html, Links links, List<WorkflowDefinition> versions,
			Map<WorkflowStatus, Long> counts, int index) {
		WorkflowDefinition latest = versions.get(0);
		html.open("section", "class", "card workflow", "data-workflow-id", latest.id());
		html.open("div", "class", "card-head");
		html.element("h2", latest.name());
		if (!latest.name().equals(latest.id())) {
			html.element("code", latest.id());
		}
		html.element("span", "v" + latest.version(), "class", "tag", "title", "the version new instances start on");
		if (versions.size() > 1) {
			html.element("span", "and " + Formats.count(versions.size() - 1, "older version"), "class", "muted small");
		}
		html.close("div");
		if (!latest.description().isBlank()) {
			html.element("p", latest.description(), "class", "desc");
		}
		html.open("div", "class", "counts");
		long total = counts.values().stream().mapToLong(Long::longValue).sum();
		html.open("a", "href", links.instances(query(latest.id(), null)))
			.text(Formats.count(total, "instance"))
			.text(" →")
			.close("a");
		for (WorkflowStatus status : WorkflowStatus.values()) {
			long count = counts.getOrDefault(status, 0L);
			if (count > 0) {
				html.open("a", "href", links.instances(query(latest.id(), status)), "data-status", status.name(),
						"data-count", count);
				Statuses.badge(html, status, Statuses.label(status) + " " + Formats.number(count));
				html.close("a");
			}
		}
		html.close("div");
		dag(html, latest, "wf" + index);
		html.element("p", Formats.count(latest.steps().size(), "step") + " · failure policy "
				+ Formats.word(latest.failurePolicy().name()) + metadata(latest), "class", "muted small");
		for (int i = 1; i < versions.size(); i++) {
			WorkflowDefinition older = versions.get(i);
			html.open("details");
			html.element("summary", "Version " + older.version() + " · " + Formats.count(older.steps().size(), "step"));
			dag(html, older, "wf" + index + "v" + i);
			html.close("details");
		}
		html.close("section");
	}

	private static void dag(Html html, WorkflowDefinition definition, String idPrefix) {
		DagSvg.write(html, Workflows.layout(definition), Workflows.definitionNodes(definition),
				"Steps of workflow " + definition.id() + " version " + definition.version(), idPrefix + "-arrow");
	}

	private static String metadata(WorkflowDefinition definition) {
		if (definition.metadata().isEmpty()) {
			return "";
		}
		return " · metadata " + Formats.compactJson(definition.metadata());
	}

	private static ListQuery query(@Nullable String workflowId, @Nullable WorkflowStatus status) {
		Set<WorkflowStatus> statuses = (status != null) ? EnumSet.of(status) : Set.of();
		return new ListQuery(workflowId, statuses, null, null, ListQuery.DEFAULT_LIMIT, 0);
	}

}
