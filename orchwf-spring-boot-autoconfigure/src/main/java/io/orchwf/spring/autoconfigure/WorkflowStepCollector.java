package io.orchwf.spring.autoconfigure;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.orchwf.StepContext;
import io.orchwf.StepExecutor;
import io.orchwf.spring.WorkflowStep;
import io.orchwf.spring.WorkflowWait;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds {@link WorkflowStep} classes and methods, and {@link WorkflowWait} declarations,
 * on beans as the container initializes them, looking behind proxies for the annotations
 * and calling through the proxies, so that advice such as {@code @Transactional} applies.
 */
class WorkflowStepCollector implements BeanPostProcessor {

	private final List<DiscoveredStep> steps = new ArrayList<>();

	private final List<DiscoveredWait> waits = new ArrayList<>();

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> beanClass = AopUtils.getTargetClass(bean);
		if (AnnotationUtils.isCandidateClass(beanClass, WorkflowWait.class)) {
			for (WorkflowWait wait : AnnotatedElementUtils.findMergedRepeatableAnnotations(beanClass,
					WorkflowWait.class)) {
				addWait(new DiscoveredWait(wait, bean, beanName, beanClass));
			}
		}
		if (!AnnotationUtils.isCandidateClass(beanClass, WorkflowStep.class)) {
			return bean;
		}
		WorkflowStep onClass = AnnotatedElementUtils.findMergedAnnotation(beanClass, WorkflowStep.class);
		if (onClass != null) {
			if (!(bean instanceof StepExecutor executor)) {
				throw new BeanInitializationException("Bean '" + beanName + "' (" + beanClass.getName()
						+ ") is annotated with @WorkflowStep but does not implement StepExecutor; implement it, or "
						+ "annotate a method taking a StepContext instead");
			}
			add(new DiscoveredStep(onClass, executor, bean, beanName, beanClass, null));
		}
		Map<Method, WorkflowStep> methods = MethodIntrospector.selectMethods(beanClass,
				(MethodIntrospector.MetadataLookup<WorkflowStep>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, WorkflowStep.class));
		methods.forEach((method, annotation) -> {
			checkSignature(method, beanName);
			Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
			ReflectionUtils.makeAccessible(invocable);
			add(new DiscoveredStep(annotation, (context) -> invoke(invocable, bean, context), bean, beanName, beanClass,
					method));
		});
		return bean;
	}

	private synchronized void add(DiscoveredStep step) {
		this.steps.add(step);
	}

	private synchronized void addWait(DiscoveredWait wait) {
		this.waits.add(wait);
	}

	/**
	 * The waiting steps found so far.
	 * @return a copy, in discovery order
	 */
	synchronized List<DiscoveredWait> waits() {
		return List.copyOf(this.waits);
	}

	/**
	 * The steps found so far.
	 * @return a copy, in discovery order
	 */
	synchronized List<DiscoveredStep> steps() {
		return List.copyOf(this.steps);
	}

	private static void checkSignature(Method method, String beanName) {
		boolean takesContext = method.getParameterCount() == 1 && method.getParameterTypes()[0] == StepContext.class;
		boolean returnsMap = Map.class.isAssignableFrom(method.getReturnType()) || method.getReturnType() == void.class;
		if (!takesContext || !returnsMap) {
			throw new BeanInitializationException("@WorkflowStep method " + method.getDeclaringClass().getSimpleName()
					+ "." + method.getName() + " of bean '" + beanName
					+ "' must take one StepContext and return Map<String, Object> (or nothing)");
		}
	}

	/**
	 * Call a step or compensator method, rethrowing what it threw as it threw it, so that
	 * retry policies see the step's own exception types.
	 */
	@SuppressWarnings("unchecked")
	static Map<String, Object> invoke(Method method, Object bean, StepContext context) throws Exception {
		try {
			Object result = method.invoke(bean, context);
			return (result != null) ? (Map<String, Object>) result : Map.of();
		}
		catch (InvocationTargetException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof Exception exception) {
				throw exception;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw ex;
		}
	}

}
