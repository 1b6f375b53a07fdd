package io.orchwf.spring.actuate;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.orchwf.Orchestrator;

import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Lets a test change an instance at the worst moment for the endpoint: after it has
 * looked at the instance's state, before its call reaches the orchestrator. It wraps the
 * application's {@link Orchestrator} in a proxy that, on the next {@code cancel} or
 * {@code signal} of an instance, first runs what the test asked for; every other call
 * goes straight through.
 */
class ActionRaces implements BeanPostProcessor {

	private static final Set<String> ACTIONS = Set.of("cancel", "signal");

	private final Map<String, Runnable> interferences = new ConcurrentHashMap<>();

	/**
	 * Run something just before the next cancellation or signal of an instance reaches
	 * the orchestrator.
	 * @param instanceId the instance
	 * @param interference what to run, on the thread of the call
	 */
	void beforeNextAction(String instanceId, Runnable interference) {
		this.interferences.put(instanceId, interference);
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof Orchestrator orchestrator)) {
			return bean;
		}
		return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Orchestrator.class },
				(proxy, method, args) -> {
					if (ACTIONS.contains(method.getName()) && args != null && args[0] instanceof String instanceId) {
						Runnable interference = this.interferences.remove(instanceId);
						if (interference != null) {
							interference.run();
						}
					}
					try {
						return method.invoke(orchestrator, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
	}

}
