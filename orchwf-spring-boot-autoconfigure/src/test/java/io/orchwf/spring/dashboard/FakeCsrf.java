package io.orchwf.spring.dashboard;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/**
 * Stands in for Spring Security's CSRF protection, which this module's tests do not have:
 * a filter that puts a token in the request attribute Spring Security's
 * {@code CsrfFilter} uses, as an instance of a private class, as Spring Security's own
 * deferred token is, and refuses with 403 every POST that does not carry it.
 */
@TestConfiguration(proxyBeanMethods = false)
class FakeCsrf {

	static final String PARAMETER = "_csrf";

	static final String TOKEN = "c5rf-t0ken";

	@Bean
	FilterRegistrationBean<Filter> fakeCsrfFilter() {
		return new FilterRegistrationBean<>(new CsrfFilter());
	}

	/**
	 * What Spring Security's {@code CsrfToken} offers a view.
	 */
	public interface Token {

		String getParameterName();

		String getToken();

	}

	private static final class RequestToken implements Token {

		@Override
		public String getParameterName() {
			return PARAMETER;
		}

		@Override
		public String getToken() {
			return TOKEN;
		}

	}

	private static final class CsrfFilter implements Filter {

		@Override
		public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
				throws IOException, ServletException {
			HttpServletRequest http = (HttpServletRequest) request;
			http.setAttribute(CsrfField.TOKEN_ATTRIBUTE, new RequestToken());
			if ("POST".equals(http.getMethod()) && !TOKEN.equals(http.getParameter(PARAMETER))) {
				((HttpServletResponse) response).sendError(403, "Invalid CSRF token");
				return;
			}
			chain.doFilter(request, response);
		}

	}

}
