package io.orchwf.spring.actuate;

import io.orchwf.spring.actuate.OrchwfEndpoint.ActionDescriptor;
import io.orchwf.spring.actuate.OrchwfEndpoint.InstanceDescriptor;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.util.MimeType;

/**
 * The web face of {@link OrchwfEndpoint}: the same operations, with HTTP status codes,
 * and an RFC 9457 problem detail when something is wrong.
 *
 * <ul>
 * <li>200 with the answer; 202 when a cancellation or a resumption goes on in the
 * background.</li>
 * <li>400 for an invalid argument: a {@code limit} that is not a whole number from 1 to
 * {@value OrchwfEndpoint#MAX_LIMIT}, an {@code offset} that is not a whole number from 0,
 * an unknown {@code status}, a {@code workflowId}, {@code businessId} or signal
 * {@code name} with U+0000, an unpaired surrogate or more than 255 characters, a
 * {@code reason} with U+0000 or an unpaired surrogate, a {@code payload} that is not a
 * JSON object, a missing or unknown {@code action}, a {@code cancel} without a reason, a
 * {@code signal} without a name, or a value the orchestrator or its store refuses.</li>
 * <li>404 for an unknown instance, including an id the store could never hold (one that
 * is not a UUID, for the JDBC store), whatever the action.</li>
 * <li>409 for an action the instance cannot take in its state: {@code cancel} of an
 * instance that has ended (COMPLETED, FAILED or CANCELLED), {@code resume} of anything
 * but a FAILED instance or of one whose workflow version this node has not registered,
 * {@code signal} to an instance that has ended. An instance that ends between the look at
 * its state and the action is refused in the same way.</li>
 * </ul>
 *
 * <p>
 * Each refusal is a {@link Problem} with content type {@code application/problem+json},
 * whatever JSON type the request accepts: {@code type} {@code about:blank}, the status's
 * reason phrase as {@code title}, the {@code status}, and a {@code detail} naming the
 * parameter or the instance, the rule, and what to do. It has no {@code instance} member:
 * the actuator does not show its operations the request, so the path is not known here. A
 * request that the actuator itself rejects before an operation runs (a body that is not a
 * JSON object of strings, an unsupported content type) is answered by Spring's own error
 * handling, still with 400 or 415, in Spring's error format.
 */
@EndpointWebExtension(endpoint = OrchwfEndpoint.class)
public class OrchwfEndpointWebExtension {

	/** Status of an action that goes on in the background. */
	public static final int STATUS_ACCEPTED = 202;

	/** Status of an action the instance cannot take in its state. */
	public static final int STATUS_CONFLICT = 409;

	/** The content type of a {@link Problem}. */
	public static final MimeType APPLICATION_PROBLEM_JSON = new MimeType("application", "problem+json");

	private final OrchwfEndpoint delegate;

	/**
	 * Create the extension.
	 * @param delegate the endpoint it serves
	 */
	public OrchwfEndpointWebExtension(OrchwfEndpoint delegate) {
		this.delegate = delegate;
	}

	/**
	 * Serve {@link OrchwfEndpoint#orchwf}.
	 * @param workflowId only instances of this workflow
	 * @param status only instances in one of these states, comma-separated
	 * @param businessId only instances with this business id
	 * @param limit the page size
	 * @param offset how many matching instances to skip
	 * @return 200 with the description, or 400 with a problem
	 */
	@ReadOperation
	public WebEndpointResponse<Object> orchwf(@Nullable String workflowId, @Nullable String status,
			@Nullable String businessId, @Nullable String limit, @Nullable String offset) {
		try {
			return new WebEndpointResponse<>(this.delegate.orchwf(workflowId, status, businessId, limit, offset));
		}
		catch (InvalidEndpointRequestException ex) {
			return problem(WebEndpointResponse.STATUS_BAD_REQUEST, ex.getReason());
		}
	}

	/**
	 * Serve {@link OrchwfEndpoint#instance}.
	 * @param instanceId the instance
	 * @return 200 with the description, or 404 with a problem
	 */
	@ReadOperation
	public WebEndpointResponse<Object> instance(@Selector String instanceId) {
		InstanceDescriptor instance = this.delegate.instance(instanceId);
		return (instance != null) ? new WebEndpointResponse<>(instance) : notFound(instanceId);
	}

	/**
	 * Serve {@link OrchwfEndpoint#action}.
	 * @param instanceId the instance
	 * @param action {@code cancel}, {@code resume} or {@code signal}
	 * @param reason why, for {@code cancel}
	 * @param name the signal name, for {@code signal}
	 * @param payload the signal payload, for {@code signal}: a JSON object written as a
	 * string
	 * @return 200 or 202 with what became of the instance, or 400, 404 or 409 with a
	 * problem
	 */
	@WriteOperation
	public WebEndpointResponse<Object> action(@Selector String instanceId, @Nullable String action,
			@Nullable String reason, @Nullable String name, @Nullable String payload) {
		try {
			ActionDescriptor result = this.delegate.action(instanceId, action, reason, name, payload);
			if (result == null) {
				return notFound(instanceId);
			}
			return new WebEndpointResponse<>(result, result.done() ? WebEndpointResponse.STATUS_OK : STATUS_ACCEPTED);
		}
		catch (InvalidEndpointRequestException ex) {
			return problem(WebEndpointResponse.STATUS_BAD_REQUEST, ex.getReason());
		}
		catch (IllegalStateException ex) {
			return problem(STATUS_CONFLICT, ex.getMessage());
		}
	}

	private static WebEndpointResponse<Object> notFound(String instanceId) {
		return problem(WebEndpointResponse.STATUS_NOT_FOUND, "No workflow instance with id " + instanceId);
	}

	private static WebEndpointResponse<Object> problem(int status, @Nullable String detail) {
		return new WebEndpointResponse<>(Problem.of(status, detail), status, APPLICATION_PROBLEM_JSON);
	}

	/**
	 * An RFC 9457 problem detail: the body of an answer that reports what is wrong.
	 *
	 * <p>
	 * It is deliberately not an
	 * {@link org.springframework.boot.actuate.endpoint.OperationResponseBody}: the
	 * actuator serializes those only as its own JSON types, and would refuse to write one
	 * as {@code application/problem+json}; the application's JSON mapper writes it
	 * instead.
	 *
	 * @param type the problem type; always {@value #ABOUT_BLANK}, as the status says it
	 * all
	 * @param title the status's reason phrase
	 * @param status the HTTP status
	 * @param detail what is wrong and what to do
	 */
	public record Problem(String type, String title, int status, String detail) {

		/** The type of a problem that its status describes fully. */
		public static final String ABOUT_BLANK = "about:blank";

		static Problem of(int status, @Nullable String detail) {
			String title = switch (status) {
				case WebEndpointResponse.STATUS_BAD_REQUEST -> "Bad Request";
				case WebEndpointResponse.STATUS_NOT_FOUND -> "Not Found";
				case STATUS_CONFLICT -> "Conflict";
				default -> "Error";
			};
			return new Problem(ABOUT_BLANK, title, status, (detail != null && !detail.isBlank()) ? detail : title);
		}

	}

}
