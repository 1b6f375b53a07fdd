/**
 * Actuator support: the {@code orchwf} endpoint, which lists workflows and instances and
 * cancels, resumes or signals them, and the {@code orchwf} health indicator.
 */
@NullMarked
package io.orchwf.spring.actuate;

import org.jspecify.annotations.NullMarked;
