package io.orchwf.spring.e2e;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * An application written as a user of the starter would: steps as annotated beans, a
 * transactional service that saves an order and starts its workflow, its own Flyway
 * migrations beside orchwf's.
 */
@SpringBootApplication
public class ShopApplication {

}
