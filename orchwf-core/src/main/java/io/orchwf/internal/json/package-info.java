/**
 * Internal to the orchwf engine; may change without notice.
 */
@NullMarked
package io.orchwf.internal.json;

import org.jspecify.annotations.NullMarked;
