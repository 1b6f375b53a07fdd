package io.orchwf.internal.engine.run;

import java.util.List;

import io.orchwf.event.WorkflowEvent;
import io.orchwf.event.WorkflowEventListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands stored events to the listeners, isolating the engine from their failures.
 */
public final class EventDispatcher {

	private static final Logger logger = LoggerFactory.getLogger(EventDispatcher.class);

	private final List<WorkflowEventListener> listeners;

	public EventDispatcher(List<WorkflowEventListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	public void dispatch(List<WorkflowEvent> events) {
		if (this.listeners.isEmpty()) {
			return;
		}
		for (WorkflowEvent event : events) {
			for (WorkflowEventListener listener : this.listeners) {
				try {
					listener.onEvent(event);
				}
				catch (Throwable ex) {
					logger.warn("Workflow event listener {} failed on {} of instance {}; the workflow goes on",
							listener, event.type(), event.instanceId(), ex);
				}
			}
		}
	}

}
