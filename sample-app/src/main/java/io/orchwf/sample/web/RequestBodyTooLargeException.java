package io.orchwf.sample.web;

import java.io.IOException;

import org.jspecify.annotations.Nullable;

import org.springframework.util.unit.DataSize;

/**
 * A request body passed {@code shop.max-request-size} while it was read. An
 * {@link IOException}, as the read of the stream fails; whoever reads it (Jackson, a
 * message converter) wraps it, and {@link ProblemDetailsAdvice} and
 * {@link RequestSizeLimitFilter} find it in the causes to answer 413 rather than 400 or
 * 500.
 */
class RequestBodyTooLargeException extends IOException {

	private static final long serialVersionUID = 1L;

	private final DataSize limit;

	RequestBodyTooLargeException(DataSize limit) {
		super("The request body is larger than " + limit.toBytes() + " bytes");
		this.limit = limit;
	}

	DataSize limit() {
		return this.limit;
	}

	/**
	 * The exception among the causes of another.
	 * @param ex the exception
	 * @return the exception that says the body is too large, or {@code null}
	 */
	static @Nullable RequestBodyTooLargeException in(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof RequestBodyTooLargeException tooLarge) {
				return tooLarge;
			}
		}
		return null;
	}

}
