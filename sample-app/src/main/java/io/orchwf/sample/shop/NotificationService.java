package io.orchwf.sample.shop;

/**
 * Sends e-mails to customers.
 */
public interface NotificationService {

	/**
	 * Send a message.
	 * @param email the address
	 * @param subject the subject
	 * @param body the text
	 */
	void send(String email, String subject, String body);

}
