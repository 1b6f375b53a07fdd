package io.orchwf.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class or method only when the tests have a PostgreSQL (see
 * {@link TestPostgres}), deciding before anything of the test is built: a Spring test
 * without a database is skipped before its application context is, instead of failing in
 * it. With {@code ORCHWF_REQUIRE_DATABASE=true} a missing database fails the test
 * instead.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(PostgresCondition.class)
public @interface EnabledIfPostgres {

}
