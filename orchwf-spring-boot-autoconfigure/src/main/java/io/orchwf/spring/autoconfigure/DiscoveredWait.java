package io.orchwf.spring.autoconfigure;

import io.orchwf.spring.WorkflowWait;

/**
 * A {@link WorkflowWait} found on a bean.
 *
 * @param annotation the annotation
 * @param bean the bean, possibly a proxy
 * @param beanName the bean's name
 * @param beanClass the bean's user class
 */
record DiscoveredWait(WorkflowWait annotation, Object bean, String beanName, Class<?> beanClass) {

	/**
	 * Where the step was declared, for messages.
	 * @return such as {@code @WorkflowWait on PaymentSteps}
	 */
	String origin() {
		return "@WorkflowWait on " + this.beanClass.getSimpleName();
	}

}
