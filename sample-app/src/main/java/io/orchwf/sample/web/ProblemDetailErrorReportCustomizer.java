package io.orchwf.sample.web;

import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Puts a {@link ProblemDetailErrorReportValve} in place of the host's
 * {@link ErrorReportValve}, so that the requests Tomcat refuses itself are answered with
 * a problem detail too. Spring Boot adds an {@code ErrorReportValve} of its own (without
 * the server's version and the stack trace), so this runs last, and replaces whichever
 * error report valve the host has; the host's class name is set to ours so that it adds
 * no default one when it starts.
 */
@Component
class ProblemDetailErrorReportCustomizer implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		factory.addContextCustomizers((context) -> {
			Container parent = context.getParent();
			for (Valve valve : parent.getPipeline().getValves()) {
				if (valve instanceof ErrorReportValve) {
					parent.getPipeline().removeValve(valve);
				}
			}
			parent.getPipeline().addValve(new ProblemDetailErrorReportValve());
			if (parent instanceof StandardHost host) {
				host.setErrorReportValveClass(ProblemDetailErrorReportValve.class.getName());
			}
		});
	}

	@Override
	public int getOrder() {
		// after Spring Boot's TomcatWebServerFactoryCustomizer (order 0), whose context
		// customizer adds the valve this one replaces
		return Ordered.LOWEST_PRECEDENCE;
	}

}
