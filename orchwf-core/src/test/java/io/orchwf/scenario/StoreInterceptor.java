package io.orchwf.scenario;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

import io.orchwf.store.StateStore;

/**
 * Wraps a store so that a test can slow down, fail or observe chosen calls.
 */
@FunctionalInterface
interface StoreInterceptor {

	/**
	 * Called around every store call.
	 * @param method the store method
	 * @param args its arguments
	 * @param call proceeds with the real call
	 * @return what the call returns
	 * @throws Throwable what the call throws
	 */
	Object intercept(Method method, Object[] args, Call call) throws Throwable;

	static StateStore wrap(StateStore store, StoreInterceptor interceptor) {
		return (StateStore) Proxy.newProxyInstance(StoreInterceptor.class.getClassLoader(),
				new Class<?>[] { StateStore.class }, (proxy, method, args) -> {
					Object[] arguments = (args != null) ? args : new Object[0];
					if (method.isDefault()) {
						return invoke(store, method, arguments);
					}
					return interceptor.intercept(method, arguments, () -> invoke(store, method, arguments));
				});
	}

	private static Object invoke(StateStore store, Method method, Object[] args) throws Throwable {
		try {
			return method.invoke(store, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getCause();
		}
	}

	/**
	 * The real call.
	 */
	@FunctionalInterface
	interface Call {

		Object proceed() throws Throwable;

	}

}
