package io.orchwf.spring.dashboard;

import org.springframework.http.HttpStatus;

/**
 * A request the dashboard refuses or cannot answer, with the status and the message of
 * the page that says so: 400 for a bad value, 403 for an action while actions are off,
 * 404 for an unknown instance or page, 409 for an action the instance cannot take.
 */
final class DashboardException extends RuntimeException {

	private final HttpStatus status;

	DashboardException(HttpStatus status, String message) {
		super(message);
		this.status = status;
	}

	HttpStatus status() {
		return this.status;
	}

	static DashboardException notFound(String instanceId) {
		return new DashboardException(HttpStatus.NOT_FOUND, "No workflow instance with id " + Forms.echo(instanceId));
	}

}
