/**
 * The state store SPI: where workflow instances, their steps, history and signals are
 * kept. Implemented by {@link io.orchwf.store.memory.InMemoryStateStore} and
 * {@link io.orchwf.store.jdbc.JdbcStateStore}.
 */
@NullMarked
package io.orchwf.store;

import org.jspecify.annotations.NullMarked;
