package io.orchwf.spring.autoconfigure;

import java.lang.reflect.Method;

import io.orchwf.StepExecutor;
import io.orchwf.spring.WorkflowStep;
import org.jspecify.annotations.Nullable;

/**
 * A {@link WorkflowStep} found on a bean: its annotation, its executor (which calls the
 * bean through its proxy), and where it came from, for compensation and error messages.
 *
 * @param annotation the annotation
 * @param executor calls the step
 * @param bean the bean, as the container exposes it (its proxy, if any)
 * @param beanName the bean's name
 * @param beanClass the bean's user class (behind any proxy)
 * @param method the annotated method, or {@code null} for an annotated class
 */
record DiscoveredStep(WorkflowStep annotation, StepExecutor executor, Object bean, String beanName, Class<?> beanClass,
		@Nullable Method method) {

	/**
	 * Where the step was declared, for messages.
	 * @return such as {@code OrderSteps.charge(StepContext)} or {@code PaymentStep}
	 */
	String origin() {
		return (this.method != null) ? this.beanClass.getSimpleName() + "." + this.method.getName() + "(StepContext)"
				: this.beanClass.getSimpleName();
	}

}
