package io.orchwf.spring.autoconfigure;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import io.orchwf.RetryPolicy;
import io.orchwf.StepCompensator;
import io.orchwf.StepContext;
import io.orchwf.StepDefinition;
import io.orchwf.WorkflowDefinition;
import io.orchwf.WorkflowDefinitionException;
import io.orchwf.spring.Retry;
import io.orchwf.spring.WorkflowStep;
import io.orchwf.spring.WorkflowWait;
import io.orchwf.spring.autoconfigure.OrchwfProperties.RetryOverride;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;
import org.springframework.util.ReflectionUtils;

/**
 * Builds the workflows to register: one per workflow id found on {@link WorkflowStep}
 * beans, plus the {@link WorkflowDefinition} beans, with the
 * {@code orchwf.workflows.<id>.*} properties applied over both. Precedence, highest
 * first: the step's properties, its annotation, {@code orchwf.default-retry.*}. A broken
 * workflow fails with a {@link WorkflowDefinitionException} that names it, the step and
 * the problem.
 */
class WorkflowAssembler {

	private final OrchwfProperties properties;

	private final Environment environment;

	private final BeanFactory beanFactory;

	WorkflowAssembler(OrchwfProperties properties, Environment environment, BeanFactory beanFactory) {
		this.properties = properties;
		this.environment = environment;
		this.beanFactory = beanFactory;
	}

	/**
	 * Build every workflow.
	 * @param discovered the annotated steps
	 * @param waits the annotated waiting steps
	 * @param beans the workflow definition beans
	 * @return the workflows to register
	 */
	List<WorkflowDefinition> assemble(List<DiscoveredStep> discovered, List<DiscoveredWait> waits,
			List<WorkflowDefinition> beans) {
		Map<String, List<Declared>> byWorkflow = new TreeMap<>();
		discovered.forEach((step) -> byWorkflow.computeIfAbsent(step.annotation().workflow(), (id) -> new ArrayList<>())
			.add(new Declared(step.annotation().id(), step.annotation().dependsOn(), step)));
		waits.forEach((wait) -> byWorkflow.computeIfAbsent(wait.annotation().workflow(), (id) -> new ArrayList<>())
			.add(new Declared(wait.annotation().id(), wait.annotation().dependsOn(), wait)));
		List<WorkflowDefinition> workflows = new ArrayList<>();
		byWorkflow.forEach((workflowId, steps) -> workflows.add(annotated(workflowId, inGraphOrder(steps))));
		beans.forEach((definition) -> workflows.add(overridden(definition)));
		checkOverridesMatch(workflows);
		return workflows;
	}

	/**
	 * The steps of one workflow with each after its dependencies, and in the order of
	 * their ids where the graph leaves the order open: the order they are listed and
	 * stored in then reads as the workflow runs, and does not depend on the order in
	 * which the container created the beans. Unknown dependencies and cycles are left for
	 * the definition's validation to report.
	 */
	private static List<Declared> inGraphOrder(List<Declared> steps) {
		Map<String, Declared> pending = new TreeMap<>();
		steps.forEach((step) -> pending.put(step.id(), step));
		List<Declared> ordered = new ArrayList<>(steps.size());
		while (!pending.isEmpty()) {
			Declared ready = pending.values()
				.stream()
				.filter((step) -> Arrays.stream(step.dependsOn()).noneMatch(pending::containsKey))
				.findFirst()
				// a cycle: the rest in id order, for the validation to name
				.orElse(pending.values().iterator().next());
			ordered.add(ready);
			pending.remove(ready.id());
		}
		return ordered;
	}

	private WorkflowDefinition annotated(String workflowId, List<Declared> declared) {
		OrchwfProperties.Workflow settings = this.properties.getWorkflows().get(workflowId);
		WorkflowDefinition.Builder builder = WorkflowDefinition.builder(workflowId,
				(settings != null && settings.getName() != null) ? settings.getName() : workflowId);
		for (Declared step : declared) {
			builder.step((step.source() instanceof DiscoveredStep discovered) ? annotatedStep(workflowId, discovered)
					: waitingStep(workflowId, (DiscoveredWait) step.source()));
		}
		return withWorkflowSettings(builder, settings).build();
	}

