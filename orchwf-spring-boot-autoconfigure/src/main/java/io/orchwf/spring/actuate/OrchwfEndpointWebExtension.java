package io.orchwf.spring.actuate;

import io.orchwf.spring.actuate.OrchwfEndpoint.ActionDescriptor;
import io.orchwf.spring.actuate.OrchwfEndpoint.InstanceDescriptor;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The web face of {@link OrchwfEndpoint}: the same operations, with HTTP status codes and
 * a message in the body when something is wrong.
 *
 * <ul>
 * <li>200 with the answer; 202 when a cancellation or a resumption goes on in the
 * background.</li>
 * <li>400 for an invalid argument, an unknown action, or a missing one.</li>
 * <li>404 for an unknown instance.</li>
 * <li>409 for an action the instance cannot take in its state.</li>
 * </ul>
 */
@EndpointWebExtension(endpoint = OrchwfEndpoint.class)
public class OrchwfEndpointWebExtension {

	/** Status of an action that goes on in the background. */
	public static final int STATUS_ACCEPTED = 202;

	/** Status of an action the instance cannot take in its state. */
	public static final int STATUS_CONFLICT = 409;

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
	 * @return 200 with the description, or 400
	 */
	@ReadOperation
	public WebEndpointResponse<OperationResponseBody> orchwf(@Nullable String workflowId, @Nullable String status,
			@Nullable String businessId, @Nullable Integer limit, @Nullable Integer offset) {
		try {
			return new WebEndpointResponse<>(this.delegate.orchwf(workflowId, status, businessId, limit, offset));
		}
		catch (InvalidEndpointRequestException ex) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Bad Request", ex.getReason());
		}
	}

	/**
	 * Serve {@link OrchwfEndpoint#instance}.
	 * @param instanceId the instance
	 * @return 200 with the description, or 404
	 */
	@ReadOperation
	public WebEndpointResponse<OperationResponseBody> instance(@Selector String instanceId) {
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
	 * @return 200 or 202 with what became of the instance, or 400, 404 or 409
	 */
	@WriteOperation
	public WebEndpointResponse<OperationResponseBody> action(@Selector String instanceId, @Nullable String action,
			@Nullable String reason, @Nullable String name, @Nullable String payload) {
		try {
			ActionDescriptor result = this.delegate.action(instanceId, action, reason, name, payload);
			if (result == null) {
				return notFound(instanceId);
			}
			return new WebEndpointResponse<>(result, result.done() ? WebEndpointResponse.STATUS_OK : STATUS_ACCEPTED);
		}
		catch (InvalidEndpointRequestException ex) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Bad Request", ex.getReason());
		}
		catch (IllegalStateException ex) {
			return error(STATUS_CONFLICT, "Conflict", ex.getMessage());
		}
		catch (IllegalArgumentException ex) {
			// a payload the store cannot hold
			return error(WebEndpointResponse.STATUS_BAD_REQUEST, "Bad Request", ex.getMessage());
		}
	}

	private static WebEndpointResponse<OperationResponseBody> notFound(String instanceId) {
		return error(WebEndpointResponse.STATUS_NOT_FOUND, "Not Found", "No workflow instance with id " + instanceId);
	}

	private static WebEndpointResponse<OperationResponseBody> error(int status, String error,
			@Nullable String message) {
		return new WebEndpointResponse<>(new ErrorDescriptor(status, error, (message != null) ? message : error),
				status);
	}

	/**
	 * The body of an answer that reports a problem.
	 *
	 * @param status the HTTP status
	 * @param error the status's reason phrase
	 * @param message what is wrong
	 */
	public record ErrorDescriptor(int status, String error, String message) implements OperationResponseBody {
	}

}
