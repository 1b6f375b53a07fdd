/**
 * Auto-configuration of orchwf for Spring Boot, and its {@code orchwf.*} properties.
 */
@NullMarked
package io.orchwf.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