	private StepDefinition waitingStep(String workflowId, DiscoveredWait wait) {
		WorkflowWait annotation = wait.annotation();
		String stepId = annotation.id();
		String signal = this.environment.resolvePlaceholders(annotation.signal());
		String delay = annotation.duration();
		String until = annotation.until();
		String child = this.environment.resolvePlaceholders(annotation.childWorkflow());
		int kinds = (signal.isEmpty() ? 0 : 1) + (delay.isEmpty() ? 0 : 1) + (until.isEmpty() ? 0 : 1)
				+ (child.isEmpty() ? 0 : 1);
		if (kinds != 1) {
			throw new WorkflowDefinitionException(workflowId, stepId, "Step '" + stepId + "' of workflow '" + workflowId
					+ "' (" + wait.origin() + ") must set exactly one of signal, duration, until and childWorkflow");
		}
		StepDefinition.Builder builder;
		if (!signal.isEmpty()) {
			builder = StepDefinition.awaitSignal(stepId, signal);
		}
		else if (!delay.isEmpty()) {
			builder = StepDefinition.timer(stepId, duration(workflowId, stepId, "duration", delay));
		}
		else if (!until.isEmpty()) {
			builder = StepDefinition.timerUntil(stepId, UntilMethods.resolve(workflowId, stepId, until, wait));
		}
		else {
			builder = StepDefinition.childWorkflow(stepId, child);
		}
		builder.description(annotation.description())
			.dependsOn(annotation.dependsOn())
			.required(annotation.required())
			.compensateWith(compensator(workflowId, stepId, annotation.compensation(), wait.bean(), wait.beanClass(),
					wait.origin()));
		if (!annotation.timeout().isEmpty()) {
			builder.timeout(duration(workflowId, stepId, "timeout", annotation.timeout()));
		}
		OrchwfProperties.Step overrides = stepSettings(workflowId, stepId);
		if (overrides != null) {
			applyStepOverrides(builder, overrides, retry(workflowId, stepId, null, overrides.getRetry(), null));
		}
		return builder.build();
	}

	private WorkflowDefinition overridden(WorkflowDefinition definition) {
		OrchwfProperties.Workflow settings = this.properties.getWorkflows().get(definition.id());
		if (settings == null) {
			return definition;
		}
		WorkflowDefinition.Builder builder = WorkflowDefinition
			.builder(definition.id(), (settings.getName() != null) ? settings.getName() : definition.name())
			.description(definition.description())
			.version(definition.version())
			.failurePolicy(definition.failurePolicy());
		definition.maxConcurrency().ifPresent(builder::maxConcurrency);
		definition.maxConcurrencyPerKey().ifPresent(builder::maxConcurrencyPerKey);
		definition.metadata().forEach(builder::metadata);
		for (StepDefinition step : definition.steps()) {
			StepDefinition.Builder stepBuilder = step.toBuilder();
			OrchwfProperties.Step overrides = settings.getSteps().get(step.id());
			if (overrides != null) {
				applyStepOverrides(stepBuilder, overrides,
						retry(definition.id(), step.id(), null, overrides.getRetry(), step.retryPolicy().orElse(null)));
			}
			builder.step(stepBuilder.build());
		}
		return withWorkflowSettings(builder, settings).build();
	}

	private static WorkflowDefinition.Builder withWorkflowSettings(WorkflowDefinition.Builder builder,
			OrchwfProperties.@Nullable Workflow settings) {
		if (settings != null) {
			if (settings.getVersion() != null) {
				builder.version(settings.getVersion());
			}
			if (settings.getDescription() != null) {
				builder.description(settings.getDescription());
			}
			if (settings.getFailurePolicy() != null) {
				builder.failurePolicy(settings.getFailurePolicy());
			}
			if (settings.getMaxConcurrency() != null) {
				builder.maxConcurrency(settings.getMaxConcurrency());
			}
			if (settings.getMaxConcurrencyPerKey() != null) {
				builder.maxConcurrencyPerKey(settings.getMaxConcurrencyPerKey());
			}
		}
		return builder;
	}

