/**
 * The orchwf test kit: {@link io.orchwf.test.OrchwfTestEnvironment} runs workflows on a
 * {@link io.orchwf.test.TestClock} that skips the time they wait, replaces steps with
 * stubs and waits for instances to finish; {@link io.orchwf.test.OrchwfAssertions}
 * asserts on them. {@code io.orchwf.test.spring} brings the same to
 * {@code @SpringBootTest}.
 */
@NullMarked
package io.orchwf.test;

import org.jspecify.annotations.NullMarked;
