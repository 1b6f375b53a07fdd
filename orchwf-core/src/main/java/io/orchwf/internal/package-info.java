/**
 * The orchwf engine. Internal: every type here may change without notice; use the API in
 * {@link io.orchwf} instead.
 */
@NullMarked
package io.orchwf.internal;

import org.jspecify.annotations.NullMarked;
