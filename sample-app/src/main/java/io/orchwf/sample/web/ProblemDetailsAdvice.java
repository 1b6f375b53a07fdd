package io.orchwf.sample.web;

import java.util.List;
import java.util.Map;

import io.orchwf.sample.order.OrderConflictException;
import io.orchwf.sample.order.OrderNotFoundException;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.data.relational.core.conversion.DbActionExecutionException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Errors as RFC 9457 problem details: 400 naming each field that is wrong (whether bean
 * validation or Jackson found it), 404 for an unknown order, 409 for what an order cannot
 * do in its state, 413 for a body larger than {@code shop.max-request-size}.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<Map<String, Object>> errors = ex.getBindingResult()
			.getFieldErrors()
			.stream()
			.map((error) -> Map.<String, Object>of("field", error.getField(), "message",
					String.valueOf(error.getDefaultMessage())))
			.toList();
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"The request has " + errors.size() + " invalid field(s)");
		problem.setTitle("Invalid request");
		problem.setProperty("errors", errors);
		return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		RequestBodyTooLargeException tooLarge = RequestBodyTooLargeException.in(ex);
		if (tooLarge != null) {
			// the body passed shop.max-request-size while Jackson read it: not the
			// client's JSON is wrong, its size is
			return handleExceptionInternal(ex, RequestSizeLimitFilter.problem(tooLarge.limit()), headers,
					HttpStatus.CONTENT_TOO_LARGE, request);
		}
		return handleExceptionInternal(ex, UnreadableBody.problem(ex), headers, HttpStatus.BAD_REQUEST, request);
	}

	@ExceptionHandler
	ProblemDetail notFound(OrderNotFoundException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, ex.getMessage());
		problem.setTitle("Order not found");
		return problem;
	}

	@ExceptionHandler
	ProblemDetail conflict(OrderConflictException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, ex.getMessage());
		problem.setTitle("Order cannot do that now");
		return problem;
	}

	@ExceptionHandler({ OptimisticLockingFailureException.class, DbActionExecutionException.class })
	ProblemDetail concurrentChange(RuntimeException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				"The order changed while this request was handled; try again");
		problem.setTitle("Concurrent change");
		return problem;
	}

}