	private StepDefinition annotatedStep(String workflowId, DiscoveredStep step) {
		WorkflowStep annotation = step.annotation();
		String stepId = annotation.id();
		String name = annotation.name().isEmpty() ? stepId : annotation.name();
		StepDefinition.Builder builder = (annotation.forEach().isEmpty())
				? StepDefinition.builder(stepId, name, step.executor())
				: StepDefinition.forEach(stepId, name, annotation.forEach(), step.executor());
		if (annotation.maxConcurrency() > 0) {
			builder.maxConcurrency(annotation.maxConcurrency());
		}
		builder.description(annotation.description())
			.dependsOn(annotation.dependsOn())
			.async(annotation.async())
			.required(annotation.required())
			.priority(annotation.priority())
			.compensateWith(compensator(workflowId, stepId, annotation.compensation(), step.bean(), step.beanClass(),
					step.origin()));
		if (!annotation.timeout().isEmpty()) {
			builder.timeout(duration(workflowId, stepId, "timeout", annotation.timeout()));
		}
		OrchwfProperties.Step overrides = stepSettings(workflowId, stepId);
		RetryOverride retryOverrides = (overrides != null) ? overrides.getRetry() : new RetryOverride();
		RetryPolicy retry = retry(workflowId, stepId, annotation.retry(), retryOverrides, null);
		builder.retryPolicy(retry);
		if (overrides != null) {
			applyStepOverrides(builder, overrides, retry);
		}
		return builder.build();
	}

	private static void applyStepOverrides(StepDefinition.Builder builder, OrchwfProperties.Step overrides,
			@Nullable RetryPolicy retry) {
		ifSet(overrides.getTimeout(), builder::timeout);
		ifSet(overrides.getAsync(), builder::async);
		ifSet(overrides.getRequired(), builder::required);
		ifSet(overrides.getPriority(), builder::priority);
		builder.retryPolicy(retry);
	}

	private OrchwfProperties.@Nullable Step stepSettings(String workflowId, String stepId) {
		OrchwfProperties.Workflow settings = this.properties.getWorkflows().get(workflowId);
		return (settings != null) ? settings.getSteps().get(stepId) : null;
	}

	/**
	 * The step's retry policy: its own (or the default), then what the annotation sets,
	 * then what the properties set.
	 * @return the policy, or {@code null} if nothing sets one (the default applies)
	 */
	private @Nullable RetryPolicy retry(String workflowId, String stepId, @Nullable Retry annotation,
			RetryOverride overrides, @Nullable RetryPolicy own) {
		boolean annotated = annotation != null && isSet(annotation);
		if (!annotated && !isSet(overrides)) {
			return own;
		}
		RetryPolicy base = (own != null) ? own : RetryPolicies.fromProperties(this.properties.getDefaultRetry());
		RetryPolicy.Builder builder = base.toBuilder();
		try {
			if (annotated) {
				applyAnnotation(workflowId, stepId, annotation, builder);
			}
			ifSet(overrides.getMaxAttempts(), builder::maxAttempts);
			ifSet(overrides.getInitialInterval(), builder::initialInterval);
			ifSet(overrides.getMultiplier(), builder::multiplier);
			ifSet(overrides.getMaxInterval(), builder::maxInterval);
			ifSet(overrides.getJitter(), builder::jitter);
			ifSet(overrides.getRetryableErrors(), (types) -> builder.retryableErrors(types.toArray(String[]::new)));
			ifSet(overrides.getNonRetryableErrors(),
					(types) -> builder.nonRetryableErrors(types.toArray(String[]::new)));
			return builder.build();
		}
		catch (IllegalArgumentException ex) {
			throw new WorkflowDefinitionException(workflowId, stepId, "Step '" + stepId + "' of workflow '" + workflowId
					+ "' has an invalid retry policy: " + ex.getMessage());
		}
	}

	private void applyAnnotation(String workflowId, String stepId, Retry annotation, RetryPolicy.Builder builder) {
		if (annotation.maxAttempts() != 0) {
			builder.maxAttempts(annotation.maxAttempts());
		}
		if (!annotation.initialInterval().isEmpty()) {
			builder
				.initialInterval(duration(workflowId, stepId, "retry.initialInterval", annotation.initialInterval()));
		}
		if (annotation.multiplier() != 0) {
			builder.multiplier(annotation.multiplier());
		}
		if (!annotation.maxInterval().isEmpty()) {
			builder.maxInterval(duration(workflowId, stepId, "retry.maxInterval", annotation.maxInterval()));
		}
		if (annotation.jitter() >= 0) {
			builder.jitter(annotation.jitter());
		}
		if (annotation.retryableErrors().length > 0) {
			builder.retryableErrors(annotation.retryableErrors());
		}
		if (annotation.nonRetryableErrors().length > 0) {
			builder.nonRetryableErrors(annotation.nonRetryableErrors());
		}
	}

