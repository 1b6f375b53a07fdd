package io.orchwf;

/**
 * Thrown when no workflow instance has the given id.
 */
public class InstanceNotFoundException extends OrchwfException {

	private static final long serialVersionUID = 1L;

	private final String instanceId;

	/**
	 * Create an exception for an unknown instance.
	 * @param instanceId the instance id that was asked for
	 */
	public InstanceNotFoundException(String instanceId) {
		super("No workflow instance '" + instanceId + "' exists");
		this.instanceId = instanceId;
	}

	/**
	 * The instance id that was not found.
	 * @return the instance id
	 */
	public String getInstanceId() {
		return this.instanceId;
	}

}
