package io.orchwf.spring.autoconfigure;

import java.util.List;

import io.orchwf.Orchestrator;
import io.orchwf.WorkflowDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Registers every workflow (assembled from {@code @WorkflowStep} beans, and the
 * {@link WorkflowDefinition} beans) once all singletons exist, which is before the
 * orchestrator is launched, so that no instance is claimed before its workflow is known.
 */
class WorkflowRegistrar implements SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(WorkflowRegistrar.class);

	private final Orchestrator orchestrator;

	private final WorkflowStepCollector collector;

	private final ObjectProvider<WorkflowDefinition> definitions;

	private final WorkflowAssembler assembler;

	WorkflowRegistrar(Orchestrator orchestrator, WorkflowStepCollector collector,
			ObjectProvider<WorkflowDefinition> definitions, WorkflowAssembler assembler) {
		this.orchestrator = orchestrator;
		this.collector = collector;
		this.definitions = definitions;
		this.assembler = assembler;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<WorkflowDefinition> workflows = this.assembler.assemble(this.collector.steps(), this.collector.waits(),
				this.definitions.orderedStream().toList());
		workflows.forEach(this.orchestrator::register);
		logger.info("Registered {} workflow(s): {}", workflows.size(),
				workflows.stream().map((workflow) -> workflow.id() + " " + workflow.version()).toList());
	}

}