	private static boolean isSet(Retry retry) {
		return retry.maxAttempts() != 0 || !retry.initialInterval().isEmpty() || retry.multiplier() != 0
				|| !retry.maxInterval().isEmpty() || retry.jitter() >= 0 || retry.retryableErrors().length > 0
				|| retry.nonRetryableErrors().length > 0;
	}

	private static boolean isSet(RetryOverride retry) {
		return retry.getMaxAttempts() != null || retry.getInitialInterval() != null || retry.getMultiplier() != null
				|| retry.getMaxInterval() != null || retry.getJitter() != null || retry.getRetryableErrors() != null
				|| retry.getNonRetryableErrors() != null;
	}

	private Duration duration(String workflowId, String stepId, String attribute, String value) {
		String resolved = this.environment.resolvePlaceholders(value);
		try {
			return DurationStyle.detectAndParse(resolved);
		}
		catch (IllegalArgumentException ex) {
			throw new WorkflowDefinitionException(workflowId, stepId, "Step '" + stepId + "' of workflow '" + workflowId
					+ "' has an invalid " + attribute + " '" + value + "': use a duration such as 30s, 500ms or PT1M");
		}
	}

	private @Nullable StepCompensator compensator(String workflowId, String stepId, String name, Object bean,
			Class<?> beanClass, String origin) {
		if (name.isEmpty()) {
			return null;
		}
		Method method = ReflectionUtils.findMethod(beanClass, name, StepContext.class);
		if (method != null) {
			Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
			ReflectionUtils.makeAccessible(invocable);
			return (context) -> WorkflowStepCollector.invoke(invocable, bean, context);
		}
		if (this.beanFactory.containsBean(name) && this.beanFactory.isTypeMatch(name, StepCompensator.class)) {
			return this.beanFactory.getBean(name, StepCompensator.class);
		}
		throw new WorkflowDefinitionException(workflowId, stepId,
				"Step '" + stepId + "' of workflow '" + workflowId + "' (" + origin + ") names compensation '" + name
						+ "', which is neither a method " + name + "(StepContext) of " + beanClass.getSimpleName()
						+ " nor a StepCompensator bean");
	}

	/**
	 * A step declared by an annotation, before it is built.
	 *
	 * @param id the step id
	 * @param dependsOn its dependencies
	 * @param source the {@link DiscoveredStep} or {@link DiscoveredWait}
	 */
	private record Declared(String id, String[] dependsOn, Object source) {
	}

	private void checkOverridesMatch(List<WorkflowDefinition> workflows) {
		Map<String, Set<String>> known = new LinkedHashMap<>();
		for (WorkflowDefinition workflow : workflows) {
			Set<String> steps = known.computeIfAbsent(workflow.id(), (id) -> new TreeSet<>());
			workflow.steps().forEach((step) -> steps.add(step.id()));
		}
		this.properties.getWorkflows().forEach((workflowId, settings) -> {
			Set<String> steps = known.get(workflowId);
			if (steps == null) {
				throw new WorkflowDefinitionException(workflowId, null,
						"orchwf.workflows." + workflowId + " configures workflow '" + workflowId + "', which no "
								+ "@WorkflowStep or WorkflowDefinition bean defines; known workflows are "
								+ known.keySet());
			}
			for (String stepId : settings.getSteps().keySet()) {
				if (!steps.contains(stepId)) {
					throw new WorkflowDefinitionException(workflowId, stepId,
							"orchwf.workflows." + workflowId + ".steps." + stepId + " configures step '" + stepId
									+ "', which workflow '" + workflowId + "' does not have; its steps are " + steps);
				}
			}
		});
	}

	private static <T> void ifSet(@Nullable T value, Consumer<T> setter) {
		if (value != null) {
			setter.accept(value);
		}
	}

}
