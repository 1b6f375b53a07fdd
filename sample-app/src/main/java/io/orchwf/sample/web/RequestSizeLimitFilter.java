package io.orchwf.sample.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import io.orchwf.sample.shop.ShopProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies larger than {@code shop.max-request-size} with a 413 problem.
 * Tomcat caps form posts, not JSON bodies, so without this a client could make the
 * application buffer and parse a body of any size. A declared {@code Content-Length} over
 * the limit is refused before anything is read; a body without one (chunked) is counted
 * as it is read, and the read that passes the limit fails with a
 * {@link RequestBodyTooLargeException}, which {@link ProblemDetailsAdvice} (or, if it
 * escapes the application, this filter) turns into the 413.
 */
@Component
class RequestSizeLimitFilter extends OncePerRequestFilter implements Ordered {

	/**
	 * After the character encoding filter ({@code HIGHEST_PRECEDENCE}), so that a reader
	 * of the body gets the request's charset, and after the observation filter
	 * ({@code HIGHEST_PRECEDENCE + 1}), so that refusals are measured; before anything
	 * that reads the body.
	 */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	private final DataSize limit;

	private final JsonMapper jsonMapper;

	RequestSizeLimitFilter(ShopProperties properties, JsonMapper jsonMapper) {
		this.limit = properties.maxRequestSize();
		this.jsonMapper = jsonMapper;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > this.limit.toBytes()) {
			tooLarge(request, response);
			return;
		}
		try {
			chain.doFilter(new LimitedRequest(request, this.limit), response);
		}
		catch (IOException | ServletException | RuntimeException ex) {
			// the application handles the failed read itself (ProblemDetailsAdvice);
			// this is for a reader that lets it escape
			if (RequestBodyTooLargeException.in(ex) == null || response.isCommitted()) {
				throw ex;
			}
			response.reset();
			tooLarge(request, response);
		}
	}

	private void tooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
		ServletProblems.write(request, response, problem(this.limit), this.jsonMapper);
	}

	/**
	 * The problem that says a request body is too large.
	 * @param limit the largest body accepted
	 * @return the 413 problem
	 */
	static ProblemDetail problem(DataSize limit) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
				"The request body is larger than " + limit.toBytes() + " bytes, the most the shop accepts "
						+ "(shop.max-request-size)");
		problem.setTitle("Request too large");
		problem.setProperty("maxRequestSize", limit.toBytes());
		return problem;
	}

	/**
	 * A request whose body fails to read past the limit.
	 */
	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final DataSize limit;

		private @Nullable LimitedInputStream inputStream;

		LimitedRequest(HttpServletRequest request, DataSize limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.inputStream == null) {
				this.inputStream = new LimitedInputStream(super.getInputStream(), this.limit);
			}
			return this.inputStream;
		}

		@Override
		public BufferedReader getReader() throws IOException {
			// Tomcat's own reader would bypass the counting stream
			String encoding = getCharacterEncoding();
			try {
				Charset charset = (encoding != null) ? Charset.forName(encoding) : StandardCharsets.ISO_8859_1;
				return new BufferedReader(new InputStreamReader(getInputStream(), charset));
			}
			catch (IllegalArgumentException ex) {
				// as Tomcat's reader fails for a charset it does not know
				throw new UnsupportedEncodingException(encoding);
			}
		}

	}

	/**
	 * Counts the bytes read, and fails the read that passes the limit.
	 */
	private static final class LimitedInputStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private final DataSize limit;

		private long count;

		LimitedInputStream(ServletInputStream delegate, DataSize limit) {
			this.delegate = delegate;
			this.limit = limit;
		}

		@Override
		public int read() throws IOException {
			int b = this.delegate.read();
			if (b != -1) {
				counted(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			// never more than one byte past the limit, however large the buffer
			long allowed = this.limit.toBytes() - this.count + 1;
			int n = this.delegate.read(buffer, offset, (int) Math.min(length, Math.max(allowed, 1)));
			if (n > 0) {
				counted(n);
			}
			return n;
		}

		private void counted(int n) throws RequestBodyTooLargeException {
			this.count += n;
			if (this.count > this.limit.toBytes()) {
				throw new RequestBodyTooLargeException(this.limit);
			}
		}

		@Override
		public boolean isFinished() {
			return this.delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.delegate.setReadListener(listener);
		}

	}

}
