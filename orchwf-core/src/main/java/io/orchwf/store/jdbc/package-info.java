/**
 * The JDBC state store: plain JDBC on PostgreSQL or H2, with Flyway scripts shipped at
 * {@code classpath:db/orchwf/postgresql} and {@code classpath:db/orchwf/h2}.
 */
@NullMarked
package io.orchwf.store.jdbc;

import org.jspecify.annotations.NullMarked;
