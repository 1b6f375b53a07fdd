package io.orchwf.spring.autoconfigure;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.orchwf.StepContext;
import io.orchwf.StepException;
import io.orchwf.WorkflowDefinitionException;
import io.orchwf.spring.WorkflowWait;

import org.springframework.aop.support.AopUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Resolves the method a {@link WorkflowWait#until()} names into the function of a
 * {@link io.orchwf.StepDefinition#timerUntil timerUntil} step: a method of the annotated
 * bean that takes a {@link StepContext} and returns an {@link Instant}, called through
 * the bean's proxy. A name that is no such method fails with a
 * {@link WorkflowDefinitionException} saying what is wrong and what to write instead.
 */
final class UntilMethods {

	private UntilMethods() {
	}

	/**
	 * The function that calls the named method.
	 * @param workflowId the step's workflow, for messages
	 * @param stepId the step, for messages
	 * @param name the method's name
	 * @param wait the annotated bean
	 * @return a function calling the method on the bean
	 * @throws WorkflowDefinitionException if the bean has no such method, or it returns
	 * something else than an {@link Instant}
	 */
	static Function<StepContext, Instant> resolve(String workflowId, String stepId, String name, DiscoveredWait wait) {
		Class<?> beanClass = wait.beanClass();
		String named = "Step '" + stepId + "' of workflow '" + workflowId + "' (" + wait.origin()
				+ ") names until method '" + name + "', but ";
		String expected = "Instant " + name + "(StepContext)";
		Method method = ReflectionUtils.findMethod(beanClass, name, StepContext.class);
		if (method == null) {
			Method other = ReflectionUtils.findMethod(beanClass, name, (Class<?>[]) null);
			if (other != null) {
				throw new WorkflowDefinitionException(workflowId, stepId,
						named + beanClass.getSimpleName() + "." + name + " takes (" + parameters(other)
								+ "); declare it as " + expected + " to compute the instant the step waits until");
			}
			throw new WorkflowDefinitionException(workflowId, stepId, named + beanClass.getSimpleName()
					+ " has no such method; add " + expected + " that returns the instant the step waits until");
		}
		if (method.getReturnType() != Instant.class) {
			throw new WorkflowDefinitionException(workflowId, stepId,
					named + beanClass.getSimpleName() + "." + name + "(StepContext) returns "
							+ method.getReturnType().getSimpleName()
							+ "; make it return java.time.Instant, the instant " + "the step waits until");
		}
		Method invocable = AopUtils.selectInvocableMethod(method, wait.bean().getClass());
		ReflectionUtils.makeAccessible(invocable);
		Object bean = wait.bean();
		return (context) -> invoke(invocable, bean, context);
	}

	private static String parameters(Method method) {
		return Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", "));
	}

	/**
	 * Call the method, letting what it threw through as it threw it, so that the step's
	 * failure has the method's own error type; a checked exception, which a function
	 * cannot throw, becomes a {@link StepException} of its simple class name.
	 */
	private static Instant invoke(Method method, Object bean, StepContext context) {
		try {
			return (Instant) method.invoke(bean, context);
		}
		catch (InvocationTargetException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			String message = (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getName();
			throw new StepException(cause.getClass().getSimpleName(), message, cause);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException("Cannot call " + method, ex);
		}
	}

}
