package io.orchwf.test.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * On a {@code @SpringBootTest}: run the application's own orchestrator on a
 * {@link io.orchwf.test.TestClock} and expose an
 * {@link io.orchwf.test.OrchwfTestEnvironment} bean over it, whose {@code orchestrator()}
 * is the application's orchestrator bean, with the same stubs, waits and time skipping as
 * a plain environment.
 *
 * <pre class="code">
 * &#64;SpringBootTest
 * &#64;AutoConfigureOrchwfTest
 * class OrderWorkflowTests {
 *
 *     &#64;Autowired
 *     OrchwfTestEnvironment env;
 *
 *     &#64;Test
 *     void cancelsWithoutApproval() {
 *         String id = env.orchestrator().startAsync("order_processing", input);
 *         OrchwfAssertions.assertThat(env.awaitCompletion(id).instance())
 *             .hasStatus(WorkflowStatus.CANCELLED);
 *     }
 *
 * }
 * </pre>
 *
 * <p>
 * The store is a new in-memory one unless {@code orchwf.store} says otherwise;
 * {@code orchwf.test.time-skipping=false} turns time skipping off. The orchestrator polls
 * the store every {@link io.orchwf.test.OrchwfTestEnvironment#POLL_INTERVAL}, so that
 * whatever the clock makes due starts at once.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureOrchwfTest {

}
