/**
 * The in-memory state store.
 */
@NullMarked
package io.orchwf.store.memory;

import org.jspecify.annotations.NullMarked;
