package io.orchwf.spring.dashboard;

import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

import io.orchwf.Orchestrator;
import io.orchwf.store.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.function.HandlerFunction;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The orchwf dashboard: server-rendered pages of a servlet web application, under one
 * path ({@value #DEFAULT_PATH} by default), that show the registered workflows and their
 * instances and, when actions are enabled, cancel, resume and signal them.
 *
 * <table>
 * <caption>Pages and actions, under the dashboard's path</caption>
 * <tr>
 * <th>Request</th>
 * <th>What it answers</th>
 * </tr>
 * <tr>
 * <td>{@code GET /}</td>
 * <td>the overview: each workflow's versions, DAG and instance counts by state</td>
 * </tr>
 * <tr>
 * <td>{@code GET /instances}</td>
 * <td>the instances, newest first, filtered by {@code workflow}, {@code status}
 * (repeatable), {@code businessId} and {@code id} (an instance id or an idempotency key),
 * paged by {@code limit} and {@code offset}</td>
 * </tr>
 * <tr>
 * <td>{@code GET /instances/{id}}</td>
 * <td>one instance: its DAG, the timeline of its attempts, its data, errors, signals and
 * history; 404 if there is none</td>
 * </tr>
 * <tr>
 * <td>{@code POST /instances/{id}/cancel}</td>
 * <td>cancels it, with the field {@code reason}</td>
 * </tr>
 * <tr>
 * <td>{@code POST /instances/{id}/resume}</td>
 * <td>resumes a failed instance</td>
 * </tr>
 * <tr>
 * <td>{@code POST /instances/{id}/signal}</td>
 * <td>sends a signal, with the fields {@code name} and {@code payload} (a JSON
 * object)</td>
 * </tr>
 * <tr>
 * <td>{@code POST /instances/cancel}</td>
 * <td>cancels every unfinished instance the list's filters (sent as fields) match, with
 * the field {@code reason}</td>
 * </tr>
 * <tr>
 * <td>{@code POST /instances/resume}</td>
 * <td>resumes every failed instance the filters match</td>
 * </tr>
 * </table>
 *
 * Each action redirects (303) to the page it came from, with a message saying what
 * happened. While actions are off they answer 403; a bad value answers 400, an unknown
 * instance 404, an action the instance cannot take 409, each as a page saying why.
 *
 * <p>
 * Every value shown is HTML-escaped, the pages load nothing from another host and are
 * sent with a Content-Security-Policy that allows only their own inline style sheet and
 * script. Forms carry Spring Security's CSRF token when the request has one. Securing the
 * path is the application's own security configuration.
 *
 * <p>
 * A {@link RouterFunction}, so that Spring MVC serves it as a bean of the application
 * context.
 */
public final class OrchwfDashboard implements RouterFunction<ServerResponse> {

	/** The path the dashboard is served under by default. */
	public static final String DEFAULT_PATH = "/orchwf";

	private static final Logger logger = LoggerFactory.getLogger(OrchwfDashboard.class);

	private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

	private final String path;

	private final Actions actions;

	private final RouterFunction<ServerResponse> routes;

	/**
	 * Create the dashboard.
	 * @param orchestrator the orchestrator whose workflows and instances it shows
	 * @param store the orchestrator's store, for counts, signals and idempotency keys
	 * @param executor runs the cancellations and resumptions it asks for, which wait for
	 * their instance to end; a thread per task suits them best
	 * @param path the path to serve it under, such as {@value #DEFAULT_PATH}: one or more
	 * segments of letters, digits, {@code .}, {@code _}, {@code ~} and {@code -}; a
	 * trailing slash is ignored
	 * @param actions whether it offers actions
	 * @throws IllegalArgumentException if the path is not such a path
	 */
	public OrchwfDashboard(Orchestrator orchestrator, StateStore store, Executor executor, String path,
			Actions actions) {
		this.path = normalize(path);
		this.actions = actions;
		boolean enabled = actions == Actions.ENABLED;
		// the orchestrator's clock, so that ages agree with the times it stores
		Responses responses = new Responses(orchestrator, this.path, enabled, orchestrator.clock());
		InstanceFinder finder = new InstanceFinder(orchestrator, store);
		DashboardPages pages = new DashboardPages(orchestrator, store, finder, responses);
		DashboardActions handlers = new DashboardActions(orchestrator, finder, executor, responses, enabled);
		String base = this.path;
		this.routes = RouterFunctions.route()
			.GET(base, pages::overview)
			.GET(base + "/", pages::overview)
			.GET(base + "/instances", pages::instances)
			.GET(base + "/instances/{id}", pages::instance)
			.POST(base + "/instances/cancel", handlers::cancelAll)
			.POST(base + "/instances/resume", handlers::resumeAll)
			.POST(base + "/instances/{id}/cancel", handlers::cancel)
			.POST(base + "/instances/{id}/resume", handlers::resume)
			.POST(base + "/instances/{id}/signal", handlers::signal)
			.route(RequestPredicates.path(base + "/**"), pages::notFound)
			.filter((request, next) -> handle(request, next, responses))
			.build();
	}

	/**
	 * The path the dashboard is served under, below the application's context path.
	 * @return the path, without a trailing slash
	 */
	public String path() {
		return this.path;
	}

	/**
	 * Whether the dashboard offers actions.
	 * @return the actions setting
	 */
	public Actions actions() {
		return this.actions;
	}

	@Override
	public Optional<HandlerFunction<ServerResponse>> route(ServerRequest request) {
		return this.routes.route(request);
	}

	@Override
	public void accept(RouterFunctions.Visitor visitor) {
		this.routes.accept(visitor);
	}

	private static ServerResponse handle(ServerRequest request, HandlerFunction<ServerResponse> next,
			Responses responses) throws Exception {
		try {
			return next.handle(request);
		}
		catch (DashboardException ex) {
			return responses.error(request, ex.status(), ex.getMessage());
		}
		catch (RuntimeException ex) {
			logger.error("The orchwf dashboard could not answer {} {}", request.method(), request.path(), ex);
			return responses.error(request, HttpStatus.INTERNAL_SERVER_ERROR,
					"The dashboard could not answer this request: " + ex.getClass().getSimpleName()
							+ ". The application's log has the details.");
		}
	}

	private static String normalize(String path) {
		String trimmed = (path != null) ? path.trim() : "";
		while (trimmed.length() > 1 && trimmed.endsWith("/")) {
			trimmed = trimmed.substring(0, trimmed.length() - 1);
		}
		if (!PATH.matcher(trimmed).matches() || trimmed.matches(".*/\\.{1,2}(/.*)?")) {
			throw new IllegalArgumentException("The dashboard's path must be a path below the root made of letters, "
					+ "digits, '.', '_', '~' and '-', such as " + DEFAULT_PATH + ", but was '" + path + "'");
		}
		return trimmed;
	}

	/**
	 * Whether the dashboard offers actions.
	 */
	public enum Actions {

		/** It shows cancel, resume and signal forms and carries them out. */
		ENABLED,

		/** It shows no actions and refuses their requests with 403. */
		DISABLED

	}

}
